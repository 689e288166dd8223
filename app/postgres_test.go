package app_test

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/cloudengine/cloud-engine/db/dbtest"
)

// postgresURL is a schema of the test's own; when the test ends it checks
// that migrate created the tables there.
func postgresURL(t *testing.T) string {
	t.Helper()
	u := dbtest.PostgresURL(t, "app_test")
	t.Cleanup(func() {
		conn, err := sqlx.Open("postgres", u)
		if err != nil {
			t.Errorf("open: %v", err)
			return
		}
		defer conn.Close()
		var n int
		err = conn.GetContext(context.Background(), &n,
			`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`)
		if err != nil || n == 0 {
			t.Errorf("migrate created no tables in the test's schema (count %d, err %v)", n, err)
		}
	})
	return u
}
