package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/db/dbtest"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// TestKillDuringApply: kill -9 of the engine's whole process group while
// terraform applies. A restarted engine marks the session FAILED with
// "interrupted: the engine restarted" within SPEC's 60 s of the last lease
// renewal, says so in the lobby and the thread, nothing of the old group
// keeps running, and the deployment's state is intact: it can be destroyed.
func TestKillDuringApply(t *testing.T) {
	t.Parallel()
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	ps := newProcSetup(t, fake)
	real := ps.terraform
	ps.terraform = slowTerraform(t, "apply", 120*time.Second)
	h, p := startProcess(t, ps)
	h.setupProject("dev", 0)
	l := h.plannedLobby(admin, "dev", "web")
	if r := h.click(admin, l.ID, l.id("Approve & Deploy")); r.Type != 6 {
		t.Fatalf("approve answered %s", r.Raw)
	}
	thread := h.threadOf(l.ID)
	h.eventually("terraform's output in the thread", 30*time.Second, func() bool {
		for _, m := range fake.Messages(thread) {
			if strings.Contains(m.Content, "Creation complete") {
				return true
			}
		}
		return false
	})
	p.kill(t)
	killed := time.Now()
	h.eventually("the old process group to be gone", 10*time.Second, p.groupGone)

	ps.terraform = real
	h2, _ := startProcess(t, ps)
	l = h2.waitState(l.ID, "FAILED", 90*time.Second)
	if took := time.Since(killed); took > 75*time.Second {
		t.Errorf("the dead run was ended %s after the kill; SPEC allows 60 s since its last renewal (every 10 s)", took)
	}
	if got := l.field("Error"); got != "interrupted: the engine restarted" {
		t.Errorf("error field %q", got)
	}
	h2.eventually("the restart noticed in the thread", 20*time.Second, func() bool {
		for _, m := range fake.Messages(thread) {
			if strings.Contains(m.Content, "FAILED") && strings.Contains(m.Content, "interrupted: the engine restarted") {
				return true
			}
		}
		return false
	})
	sid := l.field("Session")
	dl := h2.deferredLobby(h2.command(admin, "cloud-destroy", opt{"session_id", sid}))
	dl = h2.planned(dl.ID, "Plan: 0 to add, 0 to change, 1 to destroy.")
	h2.click(admin, dl.ID, dl.id("Approve & Destroy"))
	h2.waitState(dl.ID, "APPLIED", 60*time.Second)
}

// TestKillOneOfTwoReplicas: two replicas on one PostgreSQL each apply a
// deployment; one is killed with its terraform. Its session ends FAILED
// through the surviving replica, whose own apply ends APPLIED.
func TestKillOneOfTwoReplicas(t *testing.T) {
	t.Parallel()
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	pg := "DATABASE_URL=" + dbtest.PostgresURL(t, "e2e")
	pa, pb := newProcSetup(t, fake, pg), newProcSetup(t, fake, pg)
	pa.terraform = slowTerraform(t, "apply", 120*time.Second)
	pb.terraform = slowTerraform(t, "apply", 15*time.Second)
	ha, procA := startProcess(t, pa)
	hb, _ := startProcess(t, pb)
	ha.setupProject("dev", 0)
	la := ha.plannedLobby(admin, "dev", "web")
	lb := hb.plannedLobby(admin, "dev", "api")
	ha.click(admin, la.ID, la.id("Approve & Deploy"))
	hb.click(admin, lb.ID, lb.id("Approve & Deploy"))
	for _, l := range []lobby{la, lb} {
		thread := ha.threadOf(l.ID)
		ha.eventually("terraform's output in "+thread, 30*time.Second, func() bool {
			for _, m := range fake.Messages(thread) {
				if strings.Contains(m.Content, "Creation complete") {
					return true
				}
			}
			return false
		})
	}
	procA.kill(t)
	hb.waitState(lb.ID, "APPLIED", 60*time.Second)
	got := hb.waitState(la.ID, "FAILED", 90*time.Second)
	if got.field("Error") != "interrupted: the engine restarted" {
		t.Errorf("the killed replica's session: error %q", got.field("Error"))
	}
	if s := hb.lobbyNow(lb.ID); s.field("State") != "APPLIED" {
		t.Errorf("the surviving replica's session ended %s", s.field("State"))
	}
}
