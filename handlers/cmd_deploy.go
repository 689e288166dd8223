package handlers

import (
	"context"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

// deploy checks project and permission, answers with a public deferral and
// turns it into the lobby in the background.
func (h *Handler) deploy(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	p, region, err := h.svc.CheckDeploy(ctx, r.Actor, r.Cmd.str("project"), r.Cmd.str("provider"), r.Cmd.str("region"))
	if err != nil {
		return nil, err
	}
	ttl, err := h.svc.CheckTTL(p, r.Cmd.str("ttl"))
	if err != nil {
		return nil, err
	}
	a, tok := r.Actor, r.Token
	h.jobs.GoAfterResponse(ctx, "open lobby", func(jctx context.Context) {
		if _, err := h.svc.StartDeploy(jctx, a, p, region, ttl, tok); err != nil {
			h.failDeferred(jctx, tok.Value, err)
		}
	})
	return deferred(false), nil
}

// destroy opens a destroy session for a deployment.
func (h *Handler) destroy(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	d, p, err := h.svc.CheckDestroy(ctx, r.Actor, r.Cmd.str("session_id"))
	if err != nil {
		return nil, err
	}
	a, tok := r.Actor, r.Token
	h.jobs.GoAfterResponse(ctx, "open destroy lobby", func(jctx context.Context) {
		if _, err := h.svc.StartDestroy(jctx, a, d, p, tok); err != nil {
			h.failDeferred(jctx, tok.Value, err)
		}
	})
	return deferred(false), nil
}

// failDeferred replaces a deferred answer with the error that stopped it.
func (h *Handler) failDeferred(ctx context.Context, token string, err error) {
	if deploy.ErrorCode(err) == deploy.EINTERNAL {
		h.log.Error("deferred command failed", "err", err)
	}
	u := discord.NewMessageUpdate().WithContent(deploy.ErrorMessage(err)).WithAllowedMentions(noMentions())
	if _, err := editDeferred(ctx, h.discord, token, u); err != nil {
		h.log.Warn("deferred answer not edited", "err", err)
	}
}
