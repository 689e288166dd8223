package handlers

import (
	"fmt"
	"strings"
	"time"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

func pages(total int) int { return max(1, (total+deploy.PageSize-1)/deploy.PageSize) }

func renderProjects(ps []*deploy.Project, total, page int) discord.Embed {
	e := discord.NewEmbed().WithTitle("Projects").WithColor(colorNeutral)
	if len(ps) == 0 {
		return e.WithDescription("No project you may read. An administrator can create one with /cloud-create-project and grant you access with /cloud-grant.")
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "**%s** · %s · %s", p.ID, p.Provider, p.Region)
		if p.Approvals > 0 {
			fmt.Fprintf(&b, " · %d approvals", p.Approvals)
		}
		if p.Description != "" {
			b.WriteString(" — " + clip(p.Description, 80))
		}
		b.WriteByte('\n')
	}
	return e.WithDescription(clip(b.String(), maxEmbedDescription)).
		WithFooterText(fmt.Sprintf("Page %d of %d · %d projects", page, pages(total), total))
}

func renderSessions(title string, ss []*deploy.Session, total, page int) discord.Embed {
	e := discord.NewEmbed().WithTitle(title).WithColor(colorNeutral)
	if len(ss) == 0 {
		return e.WithDescription("No sessions.")
	}
	var b strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&b, "`%s` **%s** · %s", s.ID, s.ProjectID, s.Kind)
		if s.TargetID != "" {
			fmt.Fprintf(&b, " of `%s`", s.TargetID)
		}
		fmt.Fprintf(&b, " · %s", deploy.DescribeState(s))
		if s.Revision > 0 {
			fmt.Fprintf(&b, " · r%d", s.Revision)
		}
		fmt.Fprintf(&b, " · <@%s> · <t:%d:R>", s.OwnerID, s.CreatedAt.Unix())
		if n := len(s.Resources); n > 0 {
			fmt.Fprintf(&b, " · %d resources", n)
		}
		b.WriteByte('\n')
	}
	return e.WithDescription(clip(b.String(), maxEmbedDescription)).
		WithFooterText(fmt.Sprintf("Page %d of %d · %d sessions", page, pages(total), total))
}

func renderQuota(p *deploy.Project, lines []deploy.QuotaLine) discord.Embed {
	e := discord.NewEmbed().WithTitle("Quota of " + p.ID).WithColor(colorNeutral)
	var b strings.Builder
	for _, l := range lines {
		limit := fmt.Sprintf("%d (no limit)", l.Used)
		if l.Limit >= 0 {
			limit = fmt.Sprintf("%d/%d", l.Used, l.Limit)
		}
		fmt.Fprintf(&b, "`%s` %s\n", l.ResourceType, limit)
	}
	return e.WithDescription(b.String())
}

func renderStats(project string, st *deploy.Stats) discord.Embed {
	title := "Statistics"
	if project != "" {
		title += " of " + project
	}
	e := discord.NewEmbed().WithTitle(title).WithColor(colorNeutral)
	var b strings.Builder
	for _, s := range deploy.AllStates() {
		if n := st.ByState[s]; n > 0 {
			fmt.Fprintf(&b, "`%s` %d\n", s, n)
		}
	}
	if b.Len() == 0 {
		b.WriteString("No sessions yet.")
	}
	e = e.AddField("Sessions by state", b.String(), false)
	rate := "n/a (no apply has ended)"
	if r := st.SuccessRate(); r >= 0 {
		rate = fmt.Sprintf("%.1f%% (%d applied, %d failed)", r*100, st.Applied, st.Failed)
	}
	e = e.AddField("Success rate", rate, false)
	e = e.AddField("Plan duration", durations(st.PlanMedian, st.PlanP95, st.PlanSamples), true)
	e = e.AddField("Apply duration", durations(st.ApplyMedian, st.ApplyP95, st.ApplySamples), true)
	return e
}

func durations(median, p95 time.Duration, n int) string {
	if n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("median %s · p95 %s (%d runs)", round(median), round(p95), n)
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
