package handlers

import (
	"context"
	"fmt"
	"strings"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/deploy"
)

// drift checks a project's live deployments: an ephemeral deferral, then
// one line per deployment once every check has ended.
func (h *Handler) drift(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	p, err := h.svc.DriftProject(ctx, r.Actor, r.Cmd.str("project"))
	if err != nil {
		return nil, err
	}
	a, token := r.Actor, r.Token.Value
	h.jobs.GoAfterResponse(ctx, "drift", func(jctx context.Context) {
		page, err := h.svc.CheckProjectDrift(jctx, a, p)
		if err != nil {
			h.failDeferred(jctx, token, err)
			return
		}
		u := discord.NewMessageUpdate().WithContent(renderDrift(page)).WithAllowedMentions(noMentions())
		if _, err := editDeferred(jctx, h.discord, token, u); err != nil {
			h.log.Warn("drift report not shown", "project", p.ID, "err", err)
		}
	})
	return deferred(true), nil
}

// maxDriftError bounds terraform's error on a "check failed" line.
const maxDriftError = 150

// renderDrift is the answer of /cloud-drift: SPEC's lines, one per
// deployment, and the total when there are more than a page.
func renderDrift(page *deploy.DriftPage) string {
	if page.Total == 0 {
		return fmt.Sprintf("Project %s has no live deployment.", page.Project.ID)
	}
	lines := make([]string, 0, len(page.Reports)+1)
	for _, r := range page.Reports {
		lines = append(lines, driftLine(r))
	}
	if page.Total > len(page.Reports) {
		lines = append(lines, fmt.Sprintf("Checked the newest %d of %d live deployments.", len(page.Reports), page.Total))
	}
	return clip(strings.Join(lines, "\n"), maxContent)
}

func driftLine(r deploy.DriftReport) string {
	switch r.Outcome {
	case deploy.DriftInSync:
		return r.DeploymentID + " in sync"
	case deploy.DriftDrifted:
		return r.DeploymentID + " drifted: " + strings.Join(r.Addresses, ", ")
	case deploy.DriftBusy:
		return r.DeploymentID + " busy"
	}
	msg := strings.Join(strings.Fields(r.Error), " ")
	return r.DeploymentID + " check failed: " + clip(msg, maxDriftError)
}

// reconcile opens an update session on a drifted deployment, owned by
// whoever clicked: its plan shows what the recorded configuration sets back.
func (h *Handler) reconcile(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	d, p, err := h.svc.CheckUpdate(ctx, r.Actor, r.Args[0])
	if err != nil {
		return nil, err
	}
	return h.openUpdate(ctx, r, d, p, nil), nil
}

// Drifted posts the drift of a deployment into its lobby's channel with a
// Reconcile button.
func (r *Reporter) Drifted(ctx context.Context, d *deploy.Deployment, addresses []string) error {
	if !r.d.HasBotToken() {
		return fmt.Errorf("no bot token to post the drift of %s", d.ID)
	}
	ch, err := snowflake.Parse(d.ChannelID)
	if err != nil {
		return fmt.Errorf("channel of %s: %w", d.ID, err)
	}
	text := fmt.Sprintf("%s\nDeployment `%s` of project %s changed outside Cloud Engine. Reconcile opens an update that plans its recorded configuration back.",
		driftLine(deploy.DriftReport{DeploymentID: d.ID, Outcome: deploy.DriftDrifted, Addresses: addresses}), d.ID, d.ProjectID)
	m := discord.NewMessageCreate().WithContent(clip(text, maxContent)).WithAllowedMentions(noMentions()).
		WithComponents(discord.NewActionRow(discord.NewPrimaryButton("Reconcile", customID(idReconcile, d.ID))))
	if _, err := r.d.CreateMessage(ctx, ch, m); err != nil {
		return fmt.Errorf("post the drift of %s: %w", d.ID, err)
	}
	return nil
}
