package db

import (
	"context"
	"reflect"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestQuotas(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		for _, q := range []deploy.Quota{
			{ResourceType: "compute_vm", Limit: 1},
			{ResourceType: "network", Limit: 3},
			{ResourceType: "compute_vm", Limit: 2}, // replaces the first
		} {
			q.GuildID, q.ProjectID = "g1", "dev"
			if err := db.SetQuota(ctx, &q); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Quotas(ctx, "g1", "dev")
		if err != nil {
			t.Fatal(err)
		}
		want := []*deploy.Quota{
			{GuildID: "g1", ProjectID: "dev", ResourceType: "compute_vm", Limit: 2},
			{GuildID: "g1", ProjectID: "dev", ResourceType: "network", Limit: 3},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("quotas = %+v", got)
		}
		wantCode(t, db.SetQuota(ctx, &deploy.Quota{GuildID: "g1", ProjectID: "nope", ResourceType: "network"}), deploy.ENOTFOUND)
	})
}

func TestQuotaUsage(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustProject(t, db, "g1", "dev")
		mustProject(t, db, "g1", "other")
		d := deploy.StatePlanning
		cases := []struct {
			id        string
			path      []deploy.State
			thread    string
			destroyed bool
			counts    bool
		}{
			{"draft001", nil, "", false, true},
			{"planned1", []deploy.State{d, deploy.StatePlanned}, "", false, true},
			{"planfail", []deploy.State{d, deploy.StatePlanFailed}, "", false, true},
			{"approved", []deploy.State{d, deploy.StatePlanned, deploy.StateApproved}, "", false, true},
			{"applying", []deploy.State{d, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying}, "t", false, true},
			{"applied1", []deploy.State{d, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateApplied}, "t", false, true},
			{"failed01", []deploy.State{d, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateFailed}, "t", false, true},
			{"cancapply", []deploy.State{d, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateCancelled}, "t", false, true},
			{"destroyd", []deploy.State{d, deploy.StatePlanned, deploy.StateApproved, deploy.StateApplying, deploy.StateApplied}, "t", true, false},
			{"expired1", []deploy.State{deploy.StateExpired}, "", false, false},
			{"cancdraft", []deploy.State{deploy.StateCancelled}, "", false, false},
			{"cancplan", []deploy.State{d, deploy.StatePlanned, deploy.StateCancelled}, "", false, false},
		}
		want := map[string]int{}
		for _, c := range cases {
			s := mustSession(t, db, newSession("g1", "dev", "u1", c.id, vm(c.id+"-a"), vm(c.id+"-b"), bucket(c.id)))
			for i, st := range c.path {
				if i == len(c.path)-1 {
					s.ThreadID = c.thread
				}
				moveTo(t, db, s, st)
				if st == deploy.StateApplying {
					mustDeployment(t, db, s)
				}
			}
			if c.destroyed {
				if err := db.MarkDestroyed(ctx, "g1", s.ID); err != nil {
					t.Fatal(err)
				}
			}
			if c.counts {
				want["compute_vm"] += 2
				want["storage_bucket"]++
			}
		}
		// Neither another project's sessions nor a destroy session add to the count.
		mustSession(t, db, newSession("g1", "other", "u1", "elsewhere", vm("x")))
		destroy := newSession("g1", "dev", "u1", "destroy1", vm("applied1-a"))
		destroy.Kind, destroy.State, destroy.TargetID = deploy.KindDestroy, deploy.StatePlanning, "applied1"
		mustSession(t, db, destroy)
		// An open update counts only what it adds to its deployment.
		update := newSession("g1", "dev", "u1", "update01", vm("failed01-a"), bucket("failed01"), vm("extra"))
		update.Kind, update.State, update.TargetID = deploy.KindUpdate, deploy.StatePlanning, "failed01"
		mustSession(t, db, update)
		want["compute_vm"]++

		got, err := db.QuotaUsage(ctx, "g1", "dev", "")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("usage = %v, want %v", got, want)
		}
		got, err = db.QuotaUsage(ctx, "g1", "dev", "draft001")
		if err != nil {
			t.Fatal(err)
		}
		if got["compute_vm"] != want["compute_vm"]-2 {
			t.Fatalf("usage except draft001 = %v", got)
		}
	})
}
