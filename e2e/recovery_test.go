package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/deploy"
)

// moveTo walks a session through the states of the table in the store, as
// a replica would have, and starts a run with the given lease age.
func (h *harness) moveTo(sid string, states []deploy.State, op, instance string, leaseAge time.Duration) {
	h.t.Helper()
	ctx := context.Background()
	for _, to := range states {
		s, err := h.main.DB.GetSession(ctx, h.guild, sid)
		if err != nil {
			h.t.Fatal(err)
		}
		from := s.State
		s.State = to
		if err := h.main.DB.SaveSession(ctx, s, from); err != nil {
			h.t.Fatalf("%s → %s: %v", from, to, err)
		}
	}
	at := time.Now().Add(-leaseAge)
	run := &deploy.Run{GuildID: h.guild, SessionID: sid, Operation: op, Instance: instance, StartedAt: at, LeaseRenewedAt: at}
	if err := h.main.DB.StartRun(ctx, run); err != nil {
		h.t.Fatal(err)
	}
}

func TestRestartRecoversDeadRuns(t *testing.T) {
	t.Parallel()
	a := start(t, options{})
	a.setupProject("dev", 0, grant{alice, "deploy"})
	applying := a.plannedLobby(alice, "dev", "web")
	planning := a.plannedLobby(alice, "dev", "db")
	live := a.plannedLobby(alice, "dev", "api")
	a.moveTo(applying.field("Session"), []deploy.State{deploy.StateApproved, deploy.StateApplying}, deploy.OpApply, "dead-replica", 5*time.Minute)
	a.moveTo(planning.field("Session"), []deploy.State{deploy.StatePlanning}, deploy.OpPlan, "dead-replica", 5*time.Minute)
	a.moveTo(live.field("Session"), []deploy.State{deploy.StateApproved, deploy.StateApplying}, deploy.OpApply, "live-replica", 0)
	dir := a.main.Config.DataDir
	a.stop()

	b := start(t, options{fake: a.fake, configure: func(c *config.Config) { c.DataDir = dir }})
	tests := []struct {
		name  string
		l     lobby
		state string
	}{
		{"apply of a dead replica", applying, "FAILED"},
		{"plan of a dead replica", planning, "PLAN_FAILED"},
	}
	for _, tc := range tests {
		l := b.waitState(tc.l.ID, tc.state, 10*time.Second)
		if got := l.field("Error"); got != "interrupted: the engine restarted" {
			t.Errorf("%s: error field %q", tc.name, got)
		}
	}
	s, err := b.main.DB.GetSession(context.Background(), b.guild, live.field("Session"))
	if err != nil || s.State != deploy.StateApplying {
		t.Errorf("the live run's session was touched: %v %v", s.State, err)
	}
	if got := b.lobbyNow(live.ID).field("State"); got != "PLANNED" {
		t.Errorf("the live run's lobby was edited to %s", got)
	}
}
