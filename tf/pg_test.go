package tf

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"

	_ "github.com/lib/pq" // PostgreSQL driver for reading the pg backend's table

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestPGBackend keeps two deployments' state in PostgreSQL, one workspace
// each. Run it through scripts/with-postgres.sh, which sets TEST_DATABASE_URL.
func TestPGBackend(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Fatal("TEST_DATABASE_URL is not set: run `bash scripts/with-postgres.sh go test ./tf/`")
	}
	e := newTestEngine(t, func(c *Config) { c.DatabaseURL = url })
	ctx := context.Background()
	a := sandboxRequest("pgdeplya", vm("web"))
	b := sandboxRequest("pgdeplyb", vm("api"), network("net"))
	for _, req := range []deploy.PlanRequest{a, b} {
		p, art := mustPlan(t, e, req)
		if p.Add != len(req.Resources) {
			t.Fatalf("%s: plan %q", req.SessionID, p.Line)
		}
		if _, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: req, Artifact: art}, nil); err != nil {
			t.Fatalf("%s: apply: %v", req.SessionID, err)
		}
	}
	// A fresh working directory finds the deployment's state in its workspace.
	if err := e.Cleanup(ctx, a.GuildID, a.SessionID); err != nil {
		t.Fatal(err)
	}
	if p, _ := mustPlan(t, e, a); p.Line != "No changes." {
		t.Errorf("re-plan of a from a fresh directory: %q", p.Line)
	}
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name FROM terraform_state.states ORDER BY name`)
	if err != nil {
		t.Fatalf("read terraform_state.states: %v", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "pgdeplya") || !slices.Contains(names, "pgdeplyb") {
		t.Errorf("workspaces %v, want pgdeplya and pgdeplyb", names)
	}
	for _, f := range []string{"main.tf.json", ".terraform/terraform.tfstate"} {
		data, _ := os.ReadFile(workPath(e, b.GuildID, b.SessionID) + "/" + f)
		if len(data) == 0 || containsString(data, url) {
			t.Errorf("%s is missing or holds the connection string", f)
		}
	}
}

func containsString(data []byte, s string) bool {
	return len(s) > 0 && strings.Contains(string(data), s)
}
