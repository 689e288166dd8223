package deploy_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/deploy"
	"github.com/cloudengine/cloud-engine/tf"
)

// lobbies records what the service shows, in place of Discord.
type lobbies struct {
	mu    sync.Mutex
	shown []deploy.State
}

func (l *lobbies) Lobby(_ context.Context, v deploy.LobbyView) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.shown = append(l.shown, v.Session.State)
	return "1", nil
}

func (l *lobbies) OpenLog(context.Context, *deploy.Session) (deploy.LogSink, error) {
	return nil, io.EOF
}

func (l *lobbies) ThreadNotice(context.Context, *deploy.Session, string) error { return nil }

// TestWorkRefusedDuringShutdown: a plan or apply that can no longer start
// because shutdown has begun ends the session at once instead of leaving it
// PLANNING or APPROVED with no one to run it.
func TestWorkRefusedDuringShutdown(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	store, err := db.Open(ctx, "", dir, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("TERRAFORM_PATH")
	if path == "" {
		if path, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform: set TERRAFORM_PATH or run through `make test`")
		}
	}
	engine, err := tf.New(tf.Config{Path: path, DataDir: dir, Logger: log, Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	jobs := deploy.NewJobs(ctx, log)
	svc := deploy.New(deploy.Config{SessionTTL: time.Hour, PlanTimeout: time.Minute, ApplyTimeout: time.Minute, Instance: "test"},
		store, engine, &lobbies{}, jobs, log, nil)
	admin := deploy.Actor{GuildID: "1", ChannelID: "2", UserID: "3", Permissions: 8}
	p, err := svc.CreateProject(ctx, admin, deploy.NewProject{ID: "dev", Provider: "sandbox", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := svc.StartDeploy(ctx, admin, p, p.Region, deploy.Token{})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Drain(time.Second)

	_, err = svc.AddResource(ctx, deploy.Click{Actor: admin, Session: sess.ID},
		deploy.Resource{Type: deploy.TypeComputeVM, Name: "web", Params: map[string]string{}})
	if err != nil {
		t.Fatalf("add resource: %v", err)
	}
	got, err := store.GetSession(ctx, "1", sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != deploy.StatePlanFailed || got.Error != "interrupted: the engine restarted" {
		t.Errorf("session %s %q, want PLAN_FAILED interrupted", got.State, got.Error)
	}
}
