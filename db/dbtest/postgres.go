// Package dbtest gives tests a PostgreSQL schema of their own on the server
// that scripts/with-postgres.sh (or TEST_DATABASE_URL) provides.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the driver of the admin connection
)

// PostgresURL creates a schema named prefix_<random> on the server of
// TEST_DATABASE_URL, drops it when the test ends, and returns a URL whose
// search_path selects it. Without TEST_DATABASE_URL the test fails (never
// skips) with a hint on how to run it.
func PostgresURL(t testing.TB, prefix string) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Fatal("TEST_DATABASE_URL is not set: this test needs a PostgreSQL server; run it through " +
			"scripts/with-postgres.sh, e.g. `bash scripts/with-postgres.sh go test ./...` (make test does)")
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := prefix + "_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
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
	return u.String()
}
