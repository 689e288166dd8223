package db

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestRunLease(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		s := mustSession(t, db, newSession("g1", "dev", "u1", "lease001"))
		r := &deploy.Run{GuildID: "g1", SessionID: s.ID, Operation: deploy.OpPlan, Instance: "pod-a", StartedAt: t0}
		if err := db.StartRun(ctx, r); err != nil || r.ID == 0 {
			t.Fatalf("StartRun: id %d, %v", r.ID, err)
		}
		wantCode(t, db.StartRun(ctx, &deploy.Run{GuildID: "g1", SessionID: "missing1", Operation: deploy.OpPlan}), deploy.ENOTFOUND)

		steps := []struct {
			name       string
			instance   string
			cancelling bool
			wantCancel bool
			wantCode   string
		}{
			{"renew", "pod-a", false, false, ""},
			{"another instance", "pod-b", false, true, deploy.ECONFLICT},
			{"cancel requested", "pod-a", true, true, ""},
		}
		for i, st := range steps {
			if st.cancelling {
				if ok, err := db.RequestCancel(ctx, "g1", s.ID); err != nil || !ok {
					t.Fatalf("RequestCancel = %v, %v", ok, err)
				}
			}
			cancel, err := db.RenewLease(ctx, r.ID, st.instance, t0.Add(time.Duration(i+1)*10*time.Second))
			if cancel != st.wantCancel || deploy.ErrorCode(err) != st.wantCode {
				t.Fatalf("%s: cancel %v, err %v", st.name, cancel, err)
			}
		}
		r.Outcome, r.Summary, r.LogTail = deploy.OutcomeCancelled, "cancelled", "tail"
		end := t0.Add(time.Minute)
		r.EndedAt = &end
		if err := db.FinishRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.FinishRun(ctx, r), deploy.ECONFLICT)
		if cancel, err := db.RenewLease(ctx, r.ID, "pod-a", end); !cancel || deploy.ErrorCode(err) != deploy.ECONFLICT {
			t.Fatalf("renew after finish: %v, %v", cancel, err)
		}
		if ok, err := db.RequestCancel(ctx, "g1", s.ID); err != nil || ok {
			t.Fatalf("RequestCancel with no live run = %v, %v", ok, err)
		}
		runs, err := db.Runs(ctx, "g1", s.ID)
		if err != nil || len(runs) != 1 {
			t.Fatalf("runs = %v, %v", runs, err)
		}
		got := runs[0]
		if !got.CancelRequested || got.Outcome != deploy.OutcomeCancelled || got.LogTail != "tail" ||
			!got.EndedAt.Equal(end.Truncate(time.Millisecond)) || !got.LeaseRenewedAt.Equal(t0.Add(30*time.Second).Truncate(time.Millisecond)) || !got.StartedAt.Equal(t0.Truncate(time.Millisecond)) {
			t.Fatalf("stored run = %+v", got)
		}
	})
}

func TestStaleRunsAndAbandonRace(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g2", "dev")
		start := func(guild, id string, renewed time.Time) *deploy.Run {
			s := mustSession(t, db, newSession(guild, "dev", "u1", id))
			r := &deploy.Run{GuildID: guild, SessionID: s.ID, Operation: deploy.OpApply, Instance: "pod-" + id, StartedAt: renewed}
			if err := db.StartRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		now := t0
		cutoff := now.Add(-60 * time.Second)
		dead := start("g1", "dead0001", now.Add(-5*time.Minute))
		dead2 := start("g2", "dead0002", now.Add(-2*time.Minute))
		live := start("g1", "live0001", now.Add(-5*time.Second))
		ended := start("g1", "ended001", now.Add(-10*time.Minute))
		ended.Outcome = deploy.OutcomeSuccess
		if err := db.FinishRun(ctx, ended); err != nil {
			t.Fatal(err)
		}

		stale, err := db.StaleRuns(ctx, cutoff)
		if err != nil {
			t.Fatal(err)
		}
		if len(stale) != 2 || stale[0].ID != dead.ID || stale[1].ID != dead2.ID || stale[1].GuildID != "g2" {
			t.Fatalf("stale = %+v", stale)
		}

		// Every replica sees the dead run and tries to abandon it: one wins.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.AbandonRun(ctx, dead.ID, cutoff, "interrupted: the engine restarted")
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d replicas abandoned the run, want 1", wins.Load())
		}
		// A run that renewed its lease after being listed is left alone.
		if _, err := db.RenewLease(ctx, dead2.ID, dead2.Instance, now); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.AbandonRun(ctx, dead2.ID, cutoff, "x"); err != nil || ok {
			t.Fatalf("abandon of a renewed run = %v, %v", ok, err)
		}
		if ok, err := db.AbandonRun(ctx, live.ID, cutoff, "x"); err != nil || ok {
			t.Fatalf("abandon of a live run = %v, %v", ok, err)
		}
		runs, err := db.Runs(ctx, "g1", dead.SessionID)
		if err != nil || runs[0].Outcome != deploy.OutcomeFailure || runs[0].Summary != "interrupted: the engine restarted" || runs[0].EndedAt == nil {
			t.Fatalf("abandoned run = %+v, %v", runs[0], err)
		}
		if stale, _ := db.StaleRuns(ctx, cutoff); len(stale) != 0 {
			t.Fatalf("stale after abandon = %+v", stale)
		}
	})
}

func TestArtifactsAndAudit(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		s := mustSession(t, db, newSession("g1", "dev", "u1", "artf0001"))
		_, err := db.GetArtifact(ctx, "g1", s.ID)
		wantCode(t, err, deploy.ENOTFOUND)
		binary := []byte{0, 1, 2, 0xff, 0xfe, 'P', 'K'}
		for _, a := range []*deploy.Artifact{{PlanFile: []byte("old")}, {PlanFile: binary, LockFile: []byte("lock")}} {
			if err := db.SaveArtifact(ctx, "g1", s.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.GetArtifact(ctx, "g1", s.ID)
		if err != nil || string(got.PlanFile) != string(binary) || string(got.LockFile) != "lock" {
			t.Fatalf("artifact = %+v, %v", got, err)
		}
		wantCode(t, db.SaveArtifact(ctx, "g1", "missing1", &deploy.Artifact{}), deploy.ENOTFOUND)

		for i, action := range []string{"create_project", "grant", "revoke"} {
			e := &deploy.AuditEvent{GuildID: "g1", Actor: "u-admin", Action: action, Target: "dev", Detail: "d", At: t0.Add(time.Duration(i) * time.Second)}
			if err := db.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AddAudit(ctx, &deploy.AuditEvent{GuildID: "g1", Actor: "u1", Action: "grant", Target: "prod"}); err != nil {
			t.Fatal(err)
		}
		trail, err := db.Audit(ctx, "g1", "dev")
		if err != nil || len(trail) != 3 || trail[0].Action != "create_project" || trail[2].Action != "revoke" ||
			!trail[1].At.Equal(t0.Add(time.Second).Truncate(time.Millisecond)) {
			t.Fatalf("audit = %+v, %v", trail, err)
		}
	})
}

func TestStatsAndCounts(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g1", "prod")
		mustProject(t, db, "g2", "dev")
		applied := []deploy.State{deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateApplied}
		failed := []deploy.State{deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateFailed}
		for i := range 10 {
			path := applied
			if i >= 7 {
				path = failed
			}
			s := mustSession(t, db, newSession("g1", "dev", "u1", sessionID(i)))
			moveTo(t, db, s, path...)
			// Plans took 1..10 s, applies 10..100 s; failed runs do not count.
			addRun(t, db, s, deploy.OpPlan, deploy.OutcomeSuccess, time.Duration(i+1)*time.Second)
			outcome := deploy.OutcomeSuccess
			if i >= 7 {
				outcome = deploy.OutcomeFailure
			}
			addRun(t, db, s, deploy.OpApply, outcome, time.Duration(i+1)*10*time.Second)
		}
		mustSession(t, db, newSession("g1", "prod", "u1", "prod0001"))
		mustSession(t, db, newSession("g2", "dev", "u1", "other001"))

		st, err := db.Stats(ctx, "g1", "dev")
		if err != nil {
			t.Fatal(err)
		}
		if st.Applied != 7 || st.Failed != 3 || st.ByState[deploy.StateDraft] != 0 || st.PlanSamples != 10 || st.ApplySamples != 7 {
			t.Fatalf("stats = %+v", st)
		}
		if st.PlanMedian != 5*time.Second || st.PlanP95 != 10*time.Second || st.ApplyMedian != 40*time.Second || st.ApplyP95 != 70*time.Second {
			t.Fatalf("durations = %v %v %v %v", st.PlanMedian, st.PlanP95, st.ApplyMedian, st.ApplyP95)
		}
		if all, err := db.Stats(ctx, "g1", ""); err != nil || all.ByState[deploy.StateDraft] != 1 || all.Applied != 7 {
			t.Fatalf("guild stats = %+v, %v", all, err)
		}
		counts, err := db.CountByState(ctx)
		if err != nil || counts[deploy.StateDraft] != 2 || counts[deploy.StateApplied] != 7 || counts[deploy.StateExpired] != 0 || len(counts) != 10 {
			t.Fatalf("counts = %v, %v", counts, err)
		}
	})
}

func addRun(t *testing.T, db *DB, s *deploy.Session, op, outcome string, took time.Duration) {
	t.Helper()
	ctx := context.Background()
	r := &deploy.Run{GuildID: s.GuildID, SessionID: s.ID, Operation: op, Instance: "pod-a", StartedAt: t0}
	if err := db.StartRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	end := r.StartedAt.Add(took)
	r.EndedAt, r.Outcome = &end, outcome
	if err := db.FinishRun(ctx, r); err != nil {
		t.Fatal(err)
	}
}

func TestPercentile(t *testing.T) {
	s := time.Second
	cases := []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 0.5, 0},
		{[]time.Duration{3 * s}, 0.95, 3 * s},
		{[]time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 0.5, 2 * s},
		{[]time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 0.95, 4 * s},
	}
	for _, c := range cases {
		if got := percentile(c.in, c.p); got != c.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", c.in, c.p, got, c.want)
		}
	}
}

func TestOrphanedSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		now := time.Now()
		old := now.Add(-5 * time.Minute)
		db.now = func() time.Time { return old } // the sessions last changed long ago
		mk := func(i int, withRun bool, ended *time.Time) string {
			s := newSession("g1", "dev", "u1", sessionID(i))
			mustSession(t, db, s)
			moveTo(t, db, s, deploy.StatePlanning)
			if withRun {
				r := &deploy.Run{GuildID: "g1", SessionID: s.ID, Operation: deploy.OpPlan, Instance: "x", StartedAt: old, LeaseRenewedAt: old}
				if err := db.StartRun(ctx, r); err != nil {
					t.Fatal(err)
				}
				if ended != nil {
					r.EndedAt, r.Outcome = ended, deploy.OutcomeSuccess
					if err := db.FinishRun(ctx, r); err != nil {
						t.Fatal(err)
					}
				}
			}
			return s.ID
		}
		longAgo, justNow := old, now
		noRun := mk(1, false, nil)
		endedLongAgo := mk(2, true, &longAgo)
		endedJustNow := mk(3, true, &justNow)
		unfinished := mk(4, true, nil)
		db.now = time.Now

		got, err := db.OrphanedSessions(ctx, now.Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, s := range got {
			ids[s.ID] = true
		}
		want := map[string]bool{noRun: true, endedLongAgo: true}
		if len(ids) != len(want) || !ids[noRun] || !ids[endedLongAgo] {
			t.Errorf("orphans %v, want %v (not %s: its run just ended; not %s: its run is live)", ids, want, endedJustNow, unfinished)
		}
		if other, err := db.OrphanedSessions(ctx, old.Add(-time.Minute)); err != nil || len(other) != 0 {
			t.Errorf("sessions changed after the cut are not orphans: %d, %v", len(other), err)
		}
	})
}
