package db

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// mustDeployment records the deployment of a deploy session that reached
// APPLYING, as the core does.
func mustDeployment(t testing.TB, db *DB, s *deploy.Session) *deploy.Deployment {
	t.Helper()
	d := &deploy.Deployment{GuildID: s.GuildID, ID: s.ID, ProjectID: s.ProjectID, Provider: s.Provider, Region: s.Region,
		OwnerID: s.OwnerID, ChannelID: s.ChannelID, Status: deploy.DeploymentLive, Resources: s.Resources, CreatedAt: t0}
	if err := db.CreateDeployment(context.Background(), d); err != nil {
		t.Fatalf("create deployment %s: %v", s.ID, err)
	}
	return d
}

func applied(t testing.TB, db *DB, guild, id string, rs ...deploy.Resource) *deploy.Session {
	t.Helper()
	s := mustSession(t, db, newSession(guild, "dev", "u1", id, rs...))
	moveTo(t, db, s, deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying)
	mustDeployment(t, db, s)
	moveTo(t, db, s, deploy.StateApplied)
	return s
}

func TestDeploymentRevisions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g2", "dev")
		s := applied(t, db, "g1", "deploy01", vm("web"))
		wantCode(t, db.CreateDeployment(ctx, &deploy.Deployment{GuildID: "g1", ID: s.ID, ProjectID: "dev",
			Provider: "sandbox", Status: deploy.DeploymentLive}), deploy.ECONFLICT)

		got, err := db.GetDeployment(ctx, "g1", s.ID)
		if err != nil || !got.Live() || got.Revision != 0 || got.SessionState != deploy.StateApplied {
			t.Fatalf("deployment = %+v, %v", got, err)
		}
		_, err = db.GetDeployment(ctx, "g2", s.ID)
		wantCode(t, err, deploy.ENOTFOUND)

		big := vm("web")
		big.Params["size"] = "large"
		for i, rs := range [][]deploy.Resource{{vm("web")}, {big, bucket("logs")}, {vm("web")}} {
			r := &deploy.Revision{GuildID: "g1", DeploymentID: s.ID, SessionID: sessionID(i), AppliedBy: "u1",
				AppliedAt: t0.Add(time.Duration(i) * time.Hour), Resources: rs, PlanLine: "Plan: …",
				ClosingLine: "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.", Cost: "$0.05/hour | $34.68/month"}
			if err := db.AddRevision(ctx, r); err != nil || r.Number != i+1 {
				t.Fatalf("revision %d: number %d, %v", i+1, r.Number, err)
			}
		}
		wantCode(t, db.AddRevision(ctx, &deploy.Revision{GuildID: "g2", DeploymentID: s.ID}), deploy.ENOTFOUND)

		revs, total, err := db.Revisions(ctx, "g1", s.ID, 0, 2)
		if err != nil || total != 3 || len(revs) != 2 || revs[0].Number != 3 || revs[1].Number != 2 {
			t.Fatalf("revisions = %+v (%d), %v", revs, total, err)
		}
		if !reflect.DeepEqual(revs[1].Resources, []deploy.Resource{big, bucket("logs")}) || !revs[1].AppliedAt.Equal(ms(t0.Add(time.Hour))) {
			t.Fatalf("r2 = %+v", revs[1])
		}
		if _, total, _ := db.Revisions(ctx, "g2", s.ID, 0, 10); total != 0 {
			t.Fatalf("another guild sees %d revisions", total)
		}
		r1, err := db.GetRevision(ctx, "g1", s.ID, 1)
		if err != nil || r1.SessionID != sessionID(0) {
			t.Fatalf("r1 = %+v, %v", r1, err)
		}
		_, err = db.GetRevision(ctx, "g1", s.ID, 9)
		wantCode(t, err, deploy.ENOTFOUND)

		got, _ = db.GetDeployment(ctx, "g1", s.ID)
		if got.Revision != 3 || !reflect.DeepEqual(got.Resources, []deploy.Resource{vm("web")}) {
			t.Fatalf("deployment after r3 = %+v", got)
		}
		if err := db.SetDeploymentResources(ctx, "g1", s.ID, []deploy.Resource{bucket("logs")}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.GetDeployment(ctx, "g1", s.ID)
		if got.Revision != 3 || !reflect.DeepEqual(got.Resources, []deploy.Resource{bucket("logs")}) {
			t.Fatalf("deployment after a partial apply = %+v", got)
		}
		sess, _ := db.GetSession(ctx, "g1", s.ID)
		if sess.Revision != 3 || sess.Destroyed {
			t.Fatalf("session reads revision %d destroyed %v", sess.Revision, sess.Destroyed)
		}

		if err := db.MarkDestroyed(ctx, "g1", s.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = db.GetDeployment(ctx, "g1", s.ID)
		sess, _ = db.GetSession(ctx, "g1", s.ID)
		if got.Live() || got.Resources != nil || !sess.Destroyed {
			t.Fatalf("destroyed deployment = %+v, session destroyed %v", got, sess.Destroyed)
		}
	})
}

func TestDeploymentsList(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g1", "prod")
		applied(t, db, "g1", "live0001", vm("a"))
		gone := applied(t, db, "g1", "gone0001", vm("b"))
		if err := db.MarkDestroyed(ctx, "g1", gone.ID); err != nil {
			t.Fatal(err)
		}
		running := mustSession(t, db, newSession("g1", "dev", "u1", "running1", vm("c")))
		moveTo(t, db, running, deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying)
		mustDeployment(t, db, running)
		other := mustSession(t, db, newSession("g1", "prod", "u1", "prod0001", vm("d")))
		moveTo(t, db, other, deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying)
		mustDeployment(t, db, other)
		moveTo(t, db, other, deploy.StateFailed)

		ids := func(ds []*deploy.Deployment) []string {
			var out []string
			for _, d := range ds {
				out = append(out, d.ID)
			}
			return out
		}
		cases := []struct {
			project string
			live    bool
			want    []string
		}{
			{"", false, []string{"running1", "prod0001", "live0001", "gone0001"}},
			{"", true, []string{"prod0001", "live0001"}},
			{"dev", true, []string{"live0001"}},
			{"dev", false, []string{"running1", "live0001", "gone0001"}},
		}
		for _, c := range cases {
			got, err := db.Deployments(ctx, "g1", c.project, c.live, 10)
			if err != nil {
				t.Fatal(err)
			}
			// Created at the same instant: order by id descending breaks the tie.
			if want := c.want; !sameSet(ids(got), want) {
				t.Errorf("Deployments(%q, live=%v) = %v, want %v", c.project, c.live, ids(got), want)
			}
		}
		if got, _ := db.Deployments(ctx, "g2", "", false, 10); len(got) != 0 {
			t.Fatalf("another guild lists %v", ids(got))
		}
		for _, c := range []struct {
			guild, project string
			want           int
		}{{"g1", "dev", 1}, {"g2", "dev", 0}, {"g1", "nope", 0}} {
			if n, err := db.CountLiveDeployments(ctx, c.guild, c.project); err != nil || n != c.want {
				t.Errorf("CountLiveDeployments(%s, %s) = %d, %v; want %d", c.guild, c.project, n, err, c.want)
			}
		}
	})
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
