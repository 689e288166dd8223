package db

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestProjects(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := mustProject(t, db, "g1", "dev")
		p.Approvals, p.Account = 2, "acct"
		got, err := db.GetProject(ctx, "g1", "dev")
		if err != nil {
			t.Fatal(err)
		}
		want := *p
		want.Approvals, want.Account = 0, ""
		want.CreatedAt = t0.Truncate(time.Millisecond)
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("got %+v, want %+v", *got, want)
		}
		wantCode(t, db.CreateProject(ctx, &deploy.Project{GuildID: "g1", ID: "dev", Provider: "gcp"}), deploy.ECONFLICT)
		_, err = db.GetProject(ctx, "g1", "nope")
		wantCode(t, err, deploy.ENOTFOUND)
		if msg := deploy.ErrorMessage(err); msg != "Unknown project nope." {
			t.Fatalf("message = %q", msg)
		}
	})
}

func TestReadableProjectsAndLevels(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, id := range []string{"alpha", "beta", "gamma", "delta"} {
			mustProject(t, db, "g1", id)
		}
		now := t0
		past, future := now.Add(-time.Second), now.Add(time.Hour)
		grants := []deploy.Grant{
			{ProjectID: "alpha", Level: deploy.LevelRead},
			{ProjectID: "beta", Level: deploy.LevelDeploy, ExpiresAt: &future},
			{ProjectID: "gamma", Level: deploy.LevelAdmin, ExpiresAt: &past},
		}
		for _, g := range grants {
			g.GuildID, g.UserID, g.GrantedBy = "g1", "u1", "u-admin"
			if err := db.PutGrant(ctx, &g); err != nil {
				t.Fatal(err)
			}
		}
		levels := []struct {
			project string
			at      time.Time
			want    deploy.Level
		}{
			{"alpha", now, deploy.LevelRead},
			{"beta", now, deploy.LevelDeploy},
			{"beta", future, deploy.LevelNone}, // ends exactly at its expiry
			{"gamma", now, deploy.LevelNone},   // expired grants stop counting
			{"gamma", past.Add(-time.Minute), deploy.LevelAdmin},
			{"delta", now, deploy.LevelNone},
		}
		for _, c := range levels {
			got, err := db.Level(ctx, "g1", c.project, "u1", c.at)
			if err != nil || got != c.want {
				t.Errorf("Level(%s at %v) = %v, %v; want %v", c.project, c.at, got, err, c.want)
			}
		}
		readable := []struct {
			admin         bool
			offset, limit int
			want          []string
			total         int
		}{
			{false, 0, 10, []string{"alpha", "beta"}, 2},
			{true, 0, 10, []string{"alpha", "beta", "delta", "gamma"}, 4},
			{true, 1, 2, []string{"beta", "delta"}, 4},
			{true, 0, 0, []string{"alpha", "beta", "delta", "gamma"}, 4},
		}
		for _, c := range readable {
			ps, total, err := db.ReadableProjects(ctx, "g1", "u1", c.admin, now, c.offset, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := projectIDs(ps); !reflect.DeepEqual(got, c.want) || total != c.total {
				t.Errorf("ReadableProjects(admin=%v, %d, %d) = %v, %d; want %v, %d", c.admin, c.offset, c.limit, got, total, c.want, c.total)
			}
		}
	})
}

func projectIDs(ps []*deploy.Project) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestGrantReplaceAndDelete(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		for _, l := range []deploy.Level{deploy.LevelAdmin, deploy.LevelRead} {
			if err := db.PutGrant(ctx, &deploy.Grant{GuildID: "g1", ProjectID: "dev", UserID: "u1", Level: l}); err != nil {
				t.Fatal(err)
			}
		}
		if l, _ := db.Level(ctx, "g1", "dev", "u1", t0); l != deploy.LevelRead {
			t.Fatalf("level after replace = %v, want read", l)
		}
		for _, want := range []bool{true, false} {
			ok, err := db.DeleteGrant(ctx, "g1", "dev", "u1")
			if err != nil || ok != want {
				t.Fatalf("DeleteGrant = %v, %v; want %v", ok, err, want)
			}
		}
		if l, _ := db.Level(ctx, "g1", "dev", "u1", t0); l != deploy.LevelNone {
			t.Fatalf("level after revoke = %v", l)
		}
		err := db.PutGrant(ctx, &deploy.Grant{GuildID: "g1", ProjectID: "nope", UserID: "u1", Level: deploy.LevelRead})
		wantCode(t, err, deploy.ENOTFOUND)
	})
}

func TestSessionRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		s := newSession("g1", "dev", "u1", "abcd1234", vm("web-1"), bucket("logs"))
		s.Token, s.TokenIssuedAt, s.LastActivityAt = "tok", t0.Add(time.Second), t0.Add(2*time.Second)
		mustSession(t, db, s)
		if s.Version != 1 || !s.UpdatedAt.Equal(t0.Truncate(time.Millisecond)) {
			t.Fatalf("after create: version %d, updated %v", s.Version, s.UpdatedAt)
		}
		s.State = deploy.StatePlanning
		s.Plan = &deploy.Plan{Line: "Plan: 2 to add, 0 to change, 0 to destroy.", Add: 2,
			Changes: []deploy.Change{{Address: "terraform_data.web-1", Type: "terraform_data", Name: "web-1", Action: "create"}},
			Cost:    "$0.01/hour | $7.30/month", CostNotes: []string{"sandbox"}, DurationMS: 42}
		s.Approvals = []deploy.Approval{{UserID: "u2", At: t0.Add(3 * time.Second)}}
		s.ThreadID, s.LobbyMessageID, s.Error = "th-1", "m-1", "boom"
		if err := db.SaveSession(ctx, s, deploy.StateDraft); err != nil {
			t.Fatal(err)
		}
		if s.Version != 2 {
			t.Fatalf("version after save = %d, want 2", s.Version)
		}
		got, err := db.GetSession(ctx, "g1", s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
		}
		if want := t0.Add(3 * time.Second).Truncate(time.Millisecond); !got.Approvals[0].At.Equal(want) {
			t.Fatalf("approval time %v not kept to the millisecond", got.Approvals[0].At)
		}
		_, err = db.GetSession(ctx, "g1", "zzzz9999")
		if deploy.ErrorMessage(err) != "Unknown session zzzz9999." {
			t.Fatalf("unknown session: %v", err)
		}
	})
}

func TestCreateSessionRules(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustSession(t, db, newSession("g1", "dev", "u1", "dup00001"))
		cases := []struct {
			name string
			s    *deploy.Session
			code string
		}{
			{"taken id", newSession("g1", "dev", "u1", "dup00001"), deploy.ECONFLICT},
			{"unknown project", newSession("g1", "nope", "u1", "s0000001"), deploy.ENOTFOUND},
			{"deploy not in DRAFT", func() *deploy.Session {
				s := newSession("g1", "dev", "u1", "s0000002")
				s.State = deploy.StatePlanned
				return s
			}(), deploy.EINVALID},
			{"destroy not in PLANNING", func() *deploy.Session {
				s := newSession("g1", "dev", "u1", "s0000003")
				s.Kind = deploy.KindDestroy
				return s
			}(), deploy.EINVALID},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantCode(t, db.CreateSession(ctx, c.s), c.code) })
		}
	})
}

func TestSaveSessionCompareAndSet(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		cases := []struct {
			name     string
			path     []deploy.State // reached first
			from, to deploy.State
			version  int64 // 0: the current one
			wantErr  string
		}{
			{"allowed", nil, deploy.StateDraft, deploy.StatePlanning, 0, ""},
			{"same state", nil, deploy.StateDraft, deploy.StateDraft, 0, ""},
			{"not in the table", nil, deploy.StateDraft, deploy.StateApplied, 0, deploy.EINVALID},
			{"out of a final state", []deploy.State{deploy.StateCancelled}, deploy.StateCancelled, deploy.StateDraft, 0, deploy.EINVALID},
			{"stale from", []deploy.State{deploy.StatePlanning}, deploy.StateDraft, deploy.StatePlanning, 0, deploy.ECONFLICT},
			{"stale version", nil, deploy.StateDraft, deploy.StatePlanning, 7, deploy.ECONFLICT},
			{"unknown state", nil, deploy.StateDraft, "BOGUS", 0, deploy.EINVALID},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				s := mustSession(t, db, newSession("g1", "dev", "u1", sessionID(i)))
				moveTo(t, db, s, c.path...)
				if c.version != 0 {
					s.Version = c.version
				}
				before := s.Version
				s.State = c.to
				err := db.SaveSession(ctx, s, c.from)
				wantCode(t, err, c.wantErr)
				if c.wantErr == "" && s.Version != before+1 {
					t.Fatalf("version = %d, want %d", s.Version, before+1)
				}
				if c.wantErr == deploy.ECONFLICT {
					wantConflict(t, err)
				}
			})
		}
	})
}

func TestRaceOneTransitionWins(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		s := mustSession(t, db, newSession("g1", "dev", "u1", "race0001"))
		moveTo(t, db, s, deploy.StatePlanning, deploy.StatePlanned)
		const racers = 50
		var (
			wg             sync.WaitGroup
			mu             sync.Mutex
			wins, conflict int
			others         []error
		)
		start := make(chan struct{})
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := *s // every racer read the same row
				mine.State = deploy.StateApproved
				mine.Approvals = []deploy.Approval{{UserID: sessionID(i), At: t0}}
				<-start
				err := db.SaveSession(ctx, &mine, deploy.StatePlanned)
				mu.Lock()
				defer mu.Unlock()
				switch deploy.ErrorCode(err) {
				case "":
					wins++
				case deploy.ECONFLICT:
					conflict++
				default:
					others = append(others, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if wins != 1 || conflict != racers-1 || len(others) > 0 {
			t.Fatalf("wins %d, conflicts %d, other errors %v; want 1 and %d", wins, conflict, others, racers-1)
		}
		got, err := db.GetSession(ctx, "g1", s.ID)
		if err != nil || got.State != deploy.StateApproved || got.Version != s.Version+1 || len(got.Approvals) != 1 {
			t.Fatalf("after race: %+v, %v", got, err)
		}
	})
}
