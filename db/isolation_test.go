package db

import (
	"context"
	"fmt"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestGuildIsolation checks every guild-scoped method: nothing of one guild
// is visible or changeable from another.
func TestGuildIsolation(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		const mine, theirs = "g1", "g2"
		mustProject(t, db, mine, "dev")
		if err := db.PutGrant(ctx, &deploy.Grant{GuildID: mine, ProjectID: "dev", UserID: "u1", Level: deploy.LevelAdmin}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetQuota(ctx, &deploy.Quota{GuildID: mine, ProjectID: "dev", ResourceType: "compute_vm", Limit: 5}); err != nil {
			t.Fatal(err)
		}
		s := mustSession(t, db, newSession(mine, "dev", "u1", "secret01", vm("web")))
		moveTo(t, db, s, deploy.StateCancelled)
		run := &deploy.Run{GuildID: mine, SessionID: s.ID, Operation: deploy.OpPlan, Instance: "pod-a"}
		if err := db.StartRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveArtifact(ctx, mine, s.ID, &deploy.Artifact{PlanFile: []byte("plan")}); err != nil {
			t.Fatal(err)
		}
		if err := db.AddAudit(ctx, &deploy.AuditEvent{GuildID: mine, Actor: "u1", Action: "grant", Target: "dev"}); err != nil {
			t.Fatal(err)
		}

		for _, c := range crossGuildCalls(db, theirs, s, run) {
			if err := c.call(); err != nil {
				t.Errorf("%s from another guild: %v", c.name, err)
			}
		}

		// The first guild's data is intact.
		if l, err := db.Level(ctx, mine, "dev", "u1", t0); err != nil || l != deploy.LevelAdmin {
			t.Errorf("level = %v, %v", l, err)
		}
		if got, err := db.GetSession(ctx, mine, s.ID); err != nil || got.Error != "" || got.Version != s.Version {
			t.Errorf("session = %+v, %v", got, err)
		}
		if a, err := db.GetArtifact(ctx, mine, s.ID); err != nil || string(a.PlanFile) != "plan" {
			t.Errorf("artifact = %+v, %v", a, err)
		}
		if ok, err := db.RequestCancel(ctx, mine, s.ID); err != nil || !ok {
			t.Errorf("run was ended from another guild: %v, %v", ok, err)
		}
		// The same project id may exist in another guild.
		mustProject(t, db, theirs, "dev")
	})
}

// crossGuildCall is one store method called from the guild theirs on the
// data of another; call returns an error when it saw or changed something.
type crossGuildCall struct {
	name string
	call func() error
}

func crossGuildCalls(db *DB, theirs string, s *deploy.Session, run *deploy.Run) []crossGuildCall {
	ctx := context.Background()
	return []crossGuildCall{
		{"GetProject", func() error { _, err := db.GetProject(ctx, theirs, "dev"); return wantNotFound(err) }},
		{"ReadableProjects", func() error {
			ps, n, err := db.ReadableProjects(ctx, theirs, "u1", true, t0, 0, 10)
			return wantEmpty(len(ps)+n, err)
		}},
		{"Level", func() error { l, err := db.Level(ctx, theirs, "dev", "u1", t0); return wantEmpty(int(l), err) }},
		{"PutGrant", func() error {
			return wantNotFound(db.PutGrant(ctx, &deploy.Grant{GuildID: theirs, ProjectID: "dev", UserID: "u9", Level: deploy.LevelAdmin}))
		}},
		{"DeleteGrant", func() error { ok, err := db.DeleteGrant(ctx, theirs, "dev", "u1"); return wantFalse(ok, err) }},
		{"SetQuota", func() error {
			return wantNotFound(db.SetQuota(ctx, &deploy.Quota{GuildID: theirs, ProjectID: "dev", ResourceType: "compute_vm"}))
		}},
		{"Quotas", func() error { qs, err := db.Quotas(ctx, theirs, "dev"); return wantEmpty(len(qs), err) }},
		{"QuotaUsage", func() error { u, err := db.QuotaUsage(ctx, theirs, "dev", ""); return wantEmpty(len(u), err) }},
		{"CreateSession", func() error {
			return wantNotFound(db.CreateSession(ctx, newSession(theirs, "dev", "u9", "steal001")))
		}},
		{"GetSession", func() error { _, err := db.GetSession(ctx, theirs, s.ID); return wantNotFound(err) }},
		{"SaveSession", func() error {
			forged := *s
			forged.GuildID, forged.Error = theirs, "forged"
			if err := db.SaveSession(ctx, &forged, deploy.StateCancelled); deploy.ErrorCode(err) != deploy.ECONFLICT {
				return fmt.Errorf("SaveSession = %v, want conflict", err)
			}
			return nil
		}},
		{"ListSessions", func() error {
			ss, n, err := db.ListSessions(ctx, deploy.SessionFilter{GuildID: theirs, Limit: 10})
			return wantEmpty(len(ss)+n, err)
		}},
		{"OpenDestroy", func() error { _, err := db.OpenChange(ctx, theirs, s.ID); return wantNotFound(err) }},
		{"EndedSessions", func() error {
			ids, err := db.EndedSessions(ctx, theirs, []string{s.ID})
			return wantEmpty(len(ids), err)
		}},
		{"Stats", func() error {
			st, err := db.Stats(ctx, theirs, "")
			if err != nil {
				return err
			}
			return wantEmpty(st.ByState[deploy.StateCancelled]+st.PlanSamples, nil)
		}},
		{"StartRun", func() error {
			return wantNotFound(db.StartRun(ctx, &deploy.Run{GuildID: theirs, SessionID: s.ID, Operation: deploy.OpPlan}))
		}},
		{"RequestCancel", func() error { ok, err := db.RequestCancel(ctx, theirs, s.ID); return wantFalse(ok, err) }},
		{"FinishRun", func() error {
			forged := *run
			forged.GuildID, forged.Outcome = theirs, deploy.OutcomeFailure
			if err := db.FinishRun(ctx, &forged); deploy.ErrorCode(err) != deploy.ECONFLICT {
				return fmt.Errorf("FinishRun = %v, want conflict", err)
			}
			return nil
		}},
		{"SaveArtifact", func() error {
			return wantNotFound(db.SaveArtifact(ctx, theirs, s.ID, &deploy.Artifact{PlanFile: []byte("evil")}))
		}},
		{"GetArtifact", func() error { _, err := db.GetArtifact(ctx, theirs, s.ID); return wantNotFound(err) }},
		{"Audit", func() error { es, err := db.Audit(ctx, theirs, "dev"); return wantEmpty(len(es), err) }},
	}
}

func wantNotFound(err error) error {
	if deploy.ErrorCode(err) != deploy.ENOTFOUND {
		return fmt.Errorf("err = %v, want not found", err)
	}
	return nil
}

func wantEmpty(n int, err error) error {
	if err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("saw %d items, want none", n)
	}
	return nil
}

func wantFalse(ok bool, err error) error {
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("changed something, want nothing")
	}
	return nil
}
