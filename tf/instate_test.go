package tf

import (
	"context"
	"slices"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestFailedApplyNamesWhatTheStateHolds: an update's saved plan that went
// stale (another apply changed the state) fails, and the result names the
// resources the state still holds, including the one the update removed.
func TestFailedApplyNamesWhatTheStateHolds(t *testing.T) {
	e := newTestEngine(t, nil)
	ctx := context.Background()
	onDeployment := func(session string, rs ...deploy.Resource) deploy.PlanRequest {
		r := sandboxRequest(session, rs...)
		r.StateKey = "k3f9x2ab"
		return r
	}
	first := onDeployment("k3f9x2ab", vm("web"), network("db"))
	_, art := mustPlan(t, e, first)
	if _, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: first, Artifact: art}, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}

	removeDB := onDeployment("update01", vm("web"))
	removeDB.Known = []deploy.Resource{vm("web"), network("db")}
	plan, stale := mustPlan(t, e, removeDB)
	if plan.Line != "Plan: 0 to add, 0 to change, 1 to destroy." {
		t.Fatalf("removal plan %q", plan.Line)
	}
	other := onDeployment("update02", vm("web"), network("db"), network("api"))
	_, art = mustPlan(t, e, other)
	if _, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: other, Artifact: art}, nil); err != nil {
		t.Fatalf("apply of the other update: %v", err)
	}

	res, err := e.Apply(ctx, deploy.ApplyRequest{PlanRequest: removeDB, Artifact: stale}, nil)
	if err == nil {
		t.Fatal("a stale saved plan applied")
	}
	if res == nil || !res.StateRead {
		t.Fatalf("result %+v: the state was not read", res)
	}
	got := slices.Clone(res.InState)
	slices.Sort(got)
	// api is in the state but belongs to no resource this apply knows.
	if !slices.Equal(got, []string{"db", "web"}) {
		t.Fatalf("in state: %v, want db and web", got)
	}
}
