package db

import (
	"context"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestDriftClaimsAndFindings(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		s := applied(t, db, "g1", "deploy01", vm("web"))
		now := t0.Add(time.Hour)

		due, err := db.DueDriftChecks(ctx, now, 10)
		if err != nil || len(due) != 1 || !due[0].DriftDueAt.IsZero() {
			t.Fatalf("an unscheduled live deployment is due: %+v, %v", due, err)
		}
		// Not due yet: a scheduled claim fails, a manual one succeeds once.
		if err := db.ScheduleDrift(ctx, "g1", s.ID, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if due, _ := db.DueDriftChecks(ctx, now, 10); len(due) != 0 {
			t.Fatalf("due before its time: %+v", due)
		}
		claim := func(instance string, at time.Time, dueOnly bool) bool {
			ok, err := db.ClaimDriftCheck(ctx, "g1", s.ID, instance, at, at.Add(time.Minute), dueOnly)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if claim("a", now, true) {
			t.Fatal("a scheduled claim before the due time")
		}
		if !claim("a", now, false) || claim("b", now, false) {
			t.Fatal("a manual claim must succeed once and exclude another replica")
		}
		// A claim whose replica died lapses.
		if !claim("b", now.Add(2*time.Minute), true) {
			t.Fatal("a lapsed claim was not taken over")
		}

		record := func(r deploy.DriftRecord) bool {
			became, err := db.RecordDrift(ctx, "g1", s.ID, r)
			if err != nil {
				t.Fatal(err)
			}
			return became
		}
		at := now.Add(3 * time.Minute)
		if record(deploy.DriftRecord{At: at, NextDue: at.Add(time.Hour)}) {
			t.Fatal("in sync reported as becoming drifted")
		}
		drifted := deploy.DriftRecord{At: at, Addresses: []string{"a.b", "c.d"}, NextDue: at.Add(time.Hour)}
		if !record(drifted) || record(drifted) {
			t.Fatal("becoming drifted must be reported once")
		}
		if record(deploy.DriftRecord{At: at, Failed: true}) {
			t.Fatal("a failed check reported as becoming drifted")
		}
		d, _ := db.GetDeployment(ctx, "g1", s.ID)
		if d.Drift != deploy.DriftDrifted || len(d.DriftAddresses) != 2 || d.DriftAddresses[1] != "c.d" || !d.DriftCheckedAt.Equal(ms(at)) {
			t.Fatalf("after a failed check the last finding stands: %+v", d)
		}
		if !claim("a", at, false) {
			t.Fatal("recording did not release the claim")
		}
		if record(deploy.DriftRecord{At: at}) || !record(drifted) {
			t.Fatal("drift after an in-sync check must be reported again")
		}

		applied(t, db, "g1", "deploy02", vm("db"))
		gone := applied(t, db, "g1", "deploy03", vm("x"))
		if err := db.MarkDestroyed(ctx, "g1", gone.ID); err != nil {
			t.Fatal(err)
		}
		counts, err := db.CountDeployments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[deploy.DeploymentLive] != 1 || counts[deploy.DriftDrifted] != 1 || counts[deploy.DeploymentDestroyed] != 1 {
			t.Fatalf("counts = %v", counts)
		}
		if ok, _ := db.ClaimDriftCheck(ctx, "g1", gone.ID, "a", at, at.Add(time.Minute), false); ok {
			t.Fatal("a destroyed deployment was claimed for a check")
		}
	})
}
