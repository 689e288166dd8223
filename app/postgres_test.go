package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the driver of the test's own connection
)

// postgresURL creates a schema of its own on the server of
// TEST_DATABASE_URL, drops it when the test ends, and returns a URL whose
// search_path selects it.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Fatal("TEST_DATABASE_URL is not set: `cloud-engine migrate` on PostgreSQL needs a server; " +
			"run the tests through scripts/with-postgres.sh, e.g. `bash scripts/with-postgres.sh go test ./app/...`")
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "app_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Cleanup(func() {
		var n int
		if err := admin.GetContext(ctx, &n, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1`, schema); err != nil || n == 0 {
			t.Errorf("migrate created no tables in schema %s (count %d, err %v)", schema, n, err)
		}
	})
	return u.String()
}
