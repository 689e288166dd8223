package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// The two-key advisory lock that serializes migrations across replicas. The
// two-key form lives in a different key space from the one-key locks that
// terraform's pg backend takes, so the two can never collide.
const (
	lockClassEngine    = 0x436c4547 // "ClEG"
	lockObjectMigrator = 1
)

// migration is one numbered SQL file.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations returns the dialect's migrations in version order.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with NNNN_", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{Version: v, Name: e.Name(), SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies the migrations the database lacks, all in one
// transaction, and records them in schema_migrations. Running it again is a
// no-op; two replicas running it at once are serialized (an advisory lock on
// PostgreSQL, the write lock on SQLite).
func (db *DB) Migrate(ctx context.Context) error {
	all, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	if err := db.lockMigrations(ctx, tx); err != nil {
		return err
	}
	applied, err := db.appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	var names []string
	for _, m := range all {
		if applied[m.Version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: apply %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.Version, m.Name, toMillis(db.now())); err != nil {
			return fmt.Errorf("migrate: record %s: %w", m.Name, err)
		}
		names = append(names, m.Name)
	}
	if err := newerThanBinary(applied, all); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	if len(names) > 0 {
		db.logger.InfoContext(ctx, "database migrated", "dialect", db.dialect, "applied", names)
	}
	return nil
}

func (db *DB) lockMigrations(ctx context.Context, tx *sqlx.Tx) error {
	if db.dialect != DialectPostgres {
		// The transaction began IMMEDIATE (see sqliteParams): it already
		// holds SQLite's write lock.
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockClassEngine, lockObjectMigrator); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	return nil
}

func (db *DB) appliedVersions(ctx context.Context, tx *sqlx.Tx) (map[int]bool, error) {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER NOT NULL PRIMARY KEY,
	name       TEXT    NOT NULL,
	applied_at BIGINT  NOT NULL
)`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var versions []int
	if err := tx.SelectContext(ctx, &versions, `SELECT version FROM schema_migrations`); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	applied := make(map[int]bool, len(versions))
	for _, v := range versions {
		applied[v] = true
	}
	return applied, nil
}

// newerThanBinary refuses a database that a newer release has migrated:
// this binary would not know its tables.
func newerThanBinary(applied map[int]bool, known []migration) error {
	latest := 0
	if len(known) > 0 {
		latest = known[len(known)-1].Version
	}
	for v := range applied {
		if v > latest {
			return fmt.Errorf("migrate: the database has migration %04d, newer than this binary knows (%04d); upgrade cloud-engine", v, latest)
		}
	}
	return nil
}

// SchemaVersion returns the highest applied migration, 0 before any.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.x.GetContext(ctx, &v, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
