package handlers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/deploy"
)

// projects answers with an ephemeral deferral and edits in the list.
func (h *Handler) projects(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	page, _ := r.Cmd.int("page")
	a, token := r.Actor, r.Token.Value
	h.jobs.GoAfterResponse(ctx, "projects", func(jctx context.Context) {
		ps, total, err := h.svc.Projects(jctx, a, page)
		if err != nil {
			h.failDeferred(jctx, token, err)
			return
		}
		u := discord.NewMessageUpdate().WithEmbeds(renderProjects(ps, total, max(page, 1))).WithAllowedMentions(noMentions())
		if _, err := editDeferred(jctx, h.discord, token, u); err != nil {
			h.log.Warn("project list not shown", "err", err)
		}
	})
	return deferred(true), nil
}

func (h *Handler) createProject(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	approvals, _ := r.Cmd.int("approvals")
	p, err := h.svc.CreateProject(ctx, r.Actor, deploy.NewProject{
		ID: r.Cmd.str("project_id"), Provider: r.Cmd.str("provider"), Description: r.Cmd.str("description"),
		Region: r.Cmd.str("region"), Account: r.Cmd.str("account"), Approvals: approvals, TTL: r.Cmd.str("ttl"),
	})
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("Project %s created (%s, %s", p.ID, p.Provider, p.Region)
	if p.Approvals > 0 {
		msg += fmt.Sprintf(", %d approvals required", p.Approvals)
	}
	if p.TTLText != "" {
		msg += ", deployments live at most " + p.TTLText
	}
	return ephemeral(msg + ")."), nil
}

func (h *Handler) grant(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	level, ok := deploy.ParseLevel(r.Cmd.str("level"))
	if !ok {
		return nil, deploy.Errorf(deploy.EINVALID, "Unknown level %q: use read, deploy or admin.", r.Cmd.str("level"))
	}
	var d time.Duration
	if s := r.Cmd.str("duration"); s != "" {
		var err error
		d, err = config.ParseDuration(s)
		if errors.Is(err, config.ErrDurationTooLong) {
			return nil, deploy.Errorf(deploy.EINVALID, "Duration %s is too long: the most is 365d.", s)
		}
		if err != nil || d <= 0 {
			return nil, deploy.Errorf(deploy.EINVALID, "Invalid duration %q: use a duration such as 30s, 90m, 2h or 7d.", s)
		}
	}
	user, project := r.Cmd.str("user"), r.Cmd.str("project")
	g, err := h.svc.Grant(ctx, r.Actor, project, user, level, d)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("Granted %s on project %s to <@%s>", g.Level, project, user)
	if g.ExpiresAt != nil {
		msg += fmt.Sprintf(" until <t:%d:f> (%s)", g.ExpiresAt.Unix(), d)
	}
	return ephemeral(msg + "."), nil
}

func (h *Handler) revoke(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	user, project := r.Cmd.str("user"), r.Cmd.str("project")
	ok, err := h.svc.Revoke(ctx, r.Actor, project, user)
	if err != nil {
		return nil, err
	}
	if !ok {
		return ephemeral(fmt.Sprintf("<@%s> had no grant on project %s.", user, project)), nil
	}
	return ephemeral(fmt.Sprintf("Revoked the grant of <@%s> on project %s.", user, project)), nil
}

func (h *Handler) setQuota(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	limit, _ := r.Cmd.int("limit")
	project, rt := r.Cmd.str("project"), r.Cmd.str("resource_type")
	if err := h.svc.SetQuota(ctx, r.Actor, project, rt, limit); err != nil {
		return nil, err
	}
	return ephemeral(fmt.Sprintf("Quota set: %s on project %s is limited to %d.", rt, project, limit)), nil
}

func (h *Handler) quota(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	p, lines, err := h.svc.Quota(ctx, r.Actor, r.Cmd.str("project"))
	if err != nil {
		return nil, err
	}
	return ephemeralEmbed(renderQuota(p, lines)), nil
}
