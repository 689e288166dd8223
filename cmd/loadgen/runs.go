package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/jmoiron/sqlx"

	"github.com/cloudengine/cloud-engine/db"
)

// runCount is how many runs of one operation one replica ran.
type runCount struct {
	Instance  string `db:"instance"`
	Operation string `db:"operation"`
	Runs      int    `db:"runs"`
}

// countRuns reads from the runs table which replica ran what: each run
// records the instance id of the replica that held its lease.
func countRuns(ctx context.Context, databaseURL, dataDir string) ([]runCount, error) {
	driver, dsn := "postgres", databaseURL
	if databaseURL == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(dataDir, db.SQLiteFile)+"?mode=ro&_pragma=busy_timeout(10000)"
	}
	x, err := sqlx.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	var out []runCount
	err = x.SelectContext(ctx, &out, `SELECT instance, operation, COUNT(*) AS runs FROM runs GROUP BY instance, operation ORDER BY instance, operation`)
	return out, err
}

// pgSchema creates a schema of its own for a phase on the PostgreSQL
// server at base and returns a URL whose search_path selects it, and a
// func that drops it. Terraform's pg backend keeps its state in its own
// schema (terraform_state), one workspace per deployment, which stays.
func pgSchema(ctx context.Context, base string) (string, func(), error) {
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "loadgen_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		_, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		_ = admin.Close()
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}
