package e2e

import (
	"strings"
	"testing"
	"time"
)

func TestDeployApplyDestroy(t *testing.T) {
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})

	l, _ := h.openLobby(alice, "dev")
	if got := l.field("State"); got != "DRAFT" {
		t.Fatalf("new lobby state %q", got)
	}
	if !l.disabled("Approve & Deploy") {
		t.Errorf("Approve enabled before any plan")
	}
	sid := l.field("Session")

	r := h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"})
	if r.Type != 6 {
		t.Fatalf("modal submit answered %s", r.Raw)
	}
	l = h.waitState(l.ID, "PLANNED", 30*time.Second)
	if plan := l.field("Plan"); !strings.Contains(plan, "Plan: 1 to add, 0 to change, 0 to destroy.") {
		t.Errorf("plan field %q", plan)
	}
	if cost := l.field("Cost"); !strings.Contains(cost, "/hour | $") {
		t.Errorf("cost field %q", cost)
	}
	if l.disabled("Approve & Deploy") {
		t.Fatalf("Approve still disabled after a plan with changes")
	}

	approvedAt := time.Now()
	if r := h.click(alice, l.ID, l.id("Approve & Deploy")); r.Type != 6 {
		t.Fatalf("approve answered %s", r.Raw)
	}
	l = h.waitState(l.ID, "APPLIED", 60*time.Second)
	if len(l.Components) != 0 {
		t.Errorf("final lobby still has components")
	}
	threads := h.fake.Threads()
	if len(threads) != 1 || threads[0].Name != "deploy-dev-"+sid || threads[0].MessageID != l.ID {
		t.Fatalf("threads = %+v", threads)
	}
	var last string
	h.eventually("the final thread message", 10*time.Second, func() bool {
		msgs := h.fake.Messages(threads[0].ID)
		if len(msgs) == 0 {
			return false
		}
		final := msgs[len(msgs)-1]
		last = final.Content
		return strings.Contains(last, "APPLIED") && strings.Contains(last, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.") && len(final.Attachments) == 1
	})
	msgs := h.fake.Messages(threads[0].ID)
	t.Logf("approve → first thread message: %s", msgs[0].CreatedAt.Sub(approvedAt))

	// Destroy the deployment.
	r = h.command(alice, "cloud-destroy", opt{"session_id", sid})
	if r.Type != 5 {
		t.Fatalf("destroy answered %s", r.Raw)
	}
	var dl lobby
	h.eventually("the destroy lobby", 5*time.Second, func() bool {
		m, ok := h.fake.Original(r.Token)
		dl = lobby{m}
		return ok && dl.field("Session") != ""
	})
	dl = h.waitState(dl.ID, "PLANNED", 30*time.Second)
	if plan := dl.field("Plan"); !strings.Contains(plan, "Plan: 0 to add, 0 to change, 1 to destroy.") {
		t.Errorf("destroy plan %q", plan)
	}
	if r := h.click(alice, dl.ID, dl.id("Approve & Destroy")); r.Type != 6 {
		t.Fatalf("approve destroy answered %s", r.Raw)
	}
	h.waitState(dl.ID, "APPLIED", 60*time.Second)
	r = h.command(alice, "cloud-list")
	if !strings.Contains(fmtJSON(r.Data), "APPLIED (destroyed)") {
		t.Errorf("list does not show the destroyed deployment: %s", r.Raw)
	}
}
