package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestApproveWaitsForPlanAndShowsCost(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})

	l, _ := h.openLobby(alice, "dev")
	if !l.disabled("Approve & Deploy") {
		t.Errorf("Approve enabled on a new lobby")
	}
	if l.component("Remove a resource…") != nil {
		t.Errorf("a remove select without resources")
	}
	r := h.click(alice, l.ID, l.id("Approve & Deploy"))
	wantEphemeral(t, "approve before a plan", r, "There is no successful plan to approve yet.")

	h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"})
	l = h.waitState(l.ID, "PLANNED", 30*time.Second)
	cost := l.field("Cost")
	lines := strings.Split(cost, "\n")
	if !regexp.MustCompile(`^\$\d+\.\d\d/hour \| \$\d+\.\d\d/month$`).MatchString(lines[0]) {
		t.Errorf("cost line %q, want $X.XX/hour | $Y.YY/month", lines[0])
	}
	if len(lines) < 2 || lines[len(lines)-1] != "Sandbox resources are priced as their gcp equivalents." {
		t.Errorf("cost field %q lacks the sandbox note on its own line", cost)
	}
	if l.disabled("Approve & Deploy") {
		t.Errorf("Approve disabled after a plan with changes")
	}
	if l.component("Remove a resource…") == nil {
		t.Errorf("no remove select with a resource")
	}

	// Removing the only resource returns to a plan without changes: Approve is disabled again.
	if r := h.choose(alice, l.ID, l.id("Remove a resource…"), "web"); r.Type != 6 {
		t.Fatalf("remove answered %s", r.Raw)
	}
	h.eventually("the lobby without resources", 30*time.Second, func() bool {
		l = h.lobbyNow(l.ID)
		return !strings.Contains(l.field("Resources"), "web") && l.field("State") != "PLANNING"
	})
	if !l.disabled("Approve & Deploy") {
		t.Errorf("Approve enabled without resources (state %s, plan %q)", l.field("State"), l.field("Plan"))
	}
}
