package e2e

import (
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

func TestIdleLobbyExpiresInTheLoop(t *testing.T) {
	t.Parallel()
	h := start(t, options{configure: func(c *config.Config) {
		c.SessionTTL = time.Second
		c.CleanupInterval = 200 * time.Millisecond
	}})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l, _ := h.openLobby(alice, "dev")
	l = h.waitState(l.ID, "EXPIRED", 10*time.Second)
	if got := l.footer(); got != "This deployment session has expired." {
		t.Errorf("expired lobby footer %q", got)
	}
	if len(l.Components) != 0 {
		t.Errorf("expired lobby keeps its components")
	}
	r := h.click(alice, l.ID, "replan:"+l.field("Session"))
	wantEphemeral(t, "click on an expired lobby", r, "This deployment session has expired.")
}

func TestClickPastTTLExpiresOnTheSpot(t *testing.T) {
	t.Parallel()
	const ttl = 2 * time.Second
	h := start(t, options{configure: func(c *config.Config) {
		c.SessionTTL = ttl
		c.CleanupInterval = time.Hour // only the click can expire it
	}})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	planned := time.Now()
	// Polling a harmless read until the TTL has passed; Show plan does not count as activity.
	h.eventually("the TTL to pass", 10*time.Second, func() bool { return time.Since(planned) > ttl+200*time.Millisecond })
	if got := h.lobbyNow(l.ID).field("State"); got != "PLANNED" {
		t.Fatalf("state before the click %q: the loop should not have run", got)
	}
	r := h.click(alice, l.ID, l.id("Approve & Deploy"))
	wantEphemeral(t, "approve past the TTL", r, "This deployment session has expired.")
	l = h.waitState(l.ID, "EXPIRED", 5*time.Second)
	if len(l.Components) != 0 {
		t.Errorf("expired lobby keeps its components")
	}
}
