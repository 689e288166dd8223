// Package db keeps Cloud Engine's data in SQLite or PostgreSQL and
// implements deploy.Store. Every query is plain SQL, scoped by guild, and
// every state change is a compare-and-set.
package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // PostgreSQL driver "postgres"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Dialects.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// SQLiteFile is the name of the SQLite database inside the data directory.
const SQLiteFile = "cloud-engine.db"

// sqliteParams apply to every SQLite connection: WAL lets readers run beside
// the writer, busy_timeout waits for a lock instead of failing, and
// immediate transactions take the write lock up front so that two writers
// never deadlock upgrading a read lock.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"

// PostgreSQL pool limits: enough for the concurrent runs and clicks of one
// replica without exhausting the server's connections across replicas.
const (
	pgMaxOpenConns    = 16
	pgMaxIdleConns    = 8
	pgConnMaxLifetime = 30 * time.Minute
	pgConnMaxIdleTime = 5 * time.Minute
)

// DB is the store.
type DB struct {
	x       *sqlx.DB
	dialect string
	logger  *slog.Logger
	now     func() time.Time
	stmts   sync.Map // rebound query → *sqlx.Stmt, so hot queries are parsed once per connection
	// projectLocks serializes quota checks per project on SQLite, which
	// has one replica (PostgreSQL uses advisory locks across replicas).
	projectLocks sync.Map // guild/project → chan struct{} (one slot)
}

var _ deploy.Store = (*DB)(nil)

// Open connects to the database that databaseURL names: "" selects the
// SQLite file in dataDir (created if needed), postgres:// or postgresql://
// select PostgreSQL. It does not migrate; call Migrate.
func Open(ctx context.Context, databaseURL, dataDir string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var (
		x   *sqlx.DB
		d   string
		err error
	)
	switch {
	case databaseURL == "":
		d = DialectSQLite
		x, err = openSQLite(dataDir)
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		d = DialectPostgres
		x, err = openPostgres(databaseURL)
	default:
		return nil, errors.New("DATABASE_URL must start with postgres:// or postgresql://, or be empty for SQLite")
	}
	if err != nil {
		return nil, err
	}
	db := &DB{x: x, dialect: d, logger: logger, now: time.Now}
	if err := db.Ping(ctx); err != nil {
		_ = x.Close()
		return nil, err
	}
	return db, nil
}

func openSQLite(dataDir string) (*sqlx.DB, error) {
	if dataDir == "" {
		return nil, errors.New("DATA_DIR is empty: the SQLite database needs a directory")
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create DATA_DIR: %w", err)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	x, err := sqlx.Open("sqlite", path+"?"+sqliteParams)
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	// SQLite has one writer; one connection serializes writes in the process
	// instead of making them wait on the file lock.
	x.SetMaxOpenConns(1)
	x.SetMaxIdleConns(1)
	x.SetConnMaxLifetime(0)
	return x, nil
}

func openPostgres(databaseURL string) (*sqlx.DB, error) {
	x, err := sqlx.Open("postgres", databaseURL)
	if err != nil {
		// The URL may hold a password: do not repeat it.
		return nil, errors.New("DATABASE_URL is not a valid PostgreSQL URL")
	}
	x.SetMaxOpenConns(pgMaxOpenConns)
	x.SetMaxIdleConns(pgMaxIdleConns)
	x.SetConnMaxLifetime(pgConnMaxLifetime)
	x.SetConnMaxIdleTime(pgConnMaxIdleTime)
	return x, nil
}

// Close closes the prepared statements and the connections.
func (db *DB) Close() error {
	db.stmts.Range(func(_, v any) bool {
		_ = v.(*sqlx.Stmt).Close()
		return true
	})
	if err := db.x.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.x.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database: %w", db.dialect, err)
	}
	return nil
}

// q rewrites the ? placeholders of query for the dialect.
func (db *DB) q(query string) string {
	if db.dialect == DialectPostgres {
		return sqlx.Rebind(sqlx.DOLLAR, query)
	}
	return query
}

// stmt returns the prepared statement of query (with ? placeholders),
// preparing it on first use. Only queries of fixed text go through here, so
// the cache stays small.
func (db *DB) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	query = db.q(query)
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sqlx.Stmt), nil
	}
	st, err := db.x.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		_ = st.Close()
		return prev.(*sqlx.Stmt), nil
	}
	return st, nil
}

// exec runs a statement and returns how many rows it changed.
func (db *DB) exec(ctx context.Context, query string, args ...any) (int64, error) {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rows affected: %w", err)
	}
	return n, nil
}

// get scans the one row of query into dest (sql.ErrNoRows when none).
func (db *DB) get(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}

// all scans every row of query into the slice dest.
func (db *DB) all(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return err
	}
	return st.SelectContext(ctx, dest, args...)
}
