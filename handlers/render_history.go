package handlers

import (
	"fmt"
	"strings"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

// maxOptionDescription is Discord's limit for a select option's description.
const maxOptionDescription = 100

// renderHistory lists a deployment's revisions, newest first: who applied
// each, when, terraform's closing line and the cost of its plan.
func renderHistory(h *deploy.History) discord.Embed {
	d := h.Deployment
	e := discord.NewEmbed().WithTitle(clip("History of "+d.ID+" in "+d.ProjectID, maxEmbedTitle)).WithColor(colorNeutral)
	var b strings.Builder
	if d.Status == deploy.DeploymentDestroyed {
		b.WriteString("This deployment was destroyed.\n")
	}
	if len(h.Revisions) == 0 {
		b.WriteString("No revision yet: its first apply did not complete.")
	}
	for _, r := range h.Revisions {
		fmt.Fprintf(&b, "**r%d** · <@%s> · <t:%d:f>", r.Number, r.AppliedBy, r.AppliedAt.Unix())
		if r.Number == d.Revision && d.Status == deploy.DeploymentLive {
			b.WriteString(" · current")
		}
		if r.ClosingLine != "" {
			b.WriteString("\n" + r.ClosingLine)
		}
		if r.Cost != "" {
			b.WriteString(" · " + r.Cost)
		}
		fmt.Fprintf(&b, "\n%s\n\n", revisionResources(r.Resources))
	}
	return e.WithDescription(clip(strings.TrimSpace(b.String()), maxEmbedDescription)).
		WithFooterText(fmt.Sprintf("Page %d of %d · %d revisions", h.Page, pages(h.Total), h.Total))
}

// revisionResources names a revision's resources in one short line.
func revisionResources(rs []deploy.Resource) string {
	if len(rs) == 0 {
		return "no resources"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = "`" + r.Type + "` " + r.Name
		if ps := params(r); ps != "" {
			parts[i] += " (" + ps + ")"
		}
	}
	return clip(strings.Join(parts, ", "), 300)
}

// rollbackSelect offers the listed revisions other than the current one;
// none for a destroyed deployment or a single revision.
func rollbackSelect(h *deploy.History) (discord.StringSelectMenuComponent, bool) {
	d := h.Deployment
	if d.Status != deploy.DeploymentLive {
		return discord.StringSelectMenuComponent{}, false
	}
	var opts []discord.StringSelectMenuOption
	for _, r := range h.Revisions {
		if r.Number == d.Revision || len(opts) == maxSelectOptions {
			continue
		}
		label := fmt.Sprintf("r%d · %s", r.Number, r.AppliedAt.UTC().Format("2006-01-02 15:04 UTC"))
		o := discord.NewStringSelectMenuOption(clip(label, maxOptionLabel), fmt.Sprintf("r%d", r.Number))
		if desc := revisionPlain(r.Resources); desc != "" {
			o = o.WithDescription(clip(desc, maxOptionDescription))
		}
		opts = append(opts, o)
	}
	if len(opts) == 0 {
		return discord.StringSelectMenuComponent{}, false
	}
	return discord.NewStringSelectMenu(customID(idRollback, d.ID), "Roll back to…", opts...), true
}

func revisionPlain(rs []deploy.Resource) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
		if v := r.Params["size"]; v != "" {
			names[i] += " (" + v + ")"
		}
	}
	return strings.Join(names, ", ")
}
