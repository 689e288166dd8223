package deploy_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestAllowedAccounts(t *testing.T) {
	list, err := deploy.ParseAllowedAccounts("gcp:acme-dev-123,aws:arn:aws:iam::123456789012:role/ce-dev,azure:rg-dev")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		provider, account string
		want              bool
	}{
		{"gcp", "acme-dev-123", true},
		{"gcp", "acme-prod", false},
		{"aws", "arn:aws:iam::123456789012:role/ce-dev", true},
		{"aws", "arn", false},
		{"aws", "aws:arn:aws:iam::123456789012:role/ce-dev", false},
		{"azure", "rg-dev", true},
		{"azure", "acme-dev-123", false}, // listed for gcp, not for azure
		{"gcp", "rg-dev", false},
	}
	for _, tt := range tests {
		if got := list.Allows(tt.provider, tt.account); got != tt.want {
			t.Errorf("Allows(%s, %s) = %v, want %v", tt.provider, tt.account, got, tt.want)
		}
	}
}

// TestPlanRefusesAnAccountNoLongerAllowed: a project whose account the
// operator removed from ALLOWED_ACCOUNTS fails its plan with the refusal
// before terraform runs (here it would fail on the missing google provider,
// with another message).
func TestPlanRefusesAnAccountNoLongerAllowed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{AllowedAccounts: deploy.AllowedAccounts{"gcp": {"acme-dev-123"}}})
	if _, err := f.svc.CreateProject(ctx, f.admin, deploy.NewProject{ID: "listed", Provider: "gcp", Description: "d", Account: "acme-dev-123"}); err != nil {
		t.Fatalf("a listed account: %v", err)
	}
	removed := &deploy.Project{GuildID: f.admin.GuildID, ID: "removed", Provider: "gcp", Region: f.svc.Catalog().DefaultRegion("gcp"),
		Account: "acme-prod-123", Description: "created before the operator removed its account", CreatedBy: f.admin.UserID}
	if err := f.store.CreateProject(ctx, removed); err != nil {
		t.Fatal(err)
	}
	sess, err := f.svc.StartDeploy(ctx, f.admin, removed, removed.Region, 0, deploy.Token{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddResource(ctx, deploy.Click{Actor: f.admin, Session: sess.ID},
		deploy.Resource{Type: "compute_vm", Name: "web", Params: map[string]string{}}); err != nil {
		t.Fatalf("add resource: %v", err)
	}
	f.jobs.Drain(30*time.Second, 30*time.Second)
	got, err := f.store.GetSession(ctx, f.admin.GuildID, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Account acme-prod-123 is not allowed for gcp."; got.State != deploy.StatePlanFailed || got.Error != want {
		t.Errorf("session %s %q, want PLAN_FAILED %q", got.State, got.Error, want)
	}
}

// TestApproveRefusesAnAccountNoLongerAllowed: a plan saved while the
// account was listed is not applied once the operator removed it.
func TestApproveRefusesAnAccountNoLongerAllowed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, deploy.Config{})
	p := &deploy.Project{GuildID: f.admin.GuildID, ID: "removed", Provider: "aws", Region: f.svc.Catalog().DefaultRegion("aws"),
		Account: "arn:aws:iam::123456789012:role/ce-dev", Description: "d", CreatedBy: f.admin.UserID}
	if err := f.store.CreateProject(ctx, p); err != nil {
		t.Fatal(err)
	}
	sess, err := f.svc.StartDeploy(ctx, f.admin, p, p.Region, 0, deploy.Token{})
	if err != nil {
		t.Fatal(err)
	}
	// As if a plan had run while the account was still listed.
	sess.State = deploy.StatePlanning
	if err := f.store.SaveSession(ctx, sess, deploy.StateDraft); err != nil {
		t.Fatal(err)
	}
	sess.State, sess.Plan = deploy.StatePlanned, &deploy.Plan{Line: "Plan: 1 to add, 0 to change, 0 to destroy.", Add: 1}
	if err := f.store.SaveSession(ctx, sess, deploy.StatePlanning); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Approve(ctx, deploy.Click{Actor: f.admin, Session: sess.ID})
	want := "Account arn:aws:iam::123456789012:role/ce-dev is not allowed for aws."
	if deploy.ErrorCode(err) != deploy.EFORBIDDEN || deploy.ErrorMessage(err) != want {
		t.Errorf("approve: %v, want %q", err, want)
	}
	if got, err := f.store.GetSession(ctx, f.admin.GuildID, sess.ID); err != nil || got.State != deploy.StatePlanned {
		t.Errorf("session after the refused approve: %v %v, want PLANNED", got.State, err)
	}
}
