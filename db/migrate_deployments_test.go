package db

import (
	"context"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestMigrationCarriesDeploymentsOver starts from a database of the first
// schema, holding the sessions a release before deployments left behind,
// and checks that the migration makes each applied deploy a deployment with
// its r1.
func TestMigrationCarriesDeploymentsOver(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			url, dir := "", t.TempDir()
			if d == DialectPostgres {
				url = newPostgresURL(t)
			}
			db, err := Open(ctx, url, dir, testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			all, err := migrations(db.dialect)
			if err != nil {
				t.Fatal(err)
			}
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.x.ExecContext(ctx, db.q(q), args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
			exec(all[0].SQL)
			exec(`INSERT INTO schema_migrations VALUES (1, ?, 0)`, all[0].Name)
			exec(`INSERT INTO projects (guild_id, id, provider, created_at) VALUES ('g1', 'dev', 'sandbox', 0)`)
			plan := `{"line":"Plan: 1 to add, 0 to change, 0 to destroy.","cost":"$0.05/hour | $34.68/month"}`
			res := `[{"type":"compute_vm","name":"web","params":{"size":"small"}}]`
			for _, s := range []struct {
				id, state, thread string
				destroyed         bool
			}{
				{"applied1", "APPLIED", "t1", false},
				{"destroy1", "APPLIED", "t2", true},
				{"failed01", "FAILED", "t3", false},
				{"cancthrd", "CANCELLED", "t4", false},
				{"cancplan", "CANCELLED", "", false},
				{"planned1", "PLANNED", "", false},
			} {
				exec(`INSERT INTO sessions (id, guild_id, owner_id, project_id, provider, kind, state, resources, plan, thread_id,
destroyed, created_at, updated_at, last_activity_at, version) VALUES (?, 'g1', 'u1', 'dev', 'sandbox', 'deploy', ?, ?, ?, ?, ?, 1000, 2000, 2000, 5)`,
					s.id, s.state, res, plan, s.thread, s.destroyed)
			}
			exec(`INSERT INTO runs (guild_id, session_id, operation, instance, started_at, lease_renewed_at, ended_at, outcome, summary)
VALUES ('g1', 'applied1', 'apply', 'i', 1500, 1500, 1900, 'success', 'Apply complete! Resources: 1 added, 0 changed, 0 destroyed.')`)

			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			want := map[string]struct {
				status   string
				revision int
			}{
				"applied1": {deploy.DeploymentLive, 1},
				"destroy1": {deploy.DeploymentDestroyed, 1},
				"failed01": {deploy.DeploymentLive, 0},
				"cancthrd": {deploy.DeploymentLive, 0},
			}
			ds, err := db.Deployments(ctx, "g1", "", false, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != len(want) {
				t.Fatalf("%d deployments after the migration, want %d", len(ds), len(want))
			}
			for _, got := range ds {
				w, ok := want[got.ID]
				if !ok || got.Status != w.status || got.Revision != w.revision || len(got.Resources) != 1 || got.OwnerID != "u1" {
					t.Errorf("deployment %s = %+v, want %+v", got.ID, got, w)
				}
			}
			r1, err := db.GetRevision(ctx, "g1", "applied1", 1)
			if err != nil {
				t.Fatal(err)
			}
			if r1.ClosingLine != "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." || r1.Cost != "$0.05/hour | $34.68/month" ||
				r1.PlanLine != "Plan: 1 to add, 0 to change, 0 to destroy." || r1.AppliedBy != "u1" || len(r1.Resources) != 1 {
				t.Fatalf("r1 = %+v", r1)
			}
			sess, err := db.GetSession(ctx, "g1", "destroy1")
			if err != nil || !sess.Destroyed || sess.Revision != 1 {
				t.Fatalf("destroyed session reads %+v, %v", sess, err)
			}
		})
	}
}
