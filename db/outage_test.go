package db

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/db/dbtest"
	"github.com/cloudengine/cloud-engine/deploy"
)

// TestDatabaseGoesAway cuts the store off its database: calls fail with
// internal errors (never a panic, never a misleading "not found" or
// "conflict"), and the same store works again once the database is back.
func TestDatabaseGoesAway(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			var (
				db           *DB
				cut, restore func()
			)
			if d == DialectSQLite {
				db, cut, restore = sqliteOutage(t)
			} else {
				db, cut, restore = postgresOutage(t)
			}
			ctx := context.Background()
			mustProject(t, db, "g1", "dev")
			s := mustSession(t, db, newSession("g1", "dev", "u1", "outage01"))

			cut()
			calls := map[string]func(ctx context.Context) error{
				"Ping":       db.Ping,
				"GetSession": func(ctx context.Context) error { _, err := db.GetSession(ctx, "g1", s.ID); return err },
				"SaveSession": func(ctx context.Context) error {
					c := *s
					c.State = deploy.StatePlanning
					return db.SaveSession(ctx, &c, deploy.StateDraft)
				},
				"ListSessions": func(ctx context.Context) error {
					_, _, err := db.ListSessions(ctx, deploy.SessionFilter{GuildID: "g1"})
					return err
				},
				"CountByState": func(ctx context.Context) error { _, err := db.CountByState(ctx); return err },
			}
			for name, call := range calls {
				ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				err := call(ctx)
				cancel()
				if deploy.ErrorCode(err) != deploy.EINTERNAL {
					t.Errorf("%s while the database is away: %v (code %q), want an internal error", name, err, deploy.ErrorCode(err))
				}
			}

			restore()
			deadline := time.Now().Add(15 * time.Second)
			var err error
			for time.Now().Before(deadline) {
				if _, err = db.GetSession(ctx, "g1", s.ID); err == nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err != nil {
				t.Fatalf("store did not recover: %v", err)
			}
			moveTo(t, db, s, deploy.StatePlanning)
		})
	}
}

// sqliteOutage moves the data directory away and back. Connections are not
// kept idle, so that every call has to reopen the file.
func sqliteOutage(t *testing.T) (*DB, func(), func()) {
	parent := t.TempDir()
	dir, away := parent+"/data", parent+"/away"
	db := openMigrated(t, "", dir)
	db.x.SetMaxIdleConns(0)
	move := func(from, to string) func() {
		return func() {
			if err := os.Rename(from, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db, move(dir, away), move(away, dir)
}

// postgresOutage puts a TCP proxy between the store and PostgreSQL and
// cuts it: the listener and every open connection close.
func postgresOutage(t *testing.T) (*DB, func(), func()) {
	raw := newPostgresURL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p := dbtest.NewProxy(t, u.Host)
	u.Host = p.Addr()
	db := openMigrated(t, u.String(), "")
	return db, p.Cut, p.Restore
}
