package deploy_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
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
	// panicOn makes the next lobby of that state panic, as a bug would.
	panicOn deploy.State
}

func (l *lobbies) Lobby(_ context.Context, v deploy.LobbyView) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.panicOn != "" && v.Session.State == l.panicOn {
		l.panicOn = ""
		panic("a bug while showing the lobby")
	}
	l.shown = append(l.shown, v.Session.State)
	return "1", nil
}

func (l *lobbies) OpenLog(context.Context, *deploy.Session) (deploy.LogSink, error) {
	return nil, io.EOF
}

func (l *lobbies) ThreadNotice(context.Context, *deploy.Session, string) error { return nil }
func (l *lobbies) Drifted(context.Context, *deploy.Deployment, []string) error { return nil }

func (l *lobbies) Reminder(context.Context, deploy.ReminderView) error { return nil }

// fixture is a service on a real SQLite store and the real terraform.
type fixture struct {
	rep   *lobbies
	svc   *deploy.Service
	store *db.DB
	jobs  *deploy.Jobs
	admin deploy.Actor
	p     *deploy.Project
}

func newFixture(t *testing.T, cfg deploy.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	store, err := db.Open(ctx, "", dir, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
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
	t.Cleanup(func() { jobs.Drain(10*time.Second, 10*time.Second) })
	cfg.SessionTTL, cfg.PlanTimeout, cfg.ApplyTimeout, cfg.Instance = time.Hour, time.Minute, time.Minute, "test"
	rep := &lobbies{}
	f := &fixture{rep: rep, svc: deploy.New(cfg, store, engine, rep, jobs, log, nil), store: store, jobs: jobs,
		admin: deploy.Actor{GuildID: "1", ChannelID: "2", UserID: "3", Permissions: 8}}
	if f.p, err = f.svc.CreateProject(ctx, f.admin, deploy.NewProject{ID: "dev", Provider: "sandbox", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) draft(t *testing.T) *deploy.Session {
	t.Helper()
	s, err := f.svc.StartDeploy(context.Background(), f.admin, f.p, f.p.Region, 0, deploy.Token{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestWorkRefusedDuringShutdown: a plan or apply that can no longer start
// because shutdown has begun ends the session at once instead of leaving it
// PLANNING or APPROVED with no one to run it.
func TestWorkRefusedDuringShutdown(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{})
	sess := f.draft(t)
	f.jobs.Drain(time.Second, time.Second)

	_, err := f.svc.AddResource(ctx, deploy.Click{Actor: f.admin, Session: sess.ID},
		deploy.Resource{Type: "compute_vm", Name: "web", Params: map[string]string{}})
	if err != nil {
		t.Fatalf("add resource: %v", err)
	}
	got, err := f.store.GetSession(ctx, "1", sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != deploy.StatePlanFailed || got.Error != "interrupted: the engine restarted" {
		t.Errorf("session %s %q, want PLAN_FAILED interrupted", got.State, got.Error)
	}
}

// TestRecoverOrphanedSession: a session a dead replica left PLANNING with
// no run is failed once its lease time has passed; one with a live run is
// not touched.
func TestRecoverOrphanedSession(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{LeaseTimeout: 200 * time.Millisecond, LeaseInterval: 50 * time.Millisecond})
	orphan, live := f.draft(t), f.draft(t)
	for _, s := range []*deploy.Session{orphan, live} {
		s.State = deploy.StatePlanning
		if err := f.store.SaveSession(ctx, s, deploy.StateDraft); err != nil {
			t.Fatal(err)
		}
	}
	run := &deploy.Run{GuildID: "1", SessionID: live.ID, Operation: deploy.OpPlan, Instance: "other", StartedAt: time.Now(), LeaseRenewedAt: time.Now()}
	if err := f.store.StartRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // both sessions are now older than the lease time
	if _, err := f.store.RenewLease(ctx, run.ID, "other", time.Now()); err != nil {
		t.Fatal(err)
	}
	f.svc.RecoverStale(ctx)
	got, err := f.store.GetSession(ctx, "1", orphan.ID)
	if err != nil || got.State != deploy.StatePlanFailed || got.Error != "interrupted: the engine restarted" {
		t.Errorf("orphan: %v %q %v", got.State, got.Error, err)
	}
	if got, err := f.store.GetSession(ctx, "1", live.ID); err != nil || got.State != deploy.StatePlanning {
		t.Errorf("a session with a live run was touched: %v %v", got.State, err)
	}
}

// TestRecoveryLeavesALiveRunAlone: a session with an old run record that
// never ended (its end was lost) and a fresh, live run is not failed by
// the recovery sweep; the stale record is ended.
func TestRecoveryLeavesALiveRunAlone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{LeaseTimeout: 200 * time.Millisecond, LeaseInterval: 50 * time.Millisecond})
	s := f.draft(t)
	s.State = deploy.StatePlanning
	if err := f.store.SaveSession(ctx, s, deploy.StateDraft); err != nil {
		t.Fatal(err)
	}
	old := &deploy.Run{GuildID: "1", SessionID: s.ID, Operation: deploy.OpPlan, Instance: "other",
		StartedAt: time.Now().Add(-time.Hour), LeaseRenewedAt: time.Now().Add(-time.Hour)}
	live := &deploy.Run{GuildID: "1", SessionID: s.ID, Operation: deploy.OpPlan, Instance: "other",
		StartedAt: time.Now(), LeaseRenewedAt: time.Now()}
	for _, r := range []*deploy.Run{old, live} {
		if err := f.store.StartRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	f.svc.RecoverStale(ctx)
	if got, err := f.store.GetSession(ctx, "1", s.ID); err != nil || got.State != deploy.StatePlanning {
		t.Fatalf("the session of a live run was failed: %v %q %v", got.State, got.Error, err)
	}
	stale, err := f.store.StaleRuns(ctx, time.Now().Add(-time.Minute))
	if err != nil || len(stale) != 0 {
		t.Fatalf("the stale record was not ended: %+v %v", stale, err)
	}
}

// TestPanicInARunEndsIt: a bug that panics during a plan fails the session
// with a message and releases the run's lease, instead of a session left
// PLANNING under a lease renewed forever.
func TestPanicInARunEndsIt(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{LeaseTimeout: time.Second, LeaseInterval: 20 * time.Millisecond})
	s := f.draft(t)
	f.rep.mu.Lock()
	f.rep.panicOn = deploy.StatePlanning
	f.rep.mu.Unlock()
	if _, err := f.svc.AddResource(ctx, deploy.Click{Actor: f.admin, Session: s.ID},
		deploy.Resource{Type: "compute_vm", Name: "web", Params: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	var got *deploy.Session
	for time.Now().Before(deadline) {
		got, _ = f.store.GetSession(ctx, "1", s.ID)
		if got != nil && got.State == deploy.StatePlanFailed {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got == nil || got.State != deploy.StatePlanFailed || !strings.HasPrefix(got.Error, "internal error") {
		t.Fatalf("session after a panic: %+v", got)
	}
	if live, err := f.store.HasLiveRun(ctx, "1", s.ID, time.Now().Add(-time.Hour)); err != nil || live {
		t.Fatalf("the run still holds its lease: %v %v", live, err)
	}
}

// TestCancelBeforeTheRunIsRecorded: a cancel that arrives while an apply
// is APPLYING but its run is not recorded yet is seen by the run when it
// starts, not lost.
func TestCancelBeforeTheRunIsRecorded(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{})
	s := f.draft(t)
	for _, st := range []deploy.State{deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying} {
		from := s.State
		s.State = st
		if err := f.store.SaveSession(ctx, s, from); err != nil {
			t.Fatal(err)
		}
	}
	_, msg, err := f.svc.Cancel(ctx, deploy.Click{Actor: f.admin, Session: s.ID}, deploy.CancelByOwner)
	if err != nil || !strings.HasPrefix(msg, "Cancelling session") {
		t.Fatalf("cancel: %q %v", msg, err)
	}
	run := &deploy.Run{GuildID: "1", SessionID: s.ID, Operation: deploy.OpApply, Instance: "test", StartedAt: time.Now(), LeaseRenewedAt: time.Now()}
	if err := f.store.StartRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if cancel, err := f.store.RenewLease(ctx, run.ID, "test", time.Now()); err != nil || !cancel {
		t.Fatalf("the run recorded after the cancel does not see it: %v %v", cancel, err)
	}
	// A drift check under the same (deployment's) session is not cancelled by it.
	drift := &deploy.Run{GuildID: "1", SessionID: s.ID, Operation: deploy.OpDrift, Instance: "test", StartedAt: time.Now(), LeaseRenewedAt: time.Now()}
	if err := f.store.StartRun(ctx, drift); err != nil {
		t.Fatal(err)
	}
	if cancel, err := f.store.RenewLease(ctx, drift.ID, "test", time.Now()); err != nil || cancel {
		t.Fatalf("a drift check read the session's cancel: %v %v", cancel, err)
	}
}

// TestQuotaCheckAndAddAreOneStep: two lobbies adding a VM at the same
// moment under a quota of 1: one gets it, the other the quota text.
func TestQuotaCheckAndAddAreOneStep(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{})
	if err := f.svc.SetQuota(ctx, f.admin, "dev", "compute_vm", 1); err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		a, b := f.draft(t), f.draft(t)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range []*deploy.Session{a, b} {
			wg.Go(func() {
				_, errs[i] = f.svc.AddResource(ctx, deploy.Click{Actor: f.admin, Session: s.ID},
					deploy.Resource{Type: "compute_vm", Name: "web", Params: map[string]string{}})
			})
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			if err != nil {
				if deploy.ErrorMessage(err) != "Quota exceeded: compute_vm 2/1" {
					t.Fatalf("round %d: %v", round, err)
				}
				refused++
			}
		}
		if refused != 1 {
			t.Fatalf("round %d: %d of 2 adds refused under quota 1", round, refused)
		}
		for _, s := range []*deploy.Session{a, b} {
			if _, _, err := f.svc.Cancel(ctx, deploy.Click{Actor: f.admin, Session: s.ID}, deploy.CancelByOwner); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestQuotaTypesComeFromTheCatalog: the core names no resource type; the
// quota rules and their texts take the list the catalog registers.
func TestQuotaTypesComeFromTheCatalog(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{})
	err := f.svc.SetQuota(ctx, f.admin, "dev", "gpu", 1)
	if want := `Unknown resource type "gpu": use compute_vm, storage_bucket, sql_database or network.`; deploy.ErrorMessage(err) != want {
		t.Errorf("SetQuota(gpu) = %q, want %q", deploy.ErrorMessage(err), want)
	}
	_, lines, err := f.svc.Quota(ctx, f.admin, "dev")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.ResourceType)
	}
	var want []string
	for _, rt := range tf.NewCatalog().ResourceTypes() {
		want = append(want, rt.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("quota lines %v, want the catalog's types %v", got, want)
	}
}
