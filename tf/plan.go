package tf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/cloudengine/cloud-engine/deploy"
)

// noChanges is what terraform says of an empty plan.
const noChanges = "No changes."

// Plan validates the session's resources, then runs init, plan -out and
// show. The artifact holds the saved plan and the lock file, which Apply
// needs, possibly on another replica.
func (e *Engine) Plan(ctx context.Context, req deploy.PlanRequest) (p *deploy.Plan, a *deploy.Artifact, err error) {
	start := time.Now()
	resources, path, release, err := e.slot(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	defer func() { e.observe(ctx, deploy.OpPlan, req, start, err) }()
	defer func() { err = e.redact(err) }() // before observe logs it

	ws, err := e.prepare(ctx, req, resources, path, nil)
	if err != nil {
		return nil, nil, err
	}
	defer ws.release()
	return e.plan(ctx, ws, req.Destroy, start)
}

// slot validates a run's request, finds terraform and takes a run slot
// (waiting its turn): what every run does before its working directory.
func (e *Engine) slot(ctx context.Context, req deploy.PlanRequest) (resources []deploy.Resource, path string, release func(), err error) {
	if resources, err = e.checkRequest(req); err != nil {
		return nil, "", nil, err
	}
	if path, err = e.execPath(); err != nil {
		return nil, "", nil, err
	}
	if release, err = e.acquire(ctx, req.Queued); err != nil {
		return nil, "", nil, err
	}
	return resources, path, release, nil
}

// checkRequest validates what every run needs before terraform starts.
func (e *Engine) checkRequest(req deploy.PlanRequest) ([]deploy.Resource, error) {
	if req.Region != "" {
		if err := e.ValidateRegion(req.Provider, req.Region); err != nil {
			return nil, err
		}
	}
	return e.validateAll(req.Provider, e.regionOr(req), req.Resources)
}

// plan runs terraform plan in a prepared directory and reads the result.
func (e *Engine) plan(ctx context.Context, ws *workspace, destroy bool, start time.Time) (*deploy.Plan, *deploy.Artifact, error) {
	ui := newUIWriter(nil)
	err := background(func() error {
		_, err := ws.tf.PlanJSON(ctx, ui, tfexec.Out(planFile), tfexec.Destroy(destroy), tfexec.LockTimeout(stateLockTimeout))
		return err
	})
	ui.flush()
	if err != nil {
		return nil, nil, runError(ctx, "plan", err, ui)
	}
	parsed, text, err := e.show(ctx, ws, planFile)
	if err != nil {
		return nil, nil, err
	}
	art, err := readArtifact(ws.dir)
	if err != nil {
		return nil, nil, err
	}
	summary, _, _ := ui.result()
	p := summarize(parsed, summary)
	p.Text = text
	p.Cost, p.CostNotes = e.prices.Estimate(e.Catalog, parsed)
	p.DurationMS = time.Since(start).Milliseconds()
	return p, art, nil
}

// summarize counts the plan's changes the way terraform does (a replace is
// one add and one destroy) and keeps terraform's own summary line.
func summarize(parsed *tfjson.Plan, summary string) *deploy.Plan {
	p := &deploy.Plan{}
	for _, rc := range parsed.ResourceChanges {
		if rc.Change == nil || rc.Mode == tfjson.DataResourceMode {
			continue
		}
		a := rc.Change.Actions
		action := actionName(a)
		switch {
		case a.Create():
			p.Add++
		case a.Delete():
			p.Destroy++
		case a.Update():
			p.Change++
		case a.Replace():
			p.Add++
			p.Destroy++
		default:
			continue
		}
		p.Changes = append(p.Changes, deploy.Change{Address: rc.Address, Type: rc.Type, Name: rc.Name, Action: action})
	}
	switch {
	case !p.HasChanges():
		p.Line = noChanges
	case summary != "":
		p.Line = summary
	default:
		p.Line = fmt.Sprintf("Plan: %d to add, %d to change, %d to destroy.", p.Add, p.Change, p.Destroy)
	}
	return p
}

func actionName(a tfjson.Actions) string {
	switch {
	case a.Create():
		return "create"
	case a.Delete():
		return "delete"
	case a.Update():
		return "update"
	case a.Replace():
		return "replace"
	case a.Read():
		return "read"
	}
	return "no-op"
}

func readArtifact(dir string) (*deploy.Artifact, error) {
	plan, err := os.ReadFile(filepath.Join(dir, planFile))
	if err != nil {
		return nil, fmt.Errorf("read saved plan: %w", err)
	}
	lock, err := os.ReadFile(filepath.Join(dir, lockFile))
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("read lock file: %w", err)
	}
	return &deploy.Artifact{PlanFile: plan, LockFile: lock}, nil
}
