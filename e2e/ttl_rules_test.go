package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/deploy"
)

// TestExpiryOnceAcrossReplicas: two replicas on one PostgreSQL see the
// same expiry; the deployment is reminded once and destroyed once.
func TestExpiryOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	pg := onPostgres(t)
	fast := func(c *config.Config) { pg(c); c.CleanupInterval = 300 * time.Millisecond }
	a := start(t, options{configure: fast})
	b := start(t, options{fake: a.fake, configure: fast})
	a.setupProject("dev", 0, grant{alice, "deploy"})
	sid := a.deployedTTL(alice, "dev", "6s", "web").field("Session")

	a.destroyed(sid, 40*time.Second)
	ds := a.destroySessions(sid)
	if len(ds) != 1 {
		t.Fatalf("%d destroy sessions, want one", len(ds))
	}
	b.waitState(ds[0].LobbyMessageID, "APPLIED", 30*time.Second)
	time.Sleep(time.Second) // a few more sweeps of both replicas
	if n := len(a.destroySessions(sid)); n != 1 {
		t.Errorf("%d destroy sessions after more sweeps", n)
	}
	if th := a.destroyThreads("dev"); len(th) != 1 {
		t.Errorf("destroy threads %v, want one", th)
	}
	if rs := a.reminders(sid); len(rs) != 1 {
		t.Errorf("%d reminders, want one", len(rs))
	}
}

// TestExpiryAfterRestart: an engine that was down at the expiry destroys
// the deployment when it comes back.
func TestExpiryAfterRestart(t *testing.T) {
	t.Parallel()
	slow := func(c *config.Config) { c.CleanupInterval = time.Hour } // only the sweep at start runs
	a := start(t, options{configure: slow})
	a.setupProject("dev", 0, grant{alice, "deploy"})
	sid := a.deployedTTL(alice, "dev", "3s", "web").field("Session")
	at := *a.expiry(sid).At
	dir := a.main.Config.DataDir
	a.stop()
	a.eventually("the expiry to pass while the engine is down", 10*time.Second, func() bool { return time.Now().After(at.Add(time.Second)) })

	b := start(t, options{fake: a.fake, configure: func(c *config.Config) { slow(c); c.DataDir = dir }})
	b.destroyed(sid, 30*time.Second)
	if th := b.destroyThreads("dev"); len(th) != 1 {
		t.Errorf("destroy threads %v, want one", th)
	}
}

// TestOpenUpdateDelaysExpiry: a deployment with an open update keeps its
// expiry; the expiry's destroy waits until the update ends.
func TestOpenUpdateDelaysExpiry(t *testing.T) {
	t.Parallel()
	h := start(t, options{configure: func(c *config.Config) { c.CleanupInterval = 300 * time.Millisecond }})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	sid := h.deployedTTL(alice, "dev", "4s", "web").field("Session")
	u := h.waitState(h.openUpdate(alice, sid).ID, "PLANNED", 30*time.Second)
	at := *h.expiry(sid).At
	h.eventually("well past the expiry", 15*time.Second, func() bool { return time.Now().After(at.Add(2 * time.Second)) })

	ctx := context.Background()
	d, err := h.main.DB.GetDeployment(ctx, h.guild, sid)
	if err != nil || d.Status != deploy.DeploymentLive || len(h.destroySessions(sid)) != 0 {
		t.Fatalf("with an open update: deployment %+v (%v), %d destroy sessions", d, err, len(h.destroySessions(sid)))
	}
	if e := h.expiry(sid); !e.At.Equal(at) {
		t.Errorf("the open update moved the expiry to %v", e.At)
	}
	h.click(alice, u.ID, u.id("Cancel"))
	h.waitState(u.ID, "CANCELLED", 10*time.Second)
	h.destroyed(sid, 30*time.Second)
	if ds := h.destroySessions(sid); len(ds) != 1 {
		t.Errorf("%d destroy sessions, want one", len(ds))
	}
}

// TestDestroyNow: the reminder's Destroy now destroys the deployment
// before its expiry, without the two approvals the project needs.
func TestDestroyNow(t *testing.T) {
	t.Parallel()
	h := start(t, options{configure: func(c *config.Config) { c.CleanupInterval = 300 * time.Millisecond }})
	h.setupProject("dev", 2, grant{alice, "deploy"}, grant{bob, "deploy"}, grant{carol, "admin"})
	r := h.command(alice, "cloud-deploy", opt{"project", "dev"}, opt{"ttl", "20s"})
	l := h.deferredLobby(r)
	h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"})
	l = h.planned(l.ID, "Plan: 1 to add, 0 to change, 0 to destroy.")
	h.click(bob, l.ID, l.id("Approve"))
	h.click(carol, l.ID, l.id("Approve"))
	sid := h.waitState(l.ID, "APPLIED", 60*time.Second).field("Session")
	at := *h.expiry(sid).At
	var rem lobby
	h.eventually("the reminder, 10 s before", 30*time.Second, func() bool {
		rs := h.reminders(sid)
		if len(rs) > 0 {
			rem = rs[0]
		}
		return len(rs) > 0
	})
	// A project admin may, like the owner.
	wantEphemeral(t, "Destroy now by a project admin", h.click(carol, rem.ID, rem.id("Destroy now")), "Destroying deployment "+sid+" now: session ")
	wantEphemeral(t, "Extend once the destroy runs", h.click(alice, rem.ID, rem.id("Extend")), "Deployment "+sid+" is being destroyed")
	h.destroyed(sid, 30*time.Second)
	if !time.Now().Before(at) {
		t.Errorf("destroyed only at the expiry")
	}
	ds := h.destroySessions(sid)
	if len(ds) != 1 || ds[0].OwnerID != carol.ID {
		t.Fatalf("destroy sessions %+v, want one owned by who clicked", ds)
	}
	if dl := h.waitState(ds[0].LobbyMessageID, "APPLIED", 30*time.Second); !strings.HasPrefix(str(dl.Embeds[0]["title"]), "Destroy "+sid) {
		t.Errorf("destroy lobby %s", fmtJSON(dl.Embeds))
	}
	events, _ := h.main.DB.Audit(context.Background(), h.guild, sid)
	if !hasAudit(events, carol.ID, "destroy") {
		t.Errorf("audit of %s has no destroy by the admin who clicked: %+v", sid, events)
	}
}
