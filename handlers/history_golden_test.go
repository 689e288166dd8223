package handlers

import (
	"testing"
	"time"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

func goldenHistory(status string) *deploy.History {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	web := func(size string) deploy.Resource {
		return deploy.Resource{Type: "compute_vm", Name: "web", Params: map[string]string{"size": size, "region": "us-central1"}}
	}
	d := &deploy.Deployment{GuildID: "2200000000000000001", ID: "k3f9x2ab", ProjectID: "dev", Provider: "sandbox",
		Status: status, Revision: 3, Resources: []deploy.Resource{web("small")}, SessionState: deploy.StateApplied}
	revs := []*deploy.Revision{
		{Number: 3, SessionID: "q7w8e9r0", AppliedBy: "4400000000000000003", AppliedAt: at.Add(2 * time.Hour), Resources: []deploy.Resource{web("small")},
			ClosingLine: "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.", Cost: "-$0.01/hour | -$7.30/month"},
		{Number: 2, SessionID: "m2p8q4rs", AppliedBy: "4400000000000000002", AppliedAt: at.Add(time.Hour),
			Resources:   []deploy.Resource{web("medium"), {Type: "storage_bucket", Name: "assets"}},
			ClosingLine: "Apply complete! Resources: 1 added, 1 changed, 0 destroyed.", Cost: "$0.01/hour | $7.30/month"},
		{Number: 1, SessionID: "k3f9x2ab", AppliedBy: "4400000000000000002", AppliedAt: at, Resources: []deploy.Resource{web("small")},
			ClosingLine: "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.", Cost: "$0.01/hour | $7.30/month"},
	}
	return &deploy.History{Deployment: d, Revisions: revs, Total: 3, Page: 1}
}

// historyMessage is what /cloud-history answers, for the golden files.
func historyMessage(h *deploy.History) discord.MessageCreate {
	m := discord.NewMessageCreate().WithEmbeds(renderHistory(h))
	if sel, ok := rollbackSelect(h); ok {
		m = m.WithComponents(discord.NewActionRow(sel))
	}
	return m
}

func TestRenderHistoryGolden(t *testing.T) {
	cases := map[string]*deploy.History{
		"live":      goldenHistory(deploy.DeploymentLive),
		"destroyed": goldenHistory(deploy.DeploymentDestroyed),
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) { golden(t, "history_"+name, historyMessage(h)) })
	}
}

func TestRollbackSelectOffersEarlierRevisions(t *testing.T) {
	h := goldenHistory(deploy.DeploymentLive)
	sel, ok := rollbackSelect(h)
	if !ok || len(sel.Options) != 2 || sel.Options[0].Value != "r2" || sel.Options[1].Value != "r1" {
		t.Fatalf("options = %+v, want r2 and r1 (not the current r3)", sel.Options)
	}
	if _, ok := rollbackSelect(goldenHistory(deploy.DeploymentDestroyed)); ok {
		t.Error("a destroyed deployment offers a rollback")
	}
	h.Revisions = h.Revisions[:1]
	if _, ok := rollbackSelect(h); ok {
		t.Error("a deployment with only its current revision offers a rollback")
	}
}
