package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/db/dbtest"
	"github.com/cloudengine/cloud-engine/deploy"
)

// dialects lists the databases every contract test runs against.
var dialects = []string{DialectSQLite, DialectPostgres}

// eachDialect runs fn against a fresh, migrated store of every dialect.
func eachDialect(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, newStore(t, d))
		})
	}
}

func newStore(t testing.TB, dialect string) *DB {
	t.Helper()
	if dialect == DialectSQLite {
		return openMigrated(t, "", t.TempDir())
	}
	return openMigrated(t, newPostgresURL(t), "")
}

func openMigrated(t testing.TB, databaseURL, dataDir string) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, databaseURL, dataDir, testLogger(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// newPostgresURL is a schema of the test's own on TEST_DATABASE_URL's server.
func newPostgresURL(t testing.TB) string {
	t.Helper()
	return dbtest.PostgresURL(t, "test")
}

// t0 is a fixed instant with sub-millisecond digits, to check rounding.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535_897_932, time.UTC)

func mustProject(t testing.TB, db *DB, guild, id string) *deploy.Project {
	t.Helper()
	p := &deploy.Project{GuildID: guild, ID: id, Provider: deploy.ProviderSandbox, Region: "local",
		Description: "test project " + id, CreatedBy: "u-admin", CreatedAt: t0}
	if err := db.CreateProject(context.Background(), p); err != nil {
		t.Fatalf("create project %s: %v", id, err)
	}
	return p
}

// newSession returns an unsaved deploy session in DRAFT.
func newSession(guild, project, owner, id string, resources ...deploy.Resource) *deploy.Session {
	return &deploy.Session{
		ID: id, GuildID: guild, ChannelID: "c-1", OwnerID: owner, ProjectID: project,
		Provider: deploy.ProviderSandbox, Region: "local", Kind: deploy.KindDeploy,
		State: deploy.StateDraft, Resources: resources, CreatedAt: t0,
	}
}

func mustSession(t testing.TB, db *DB, s *deploy.Session) *deploy.Session {
	t.Helper()
	if err := db.CreateSession(context.Background(), s); err != nil {
		t.Fatalf("create session %s: %v", s.ID, err)
	}
	return s
}

// moveTo walks s through the given states, failing the test on any error.
func moveTo(t testing.TB, db *DB, s *deploy.Session, states ...deploy.State) {
	t.Helper()
	for _, st := range states {
		from := s.State
		s.State = st
		if err := db.SaveSession(context.Background(), s, from); err != nil {
			t.Fatalf("save %s %s → %s: %v", s.ID, from, st, err)
		}
	}
}

func vm(name string) deploy.Resource {
	return deploy.Resource{Type: "compute_vm", Name: name, Params: map[string]string{"size": "small"}}
}

func bucket(name string) deploy.Resource {
	return deploy.Resource{Type: "storage_bucket", Name: name}
}

// wantCode fails unless err carries the application error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := deploy.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func wantConflict(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, deploy.ErrConflict) {
		t.Fatalf("err = %v, want deploy.ErrConflict", err)
	}
}

func sessionID(i int) string { return fmt.Sprintf("s%07d", i) }
