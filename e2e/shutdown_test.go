package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

// TestShutdownInterruptsALongApply: SIGTERM (Main.Close) waits
// SHUTDOWN_GRACE for a running apply, then interrupts it; the session ends
// FAILED with "interrupted: the engine restarted" and the thread says so.
func TestShutdownInterruptsALongApply(t *testing.T) {
	t.Parallel()
	slow := slowTerraform(t, "apply", 30*time.Second)
	h := start(t, options{configure: func(c *config.Config) {
		c.TerraformPath = slow
		c.ShutdownGrace = time.Second
	}})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	h.click(alice, l.ID, l.id("Approve & Deploy"))
	l = h.waitState(l.ID, "APPLYING", 10*time.Second)
	thread := h.threadOf(l.ID)

	begin := time.Now()
	h.stop()
	if took := time.Since(begin); took > 20*time.Second {
		t.Errorf("shutdown took %s", took)
	}
	l = h.lobbyNow(l.ID)
	if got := l.field("State"); got != "FAILED" {
		t.Fatalf("state after shutdown %s, want FAILED", got)
	}
	if got := l.field("Error"); got != "interrupted: the engine restarted" {
		t.Errorf("error field %q", got)
	}
	msgs := h.fake.Messages(thread)
	if len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1].Content, "FAILED") {
		t.Errorf("the thread does not end with the FAILED state")
	}
}
