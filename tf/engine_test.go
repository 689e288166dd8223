package tf

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestSandboxLifecycle runs the whole life of a deployment with the real
// binary: plan, apply, re-plan, destroy plan, destroy.
func TestSandboxLifecycle(t *testing.T) {
	e := newTestEngine(t, nil)
	ctx := context.Background()
	req := sandboxRequest("k3f9x2ab", vm("web"), network("net"))

	plan, art := mustPlan(t, e, req)
	if plan.Line != "Plan: 2 to add, 0 to change, 0 to destroy." || plan.Add != 2 {
		t.Fatalf("plan line %q add %d", plan.Line, plan.Add)
	}
	addrs := []string{plan.Changes[0].Address, plan.Changes[1].Address}
	slices.Sort(addrs)
	if !slices.Equal(addrs, []string{"terraform_data.compute_vm_web", "terraform_data.network_net"}) {
		t.Errorf("changes %v", addrs)
	}
	if plan.Cost != "$0.03/hour | $24.46/month" {
		t.Errorf("cost %q", plan.Cost)
	}
	if !slices.Contains(plan.CostNotes, SandboxCostNote) {
		t.Errorf("cost notes %q", plan.CostNotes)
	}
	if !strings.Contains(plan.Text, `resource "terraform_data" "compute_vm_web"`) || strings.Contains(plan.Text, "\x1b[") {
		t.Errorf("plan text:\n%s", plan.Text)
	}

	var streamed []string
	res, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: req, Artifact: art}, func(l string) { streamed = append(streamed, l) })
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if res.ClosingLine != "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." {
		t.Errorf("closing line %q", res.ClosingLine)
	}
	if len(streamed) < 4 || strings.HasPrefix(streamed[0], "{") || !strings.Contains(res.Log, "terraform_data.network_net: Creation complete") {
		t.Errorf("streamed %q", streamed)
	}
	if got := stateResources(t, e.LocalStatePath("k3f9x2ab")); len(got) != 2 {
		t.Errorf("state holds %v", got)
	}

	again, _ := mustPlan(t, e, req)
	if again.Line != "No changes." || again.HasChanges() {
		t.Errorf("re-plan: %q", again.Line)
	}

	destroy := req
	destroy.Destroy = true
	dplan, dart := mustPlan(t, e, destroy)
	if dplan.Line != "Plan: 0 to add, 0 to change, 2 to destroy." || dplan.Destroy != 2 {
		t.Errorf("destroy plan %q", dplan.Line)
	}
	if dplan.Cost != "-$0.03/hour | -$24.46/month" {
		t.Errorf("destroy cost %q", dplan.Cost)
	}
	dres, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: destroy, Artifact: dart}, nil)
	if err != nil {
		t.Fatalf("destroy apply: %v", err)
	}
	if dres.ClosingLine != "Apply complete! Resources: 0 added, 0 changed, 2 destroyed." {
		t.Errorf("destroy closing line %q", dres.ClosingLine)
	}
	if got := stateResources(t, e.LocalStatePath("k3f9x2ab")); len(got) != 0 {
		t.Errorf("state after destroy holds %v", got)
	}

	for _, c := range []struct {
		op, outcome string
		want        float64
	}{{"plan", "success", 3}, {"apply", "success", 1}, {"destroy", "success", 1}} {
		if got := testutil.ToFloat64(e.metrics.runs.WithLabelValues(c.op, c.outcome)); got != c.want {
			t.Errorf("runs_total{%s,%s} = %v, want %v", c.op, c.outcome, got, c.want)
		}
	}
	if problems, err := testutil.GatherAndLint(e.reg); err != nil || len(problems) > 0 {
		t.Errorf("metrics lint: %v %v", problems, err)
	}
}

func mustPlan(t *testing.T, e *testEngine, req deploy.PlanRequest) (*deploy.Plan, *deploy.Artifact) {
	t.Helper()
	p, a, err := e.Plan(context.Background(), req)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	if a == nil || len(a.PlanFile) == 0 {
		t.Fatalf("plan returned no saved plan")
	}
	return p, a
}

// TestApplyFromFreshDirectory applies a plan whose working directory is
// gone, as another replica would: everything comes from the artifact.
func TestApplyFromFreshDirectory(t *testing.T) {
	e := newTestEngine(t, nil)
	ctx := context.Background()
	req := sandboxRequest("fresh001", vm("api"))
	_, art := mustPlan(t, e, req)
	if err := e.Cleanup(ctx, req.GuildID, req.SessionID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(workPath(e, req.GuildID, req.SessionID)); !os.IsNotExist(err) {
		t.Fatalf("cleanup left the working directory: %v", err)
	}
	res, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: req, Artifact: art}, nil)
	if err != nil {
		t.Fatalf("apply from a fresh directory: %v", err)
	}
	if res.ClosingLine != "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." {
		t.Errorf("closing line %q", res.ClosingLine)
	}
	if err := e.Cleanup(ctx, req.GuildID, req.SessionID); err != nil {
		t.Fatal(err)
	}
	if got := stateResources(t, e.LocalStatePath("fresh001")); !slices.Equal(got, []string{"terraform_data.compute_vm_api"}) {
		t.Errorf("cleanup touched the state: %v", got)
	}
}

// TestStalePlanRefused: a saved plan applies only to the state it was made
// from; terraform refuses it afterwards, and the error is terraform's, cleaned.
func TestStalePlanRefused(t *testing.T) {
	e := newTestEngine(t, nil)
	ctx := context.Background()
	req := sandboxRequest("stale001", vm("api"))
	_, art := mustPlan(t, e, req)
	if _, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: req, Artifact: art}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: req, Artifact: art}, nil)
	var de *deploy.Error
	if !errors.As(err, &de) || de.Code != ECodeTerraform {
		t.Fatalf("second apply of the same plan: %v", err)
	}
	if !strings.Contains(de.Message, "Saved plan is stale") || strings.ContainsAny(de.Message, "│╷╵\x1b") {
		t.Errorf("message %q", de.Message)
	}
	if got := testutil.ToFloat64(e.metrics.runs.WithLabelValues("apply", "failure")); got != 1 {
		t.Errorf("apply failures = %v", got)
	}
}
