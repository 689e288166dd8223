package db

import (
	"context"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestExpiryClaims: the expiry starts once from the deploy session's ttl,
// and every change of it (extension, reminder, claim) is a compare-and-set
// that one writer wins.
func TestExpiryClaims(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		t0 := ms(t0)
		mustProject(t, db, "g1", "dev")
		s := newSession("g1", "dev", "u1", "ttl00001", vm("web"))
		s.TTL = 10 * time.Second
		s = mustSession(t, db, s)
		if got, _ := db.GetSession(ctx, "g1", s.ID); got.TTL != 10*time.Second || got.ExpiresAt != nil {
			t.Fatalf("session ttl %v expires %v", got.TTL, got.ExpiresAt)
		}
		moveTo(t, db, s, deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying)
		mustDeployment(t, db, s)
		never := applied(t, db, "g1", "ttl00002", vm("db"))

		e, err := db.GetExpiry(ctx, "g1", s.ID)
		if err != nil || e.At != nil || e.TTL != 0 {
			t.Fatalf("expiry before the apply = %+v, %v", e, err)
		}
		for _, id := range []string{s.ID, never.ID} {
			if err := db.StartExpiry(ctx, "g1", id, t0); err != nil {
				t.Fatal(err)
			}
		}
		// A later apply does not move it.
		if err := db.StartExpiry(ctx, "g1", s.ID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if e, _ = db.GetExpiry(ctx, "g1", never.ID); e.At != nil {
			t.Errorf("a deployment without ttl got an expiry %v", e.At)
		}
		e, _ = db.GetExpiry(ctx, "g1", s.ID)
		if e.At == nil || !e.At.Equal(t0.Add(10*time.Second)) || e.TTL != 10*time.Second {
			t.Fatalf("expiry = %+v, want %v", e, t0.Add(10*time.Second))
		}
		// The deploy session is still APPLYING: not listed until it ends.
		if es, _ := db.ExpiringDeployments(ctx, "", t0.Add(time.Hour)); len(es) != 0 {
			t.Errorf("a running deployment is listed: %+v", es)
		}
		moveTo(t, db, s, deploy.StateApplied)
		if got, _ := db.GetSession(ctx, "g1", s.ID); got.ExpiresAt == nil || !got.ExpiresAt.Equal(*e.At) {
			t.Errorf("the deploy session reads expiry %v", got.ExpiresAt)
		}
		es, err := db.ExpiringDeployments(ctx, "", t0.Add(11*time.Second))
		if err != nil || len(es) != 1 || es[0].DeploymentID != s.ID {
			t.Fatalf("expiring = %+v, %v", es, err)
		}
		if es, _ := db.ExpiringDeployments(ctx, "g2", t0.Add(time.Hour)); len(es) != 0 {
			t.Errorf("another guild sees %+v", es)
		}
		if es, _ := db.ExpiringDeployments(ctx, "", t0.Add(9*time.Second)); len(es) != 0 {
			t.Errorf("listed before its expiry: %+v", es)
		}

		// Reminder: once per expiry, without bumping the version.
		for i, want := range []bool{true, false} {
			if ok, err := db.ClaimReminder(ctx, e); ok != want || err != nil {
				t.Fatalf("reminder claim %d = %v, %v", i, ok, err)
			}
		}
		// Extension and claim race on the version: the first wins.
		later := t0.Add(20 * time.Second)
		if ok, err := db.MoveExpiry(ctx, e, later); !ok || err != nil {
			t.Fatalf("move = %v, %v", ok, err)
		}
		if ok, _ := db.ClaimExpiry(ctx, e, "dstr0001", t0); ok {
			t.Errorf("a claim on a stale version won")
		}
		e, _ = db.GetExpiry(ctx, "g1", s.ID)
		if !e.At.Equal(later) || !e.RemindedFor.Equal(t0.Add(10*time.Second)) {
			t.Fatalf("after the move: %+v", e)
		}
		if ok, _ := db.ClaimReminder(ctx, e); !ok {
			t.Errorf("the moved expiry gets no reminder of its own")
		}
		if ok, err := db.ClaimExpiry(ctx, e, "dstr0001", t0); !ok || err != nil {
			t.Fatalf("claim = %v, %v", ok, err)
		}
		if ok, _ := db.MoveExpiry(ctx, e, later.Add(time.Hour)); ok {
			t.Errorf("a move on a stale version won")
		}
		got, _ := db.GetExpiry(ctx, "g1", s.ID)
		if got.Session != "dstr0001" || got.Attempts != 1 || !got.ClaimedAt.Equal(t0) {
			t.Fatalf("claimed: %+v", got)
		}
		if err := db.ReleaseExpiry(ctx, "g1", s.ID, "dstr0001"); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.GetExpiry(ctx, "g1", s.ID); got.Session != "" || got.Attempts != 0 {
			t.Errorf("released: %+v", got)
		}
		if err := db.MarkDestroyed(ctx, "g1", s.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := db.ClaimExpiry(ctx, got, "dstr0002", t0); ok {
			t.Errorf("a destroyed deployment was claimed")
		}
		if es, _ := db.ExpiringDeployments(ctx, "", t0.Add(time.Hour)); len(es) != 0 {
			t.Errorf("a destroyed deployment is listed: %+v", es)
		}
	})
}

func TestProjectTTL(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := &deploy.Project{GuildID: "g1", ID: "dev", Provider: "sandbox", Region: "local", TTL: 168 * time.Hour, TTLText: "168h"}
		if err := db.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetProject(ctx, "g1", "dev")
		if err != nil || got.TTL != 168*time.Hour || got.TTLText != "168h" {
			t.Fatalf("project = %+v, %v", got, err)
		}
		ps, _, err := db.ReadableProjects(ctx, "g1", "u1", true, t0, 0, 10)
		if err != nil || len(ps) != 1 || ps[0].TTLText != "168h" {
			t.Fatalf("readable = %+v, %v", ps, err)
		}
	})
}
