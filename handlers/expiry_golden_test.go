package handlers

import (
	"testing"
	"time"

	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestRenderExpiryGolden: a deploy with a TTL says so while drafting, its
// applied lobby shows the expiry as a Discord timestamp, a destroyed one
// no longer does, and the reminder names the deployment with its buttons.
func TestRenderExpiryGolden(t *testing.T) {
	project := &deploy.Project{GuildID: "2200000000000000001", ID: "dev", Provider: "sandbox", Region: "us-central1",
		TTL: 7 * 24 * time.Hour, TTLText: "7d"}
	expires := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	draft := goldenSession(deploy.StateDraft)
	draft.TTL = 2 * time.Hour
	golden(t, "lobby_ttl_draft", renderLobby(deploy.LobbyView{Session: draft, Project: project, Types: goldenTypes()}))
	applied := goldenSession(deploy.StateApplied)
	applied.Plan, applied.TTL, applied.ExpiresAt = goldenPlan(), 2*time.Hour, &expires
	golden(t, "lobby_ttl_applied", renderLobby(deploy.LobbyView{Session: applied, Project: project, Types: goldenTypes()}))
	if name, _ := expiryField(&deploy.Session{Kind: deploy.KindDeploy, State: deploy.StateApplied, ExpiresAt: &expires, Destroyed: true}); name != "" {
		t.Errorf("a destroyed deployment shows %q", name)
	}
	d := &deploy.Deployment{ID: "k3f9x2ab", ProjectID: "dev", OwnerID: "4400000000000000002", ChannelID: "3300000000000000001"}
	golden(t, "reminder", renderReminder(deploy.ReminderView{Deployment: d, Project: project, ExpiresAt: expires, TTL: 2 * time.Hour},
		snowflake.MustParse(d.OwnerID)))
}
