package tf

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Apply applies the saved plan of req.Artifact, and nothing else. The
// working directory is rebuilt from the request (configuration, lock file,
// init) so that any replica can apply a plan made on another. Each line
// terraform prints goes to onLine as it happens. On failure the result
// still holds what was printed.
func (e *Engine) Apply(ctx context.Context, req deploy.ApplyRequest, onLine func(line string)) (res *deploy.ApplyResult, err error) {
	start := time.Now()
	op := deploy.OpApply
	if req.Destroy {
		op = deploy.OpDestroy
	}
	if req.Artifact == nil || len(req.Artifact.PlanFile) == 0 {
		return nil, deploy.Errorf(deploy.EINVALID, "There is no saved plan to apply; run a plan first.")
	}
	resources, err := e.checkRequest(req.PlanRequest)
	if err != nil {
		return nil, err
	}
	path, err := e.execPath()
	if err != nil {
		return nil, err
	}
	release, err := e.acquire(ctx, req.Queued)
	if err != nil {
		return nil, err
	}
	defer release()
	defer func() { e.observe(ctx, op, req.PlanRequest, start, err) }()

	ws, err := e.prepare(ctx, req.PlanRequest, resources, path, req.Artifact.LockFile)
	if err != nil {
		return nil, err
	}
	defer ws.release()
	if err := writeFile(ws.dir, applyFile, req.Artifact.PlanFile); err != nil {
		return nil, err
	}
	return e.apply(ctx, ws, applyFile, onLine)
}

// apply runs terraform apply on a saved plan file in a prepared directory.
func (e *Engine) apply(ctx context.Context, ws *workspace, plan string, onLine func(string)) (*deploy.ApplyResult, error) {
	ui := newUIWriter(onLine)
	err := ws.tf.ApplyJSON(ctx, ui, tfexec.DirOrPlan(plan))
	ui.flush()
	summary, _, _ := ui.result()
	res := &deploy.ApplyResult{ClosingLine: summary, Log: ui.log()}
	if err != nil {
		return res, runError(ctx, "apply", err, ui)
	}
	return res, nil
}
