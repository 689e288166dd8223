package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

// slowTerraform wraps the real terraform so that `terraform <op>` takes a
// few seconds more: before a plan (nothing planned yet) or after an apply
// (the state is saved, terraform has not exited). An interrupt ends the
// wait at once, the way terraform ends after a graceful stop.
func slowTerraform(t *testing.T, op string, d time.Duration) string {
	t.Helper()
	real := terraformPath(t)
	body := fmt.Sprintf(`#!/bin/sh
pid=
trap '[ -n "$pid" ] && kill $pid; exit 130' INT TERM
if [ "$1" = "plan" ] && [ "%[1]s" = "plan" ]; then
  sleep %[2]d </dev/null >/dev/null 2>&1 & pid=$!
  wait $pid
  pid=
fi
if [ "$1" = "apply" ] && [ "%[1]s" = "apply" ]; then
  "%[3]s" "$@"
  rc=$?
  sleep %[2]d </dev/null >/dev/null 2>&1 & pid=$!
  wait $pid
  exit $rc
fi
exec "%[3]s" "$@"
`, op, int(d.Seconds()), real)
	p := filepath.Join(t.TempDir(), "terraform")
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCancelRunningPlanByAdmin(t *testing.T) {
	t.Parallel()
	slow := slowTerraform(t, "plan", 8*time.Second)
	h := start(t, options{configure: func(c *config.Config) { c.TerraformPath = slow }})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l, _ := h.openLobby(alice, "dev")
	sid := l.field("Session")
	h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"})
	l = h.waitState(l.ID, "PLANNING", 5*time.Second)
	if !l.disabled("Add a resource…") || !l.disabled("Re-plan") || !l.disabled("Approve & Deploy") {
		t.Errorf("selects, Re-plan or Approve enabled while planning")
	}
	r := h.click(alice, l.ID, l.id("Re-plan"))
	wantEphemeral(t, "re-plan while planning", r, "A plan is running; try again when it ends.")

	started := time.Now()
	r = h.command(admin, "cloud-admin-cancel", opt{"session_id", sid})
	wantEphemeral(t, "admin cancel", r, "Session "+sid+" cancelled.")
	l = h.waitState(l.ID, "CANCELLED", 5*time.Second)
	if took := time.Since(started); took > 4*time.Second {
		t.Errorf("the plan was not interrupted: cancelled after %s", took)
	}
	if got := l.field("Note"); !strings.Contains(got, "Cancelled by <@"+admin.ID+">") {
		t.Errorf("note %q", got)
	}
	if len(l.Components) != 0 {
		t.Errorf("cancelled lobby keeps components")
	}
	// The interrupted plan must not bring the session back.
	h.eventually("the plan run to end", 10*time.Second, func() bool {
		return strings.Contains(h.logs.String(), `"msg":"terraform plan finished"`)
	})
	if got := h.lobbyNow(l.ID).field("State"); got != "CANCELLED" {
		t.Errorf("state after the plan ended %s", got)
	}
}

func TestCancelByOwnerAndButton(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "deploy"}, grant{carol, "admin"})

	tests := []struct {
		name    string
		planned bool
		do      func(l lobby) reply
		want    string // ephemeral refusal; "" when the cancel works
		by      user
	}{
		{"owner /cloud-cancel of a draft", false, func(l lobby) reply {
			return h.command(alice, "cloud-cancel", opt{"session_id", l.field("Session")})
		}, "", alice},
		{"another member's /cloud-cancel", false, func(l lobby) reply {
			return h.command(bob, "cloud-cancel", opt{"session_id", l.field("Session")})
		}, "Only the owner of this session can do that.", nil_},
		{"owner's Cancel button on a planned lobby", true, func(l lobby) reply {
			return h.click(alice, l.ID, l.id("Cancel"))
		}, "", alice},
		{"another member's Cancel button", false, func(l lobby) reply {
			return h.click(bob, l.ID, l.id("Cancel"))
		}, "Only the owner of this session can do that.", nil_},
		{"project admin's Cancel button", true, func(l lobby) reply {
			return h.click(carol, l.ID, l.id("Cancel"))
		}, "", carol},
		{"administrator's Cancel button", false, func(l lobby) reply {
			return h.click(admin, l.ID, l.id("Cancel"))
		}, "", admin},
	}
	for _, tc := range tests {
		var l lobby
		if tc.planned {
			l = h.plannedLobby(alice, "dev", "web")
		} else {
			l, _ = h.openLobby(alice, "dev")
		}
		before := l.field("State")
		r := tc.do(l)
		if tc.want != "" {
			wantEphemeral(t, tc.name, r, tc.want)
			if got := h.lobbyNow(l.ID).field("State"); got != before {
				t.Errorf("%s: state %s after a refused cancel", tc.name, got)
			}
			continue
		}
		if r.Status != 200 || (r.Type != 6 && !(r.Type == 4 && strings.Contains(r.Content(), "cancelled"))) {
			t.Errorf("%s: answered %s", tc.name, r.Raw)
		}
		l = h.waitState(l.ID, "CANCELLED", 5*time.Second)
		if got := l.field("Note"); got != "Cancelled by <@"+tc.by.ID+">." {
			t.Errorf("%s: note %q", tc.name, got)
		}
		r = h.click(alice, l.ID, "replan:"+l.field("Session"))
		wantEphemeral(t, tc.name+": click after the cancel", r, "This session has ended.")
	}
}

// nil_ marks a case in which nobody cancels.
var nil_ = user{}

func TestCancelDuringApplyKeepsState(t *testing.T) {
	t.Parallel()
	slow := slowTerraform(t, "apply", 20*time.Second)
	h := start(t, options{configure: func(c *config.Config) { c.TerraformPath = slow }})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	sid := l.field("Session")
	h.click(alice, l.ID, l.id("Approve & Deploy"))
	l = h.waitState(l.ID, "APPLYING", 10*time.Second)
	thread := h.threadOf(l.ID)
	h.eventually("apply output in the thread", 10*time.Second, func() bool {
		for _, m := range h.fake.Messages(thread) {
			if strings.Contains(m.Content, "Creation complete") {
				return true
			}
		}
		return false
	})
	cancelled := time.Now()
	r := h.command(alice, "cloud-cancel", opt{"session_id", sid})
	wantEphemeral(t, "cancel during the apply", r, "Cancelling session "+sid)
	l = h.waitState(l.ID, "CANCELLED", 15*time.Second)
	if took := time.Since(cancelled); took > 10*time.Second {
		t.Errorf("the apply was not interrupted: cancelled after %s", took)
	}
	if !strings.Contains(l.field("Note"), "saved its state") {
		t.Errorf("note %q", l.field("Note"))
	}
	_, final, _ := h.finalMessage(thread, "CANCELLED")
	t.Logf("final thread message: %q", final)

	// The state was kept: the deployment can be destroyed, and its plan destroys one resource.
	dl := h.deferredLobby(h.command(alice, "cloud-destroy", opt{"session_id", sid}))
	dl = h.waitState(dl.ID, "PLANNED", 30*time.Second)
	if plan := dl.field("Plan"); !strings.Contains(plan, "Plan: 0 to add, 0 to change, 1 to destroy.") {
		t.Errorf("destroy plan after the cancel %q", plan)
	}
}
