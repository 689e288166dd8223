package db

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func TestMigrateIsIdempotentAndSafeInParallel(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			url, dir := "", t.TempDir()
			if d == DialectPostgres {
				url = newPostgresURL(t)
			}
			// Two replicas start at once on an empty database.
			var wg sync.WaitGroup
			stores := make([]*DB, 2)
			errs := make([]error, 2)
			for i := range stores {
				db, err := Open(ctx, url, dir, testLogger(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				stores[i] = db
			}
			for i, db := range stores {
				wg.Add(1)
				go func() { defer wg.Done(); errs[i] = db.Migrate(ctx) }()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("replica %d: %v", i, err)
				}
			}
			db := stores[0]
			mustProject(t, db, "g1", "dev")
			for range 2 {
				if err := db.Migrate(ctx); err != nil {
					t.Fatalf("migrate again: %v", err)
				}
			}
			all, err := migrations(d)
			if err != nil {
				t.Fatal(err)
			}
			var rows int
			if err := db.x.GetContext(ctx, &rows, `SELECT COUNT(*) FROM schema_migrations`); err != nil || rows != len(all) {
				t.Fatalf("schema_migrations has %d rows (%v), want %d", rows, err, len(all))
			}
			if v, err := db.SchemaVersion(ctx); err != nil || v != all[len(all)-1].Version {
				t.Fatalf("schema version = %d, %v", v, err)
			}
			if _, err := db.GetProject(ctx, "g1", "dev"); err != nil {
				t.Fatalf("data lost by a second migrate: %v", err)
			}
			// A database migrated by a newer release is refused, not damaged.
			if _, err := db.x.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)`); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
				t.Fatalf("migrate of a newer database: %v", err)
			}
		})
	}
}

func TestMigrationsOfBothDialectsMatch(t *testing.T) {
	sq, err := migrations(DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations(DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(sq) == 0 || len(sq) != len(pg) {
		t.Fatalf("%d sqlite and %d postgres migrations", len(sq), len(pg))
	}
	// Numbers rise but may skip one: parallel branches reserve theirs, and
	// Migrate applies whichever the database lacks, in order.
	for i := range sq {
		if sq[i].Name != pg[i].Name || (i > 0 && sq[i].Version <= sq[i-1].Version) {
			t.Errorf("migration %d: sqlite %s (v%d), postgres %s", i, sq[i].Name, sq[i].Version, pg[i].Name)
		}
	}
}

func TestOpenRejectsOtherURLs(t *testing.T) {
	for _, u := range []string{"mysql://u:secret@h/db", "sqlite:///tmp/x.db", "postgres"} {
		_, err := Open(context.Background(), u, t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) = %v; want an error naming DATABASE_URL without the password", u, err)
		}
	}
}

func TestOpenSQLiteCreatesDataDir(t *testing.T) {
	dir := t.TempDir() + "/nested/data"
	db := openMigrated(t, "", dir)
	if db.Dialect() != DialectSQLite {
		t.Fatalf("dialect = %s", db.Dialect())
	}
	var mode string
	if err := db.x.GetContext(context.Background(), &mode, `PRAGMA journal_mode`); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := db.x.GetContext(context.Background(), &fk, `PRAGMA foreign_keys`); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
}
