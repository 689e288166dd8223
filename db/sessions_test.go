package db

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestListSessionsPagination(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g1", "prod")
		for i := range 25 {
			owner, project := "u1", "dev"
			if i%5 == 0 {
				owner = "u2"
			}
			if i%2 == 0 {
				project = "prod"
			}
			s := newSession("g1", project, owner, sessionID(i))
			s.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
			mustSession(t, db, s)
			if i%3 == 0 {
				moveTo(t, db, s, deploy.StateCancelled)
			}
		}
		cases := []struct {
			name  string
			f     deploy.SessionFilter
			first string
			n     int
			total int
		}{
			{"page 1 newest first", deploy.SessionFilter{Limit: 10}, sessionID(24), 10, 25},
			{"page 3", deploy.SessionFilter{Offset: 20, Limit: 10}, sessionID(4), 5, 25},
			{"past the end", deploy.SessionFilter{Offset: 30, Limit: 10}, "", 0, 25},
			{"owner", deploy.SessionFilter{OwnerID: "u2", Limit: 10}, sessionID(20), 5, 5},
			{"project", deploy.SessionFilter{ProjectID: "dev", Limit: 10}, sessionID(23), 10, 12},
			{"state", deploy.SessionFilter{State: deploy.StateCancelled, Limit: 4}, sessionID(24), 4, 9},
			{"all filters", deploy.SessionFilter{OwnerID: "u1", ProjectID: "dev", State: deploy.StateCancelled, Limit: 10}, sessionID(21), 3, 3},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.f.GuildID = "g1"
				got, total, err := db.ListSessions(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != c.n || total != c.total {
					t.Fatalf("got %d of %d, want %d of %d", len(got), total, c.n, c.total)
				}
				if c.n > 0 && got[0].ID != c.first {
					t.Fatalf("first = %s, want %s", got[0].ID, c.first)
				}
				for i := 1; i < len(got); i++ {
					if got[i].CreatedAt.After(got[i-1].CreatedAt) {
						t.Fatalf("not newest first at %d", i)
					}
				}
			})
		}
	})
}

func TestOpenChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		dep := mustSession(t, db, newSession("g1", "dev", "u1", "deploy01", vm("web")))
		moveTo(t, db, dep, deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateApplied)
		_, err := db.OpenChange(ctx, "g1", dep.ID)
		wantCode(t, err, deploy.ENOTFOUND)

		change := func(kind deploy.Kind, id string) *deploy.Session {
			s := newSession("g1", "dev", "u2", id)
			s.Kind, s.State, s.TargetID = kind, deploy.StatePlanning, dep.ID
			return s
		}
		first := mustSession(t, db, change(deploy.KindUpdate, "update01"))
		got, err := db.OpenChange(ctx, "g1", dep.ID)
		if err != nil || got.ID != first.ID || got.Kind != deploy.KindUpdate {
			t.Fatalf("OpenChange = %v, %v", got, err)
		}
		// Only one open update or destroy session per deployment, even when two race.
		for _, kind := range []deploy.Kind{deploy.KindUpdate, deploy.KindDestroy} {
			err = db.CreateSession(ctx, change(kind, "second"+string(kind[:2])))
			wantCode(t, err, deploy.ECONFLICT)
		}

		moveTo(t, db, first, deploy.StatePlanFailed, deploy.StateCancelled)
		_, err = db.OpenChange(ctx, "g1", dep.ID)
		wantCode(t, err, deploy.ENOTFOUND)
		second := mustSession(t, db, change(deploy.KindDestroy, "destroy3"))
		if got, err := db.OpenChange(ctx, "g1", dep.ID); err != nil || got.ID != second.ID {
			t.Fatalf("OpenChange after the update ended = %v, %v", got, err)
		}
		moveTo(t, db, second, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateApplied)
		_, err = db.OpenChange(ctx, "g1", dep.ID)
		wantCode(t, err, deploy.ENOTFOUND)
	})
}

func TestExpirableAndEndedSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g2", "dev")
		idle := t0.Add(-time.Hour)
		mk := func(guild, id string, last time.Time, path ...deploy.State) {
			s := newSession(guild, "dev", "u1", id)
			s.LastActivityAt = last
			mustSession(t, db, s)
			moveTo(t, db, s, path...)
		}
		mk("g1", "old-draft", idle)
		mk("g2", "old-plnd", idle, deploy.StatePlanning, deploy.StatePlanned)
		mk("g1", "old-fail", idle, deploy.StatePlanning, deploy.StatePlanFailed)
		mk("g1", "old-plng", idle, deploy.StatePlanning)
		mk("g1", "old-canc", idle, deploy.StateCancelled)
		mk("g1", "new-drft", t0)

		got, err := db.ExpirableSessions(ctx, t0.Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, s := range got {
			ids[s.ID] = s.GuildID
		}
		want := map[string]string{"old-draft": "g1", "old-plnd": "g2", "old-fail": "g1"}
		if !reflect.DeepEqual(ids, want) {
			t.Fatalf("expirable = %v, want %v", ids, want)
		}

		ended, err := db.EndedSessions(ctx, "g1", []string{"old-canc", "old-draft", "old-plnd", "missing"})
		if err != nil || !reflect.DeepEqual(ended, []string{"old-canc"}) {
			t.Fatalf("ended = %v, %v", ended, err)
		}
		if ended, err := db.EndedSessions(ctx, "g1", nil); err != nil || len(ended) != 0 {
			t.Fatalf("ended of none = %v, %v", ended, err)
		}
	})
}

func TestSetLobbyMessageKeepsVersion(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		s := mustSession(t, db, newSession("g1", "dev", "u1", sessionID(1)))
		if err := db.SetLobbyMessage(ctx, "g2", s.ID, "999"); deploy.ErrorCode(err) != deploy.ENOTFOUND {
			t.Fatalf("another guild's session: %v", err)
		}
		if err := db.SetLobbyMessage(ctx, "g1", s.ID, "777"); err != nil {
			t.Fatal(err)
		}
		// A click that read the session before the id was stored still saves,
		// and its empty id does not erase the stored one.
		s.State = deploy.StatePlanning
		if err := db.SaveSession(ctx, s, deploy.StateDraft); err != nil {
			t.Fatalf("save after SetLobbyMessage: %v", err)
		}
		got, err := db.GetSession(ctx, "g1", s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LobbyMessageID != "777" || got.State != deploy.StatePlanning {
			t.Fatalf("lobby %q state %s", got.LobbyMessageID, got.State)
		}
	})
}
