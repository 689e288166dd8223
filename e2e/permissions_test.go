package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

const adminRole = "6600000000000000001"

var (
	// dave is an administrator by ADMIN_USER_IDS, erin by ADMIN_ROLE_IDS.
	dave = user{ID: "4400000000000000005", Perms: "2147483648"}
	erin = user{ID: "4400000000000000006", Perms: "2147483648", Roles: []string{"6600000000000000009", adminRole}}
)

func TestPermissionDeniedThenGranted(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0)

	r := h.command(alice, "cloud-deploy", opt{"project", "dev"})
	wantEphemeral(t, "deploy without a grant", r, "Permission denied: you need deploy on project dev.")
	h.command(admin, "cloud-grant", opt{"user", alice}, opt{"project", "dev"}, opt{"level", "read"})
	r = h.command(alice, "cloud-deploy", opt{"project", "dev"})
	wantEphemeral(t, "deploy with read", r, "Permission denied: you need deploy on project dev.")
	h.command(admin, "cloud-grant", opt{"user", alice}, opt{"project", "dev"}, opt{"level", "deploy"})
	h.deployed(alice, "dev", "web")
}

func TestRevokedPermissionIsCheckedAtTheClick(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	if r := h.command(admin, "cloud-revoke", opt{"user", alice}, opt{"project", "dev"}); !strings.HasPrefix(r.Content(), "Revoked") {
		t.Fatalf("revoke answered %s", r.Raw)
	}
	for _, button := range []string{"Approve & Deploy", "Show plan"} {
		r := h.click(alice, l.ID, l.id(button))
		wantEphemeral(t, button+" after the revoke", r, "Permission denied: you need deploy on project dev.")
	}
}

func TestAdministrators(t *testing.T) {
	t.Parallel()
	h := start(t, options{configure: func(c *config.Config) {
		c.AdminUserIDs = []string{dave.ID}
		c.AdminRoleIDs = []string{adminRole}
	}})
	adminCommands := [][]opt{
		{{"cloud-create-project", nil}, {"project_id", "x1"}, {"provider", "sandbox"}, {"description", "x"}},
		{{"cloud-set-quota", nil}, {"project", "x1"}, {"resource_type", "compute_vm"}, {"limit", 1}},
		{{"cloud-admin-list", nil}},
		{{"cloud-admin-cancel", nil}, {"session_id", "k3f9x2ab"}},
		{{"cloud-stats", nil}},
	}
	for _, c := range adminCommands {
		r := h.command(alice, c[0].Name, c[1:]...)
		wantEphemeral(t, "/"+c[0].Name+" by a member", r, "Permission denied: this command is for administrators.")
	}
	tests := []struct {
		name string
		u    user
	}{
		{"ADMINISTRATOR permission", admin},
		{"ADMIN_USER_IDS", dave},
		{"ADMIN_ROLE_IDS", erin},
	}
	for i, tc := range tests {
		id := []string{"by-perm", "by-user", "by-role"}[i]
		r := h.command(tc.u, "cloud-create-project", opt{"project_id", id}, opt{"provider", "sandbox"}, opt{"description", tc.name})
		if !strings.HasPrefix(r.Content(), "Project "+id+" created") {
			t.Errorf("%s: create project answered %s", tc.name, r.Raw)
		}
		// Administrators hold admin on every project: they may deploy without a grant.
		if r := h.command(tc.u, "cloud-deploy", opt{"project", id}); r.Type != 5 {
			t.Errorf("%s: deploy answered %s", tc.name, r.Raw)
		}
		r = h.command(tc.u, "cloud-stats")
		if r.Type != 4 || !strings.Contains(text(r.Data), "Sessions by state") {
			t.Errorf("%s: stats answered %s", tc.name, r.Raw)
		}
	}
}

func TestProjectAdminGrantsOnTheirProjectOnly(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "admin"})
	h.setupProject("prod", 0)

	r := h.command(alice, "cloud-grant", opt{"user", bob}, opt{"project", "dev"}, opt{"level", "deploy"})
	if !strings.HasPrefix(r.Content(), "Granted deploy on project dev") || !r.Ephemeral() {
		t.Errorf("project admin grant answered %s", r.Raw)
	}
	if r := h.command(bob, "cloud-deploy", opt{"project", "dev"}); r.Type != 5 {
		t.Errorf("bob's deploy after the grant answered %s", r.Raw)
	}
	r = h.command(alice, "cloud-grant", opt{"user", bob}, opt{"project", "prod"}, opt{"level", "deploy"})
	wantEphemeral(t, "grant on another project", r, "Permission denied: this command is for administrators.")
	r = h.command(alice, "cloud-create-project", opt{"project_id", "mine"}, opt{"provider", "sandbox"}, opt{"description", "x"})
	wantEphemeral(t, "project admin creating a project", r, "Permission denied: this command is for administrators.")
	r = h.command(alice, "cloud-revoke", opt{"user", bob}, opt{"project", "dev"})
	if !strings.HasPrefix(r.Content(), "Revoked") {
		t.Errorf("project admin revoke answered %s", r.Raw)
	}
	r = h.command(bob, "cloud-grant", opt{"user", carol}, opt{"project", "dev"}, opt{"level", "read"})
	wantEphemeral(t, "grant by a member without admin", r, "Permission denied: this command is for administrators.")
}

func TestGrantWithDuration(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0)
	for _, bad := range []string{"soon", "-5m", "0s", "3x"} {
		r := h.command(admin, "cloud-grant", opt{"user", alice}, opt{"project", "dev"}, opt{"level", "deploy"}, opt{"duration", bad})
		wantEphemeral(t, "duration "+bad, r, "Invalid duration")
		if !strings.Contains(r.Content(), "30s, 90m, 2h or 7d") {
			t.Errorf("duration %s: the answer %q does not say what is valid", bad, r.Content())
		}
	}
	for _, long := range []string{"213504d", "366d", "9000h"} {
		r := h.command(admin, "cloud-grant", opt{"user", alice}, opt{"project", "dev"}, opt{"level", "deploy"}, opt{"duration", long})
		wantEphemeral(t, "duration "+long, r, "Duration "+long+" is too long: the most is 365d.")
	}
	// The grant starts when the service handles the command, after this.
	asked := time.Now()
	r := h.command(admin, "cloud-grant", opt{"user", alice}, opt{"project", "dev"}, opt{"level", "deploy"}, opt{"duration", "2s"})
	if !strings.HasPrefix(r.Content(), "Granted deploy on project dev") || !strings.Contains(r.Content(), "until") {
		t.Fatalf("timed grant answered %s", r.Raw)
	}
	if r := h.command(alice, "cloud-deploy", opt{"project", "dev"}); r.Type != 5 {
		t.Fatalf("deploy within the grant answered %s", r.Raw)
	}
	var last reply
	h.eventually("the grant to end", 6*time.Second, func() bool {
		last = h.command(alice, "cloud-deploy", opt{"project", "dev"})
		return last.Type == 4
	})
	// The store keeps milliseconds, so the end may come up to 1 ms early.
	if lasted := time.Since(asked); lasted < 2*time.Second-time.Millisecond {
		t.Errorf("the grant ended after %s, before its 2s", lasted)
	}
	wantEphemeral(t, "deploy after the grant ended", last, "Permission denied: you need deploy on project dev.")
}
