package e2e

import (
	"strings"
	"testing"
	"time"
)

func TestQuotaExceededAndFreedByDestroy(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "read"})
	r := h.command(admin, "cloud-set-quota", opt{"project", "dev"}, opt{"resource_type", "compute_vm"}, opt{"limit", 1})
	if !strings.HasPrefix(r.Content(), "Quota set") || !r.Ephemeral() {
		t.Fatalf("set quota answered %s", r.Raw)
	}

	l := h.plannedLobby(alice, "dev", "web")
	r = h.addResource(alice, l, "compute_vm", map[string]string{"name": "web2", "size": "small"})
	wantEphemeral(t, "second VM in the session", r, "Quota exceeded: compute_vm 2/1")

	// The applied VM keeps counting in a new session.
	if r := h.click(alice, l.ID, l.id("Approve & Deploy")); r.Type != 6 {
		t.Fatalf("approve answered %s", r.Raw)
	}
	h.waitState(l.ID, "APPLIED", 60*time.Second)
	sid := l.field("Session")
	l2, _ := h.openLobby(alice, "dev")
	r = h.addResource(alice, l2, "compute_vm", map[string]string{"name": "api", "size": "small"})
	wantEphemeral(t, "VM beyond the deployed one", r, "Quota exceeded: compute_vm 2/1")
	// Other types have no quota.
	if r := h.addResource(alice, l2, "network", map[string]string{"name": "net"}); r.Type != 6 {
		t.Errorf("a network answered %s", r.Raw)
	}
	h.waitState(l2.ID, "PLANNED", 30*time.Second)

	q := h.command(bob, "cloud-quota", opt{"project", "dev"})
	if q.Type != 4 || !q.Ephemeral() || !strings.Contains(text(q.Data), "`compute_vm` 1/1") {
		t.Errorf("quota for a reader answered %s", q.Raw)
	}
	wantEphemeral(t, "quota without read", h.command(carol, "cloud-quota", opt{"project", "dev"}),
		"Permission denied: you need read on project dev.")

	// Destroy the deployment: it stops counting.
	dr := h.command(alice, "cloud-destroy", opt{"session_id", sid})
	dl := h.deferredLobby(dr)
	dl = h.waitState(dl.ID, "PLANNED", 30*time.Second)
	h.click(alice, dl.ID, dl.id("Approve & Destroy"))
	h.waitState(dl.ID, "APPLIED", 60*time.Second)
	if r := h.addResource(alice, h.lobbyNow(l2.ID), "compute_vm", map[string]string{"name": "api", "size": "small"}); r.Type != 6 {
		t.Errorf("a VM after the destroy answered %s", r.Raw)
	}
	h.waitState(l2.ID, "PLANNED", 30*time.Second)
	q = h.command(bob, "cloud-quota", opt{"project", "dev"})
	if !strings.Contains(text(q.Data), "`compute_vm` 1/1") {
		t.Errorf("quota after the destroy and a new VM: %s", text(q.Data))
	}
}
