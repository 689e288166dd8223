package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// replay sends a captured request again, byte for byte, with its own
// signature and timestamp: what an attacker holding it can do within the
// five-minute window.
func (h *harness) replay(r reply) reply {
	h.t.Helper()
	return h.postRaw(r.Body, r.Sent)
}

func (h *harness) sessionCount() int {
	h.t.Helper()
	_, n, err := h.main.DB.ListSessions(context.Background(), deploy.SessionFilter{GuildID: h.guild, Limit: 100})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// TestReplayedInteractionsDoNothing: a validly signed request sent again
// gets an ephemeral answer and changes nothing (SPEC §1).
func TestReplayedInteractionsDoNothing(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})

	open := h.command(alice, "cloud-deploy", opt{"project", "dev"})
	l := h.deferredLobby(open)
	add := h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"})
	if add.Type != 6 {
		t.Fatalf("adding a resource answered %s", add.Raw)
	}
	l = h.waitState(l.ID, "PLANNED", 30*time.Second)
	approve := h.click(alice, l.ID, l.id("Approve & Deploy"))
	if approve.Type != 6 {
		t.Fatalf("approve answered %s", approve.Raw)
	}
	h.waitState(l.ID, "APPLIED", 60*time.Second)
	sessions, threads := h.sessionCount(), len(h.fake.Threads())

	tests := []struct {
		name string
		r    reply
	}{
		{"/cloud-deploy (command)", open},
		{"resource form (modal)", add},
		{"Approve & Deploy (component)", approve},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			again := h.replay(tc.r)
			wantEphemeral(t, "the replay", again, deploy.MsgReplayed)
		})
	}
	if n := h.sessionCount(); n != sessions {
		t.Errorf("%d sessions after the replays, want %d", n, sessions)
	}
	if n := len(h.fake.Threads()); n != threads {
		t.Errorf("%d apply threads after the replays, want %d", n, threads)
	}
	if s := h.lobbyNow(l.ID); s.field("State") != "APPLIED" {
		t.Errorf("the lobby is %s after the replays", s.field("State"))
	}

	// PINGs are answered however often they come.
	ping := h.post(alice, 1, nil, nil)
	for range 2 {
		if r := h.replay(ping); r.Status != 200 || r.Type != 1 {
			t.Errorf("a repeated PING answered %d %s", r.Status, r.Raw)
		}
	}
}
