package handlers

import (
	"context"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

func (h *Handler) list(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	state, err := deploy.ParseStateFilter(r.Cmd.str("state"))
	if err != nil {
		return nil, err
	}
	page, _ := r.Cmd.int("page")
	ss, total, err := h.svc.List(ctx, r.Actor, state, page)
	if err != nil {
		return nil, err
	}
	return ephemeralEmbed(renderSessions("Your sessions", ss, total, max(page, 1))), nil
}

func (h *Handler) adminList(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	state, err := deploy.ParseStateFilter(r.Cmd.str("state"))
	if err != nil {
		return nil, err
	}
	page, _ := r.Cmd.int("page")
	project := r.Cmd.str("project")
	ss, total, err := h.svc.AdminList(ctx, r.Actor, project, state, page)
	if err != nil {
		return nil, err
	}
	title := "All sessions"
	if project != "" {
		title = "Sessions of " + project
	}
	return ephemeralEmbed(renderSessions(title, ss, total, max(page, 1))), nil
}

func (h *Handler) cancel(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	return h.cancelBy(ctx, r, deploy.CancelByOwner)
}

func (h *Handler) adminCancel(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	return h.cancelBy(ctx, r, deploy.CancelByAdmin)
}

// cancelBy runs a cancel from a command: the answer is ephemeral and the
// lobby is edited through its own token.
func (h *Handler) cancelBy(ctx context.Context, r *Request, by deploy.CancelBy) (*discord.InteractionResponse, error) {
	_, msg, err := h.svc.Cancel(ctx, deploy.Click{Actor: r.Actor, Session: r.Cmd.str("session_id")}, by)
	if err != nil {
		return nil, err
	}
	return ephemeral(msg), nil
}

func (h *Handler) stats(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	project := r.Cmd.str("project")
	st, err := h.svc.Stats(ctx, r.Actor, project)
	if err != nil {
		return nil, err
	}
	return ephemeralEmbed(renderStats(project, st)), nil
}
