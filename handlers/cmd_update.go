package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

// update opens an update session on a live deployment: checks first (an
// ephemeral refusal), then a public deferral turned into the lobby.
func (h *Handler) update(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	d, p, err := h.svc.CheckUpdate(ctx, r.Actor, r.Cmd.str("session_id"))
	if err != nil {
		return nil, err
	}
	return h.openUpdate(ctx, r, d, p, nil), nil
}

// openUpdate answers with a public deferral and opens the update lobby in
// its place, in the background.
func (h *Handler) openUpdate(ctx context.Context, r *Request, d *deploy.Deployment, p *deploy.Project, restore *deploy.Revision) *discord.InteractionResponse {
	a, tok := r.Actor, r.Token
	h.jobs.GoAfterResponse(ctx, "open update lobby", func(jctx context.Context) {
		if _, err := h.svc.StartUpdate(jctx, a, d, p, restore, tok); err != nil {
			h.failDeferred(jctx, tok.Value, err)
		}
	})
	return deferred(false)
}

// history lists a deployment's revisions with a "Roll back to…" select.
func (h *Handler) history(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	hist, err := h.svc.History(ctx, r.Actor, r.Cmd.str("session_id"), 1)
	if err != nil {
		return nil, err
	}
	msg := discord.NewMessageCreate().WithEmbeds(renderHistory(hist)).WithEphemeral(true).WithAllowedMentions(noMentions())
	if sel, ok := rollbackSelect(hist); ok {
		msg = msg.WithComponents(discord.NewActionRow(sel))
	}
	return &discord.InteractionResponse{Type: discord.InteractionResponseTypeCreateMessage, Data: msg}, nil
}

// rollbackSelected opens an update session seeded with the chosen
// revision's resources; its lobby is a new public message.
func (h *Handler) rollbackSelected(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	if len(r.Comp.Values) != 1 {
		return nil, deploy.Errorf(deploy.EINVALID, "Choose one revision.")
	}
	n, err := strconv.Atoi(strings.TrimPrefix(r.Comp.Values[0], "r"))
	if err != nil || n < 1 {
		return nil, deploy.Errorf(deploy.EINVALID, "Unknown revision %q.", r.Comp.Values[0])
	}
	d, p, rev, err := h.svc.CheckRollback(ctx, r.Actor, r.Args[0], n)
	if err != nil {
		return nil, err
	}
	return h.openUpdate(ctx, r, d, p, rev), nil
}

// changeSelected opens the modal of the chosen resource with its current
// values.
func (h *Handler) changeSelected(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	if len(r.Comp.Values) != 1 {
		return nil, deploy.Errorf(deploy.EINVALID, "Choose one resource to change.")
	}
	res, fields, err := h.svc.ChangeForm(ctx, h.click(r), r.Comp.Values[0])
	if err != nil {
		return nil, err
	}
	title := clip("Change "+res.Name, maxModalTitle)
	return fieldsModal(customID(idEdit, r.Args[0], res.Name), title, fields), nil
}

// changeSubmitted changes the resource and re-plans.
func (h *Handler) changeSubmitted(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	params := map[string]string{}
	for k, v := range r.Modal.Values() {
		if k != "name" && strings.TrimSpace(v) != "" {
			params[k] = strings.TrimSpace(v)
		}
	}
	if _, err := h.svc.ChangeResource(ctx, h.click(r), r.Args[1], params); err != nil {
		return nil, err
	}
	return deferredUpdate(), nil
}
