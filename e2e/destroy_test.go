package e2e

import (
	"strings"
	"testing"
	"time"
)

func TestOneOpenDestroyPerDeployment(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "deploy"})
	sid := h.deployed(alice, "dev", "web").field("Session")

	dl := h.deferredLobby(h.command(alice, "cloud-destroy", opt{"session_id", sid}))
	if got := dl.field("State"); got != "PLANNING" && got != "PLANNED" {
		t.Errorf("destroy lobby starts in %s", got)
	}
	r := h.command(bob, "cloud-destroy", opt{"session_id", sid})
	if r.Type != 4 || !r.Ephemeral() || !strings.Contains(r.Content(), dl.field("Session")) {
		t.Errorf("second destroy answered %s, want an ephemeral refusal naming the open one", r.Raw)
	}
	dl = h.waitState(dl.ID, "PLANNED", 30*time.Second)
	h.click(alice, dl.ID, dl.id("Cancel"))
	h.waitState(dl.ID, "CANCELLED", 5*time.Second)
	// Once the first ended, a new destroy may open and be applied.
	dl2 := h.deferredLobby(h.command(bob, "cloud-destroy", opt{"session_id", sid}))
	dl2 = h.waitState(dl2.ID, "PLANNED", 30*time.Second)
	h.click(bob, dl2.ID, dl2.id("Approve & Destroy"))
	h.waitState(dl2.ID, "APPLIED", 60*time.Second)
	thread := h.threadOf(dl2.ID)
	for _, th := range h.fake.Threads() {
		if th.ID == thread && th.Name != "destroy-dev-"+dl2.field("Session") {
			t.Errorf("destroy thread named %q", th.Name)
		}
	}
	wantEphemeral(t, "destroy of a destroyed deployment", h.command(alice, "cloud-destroy", opt{"session_id", sid}), "")
}
