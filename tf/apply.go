package tf

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

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
	resources, path, release, err := e.slot(ctx, req.PlanRequest)
	if err != nil {
		return nil, err
	}
	defer release()
	defer func() { e.observe(ctx, op, req.PlanRequest, start, err) }()
	defer func() { err = e.redact(err) }() // before observe logs it

	ws, err := e.prepare(ctx, req.PlanRequest, resources, path, req.Artifact.LockFile)
	if err != nil {
		return nil, err
	}
	defer ws.release()
	if err := writeFile(ws.dir, applyFile, req.Artifact.PlanFile); err != nil {
		return nil, err
	}
	return e.apply(ctx, ws, applyFile, e.redactLines(onLine))
}

// redactLines keeps the engine's secrets out of the output users read.
func (e *Engine) redactLines(onLine func(string)) func(string) {
	if onLine == nil || e.cfg.DatabaseURL == "" {
		return onLine
	}
	secs := secrets(e.cfg.DatabaseURL)
	return func(line string) {
		for _, sec := range secs {
			line = strings.ReplaceAll(line, sec, redactedMark)
		}
		onLine(line)
	}
}

// apply runs terraform apply on a saved plan file in a prepared directory.
func (e *Engine) apply(ctx context.Context, ws *workspace, plan string, onLine func(string)) (*deploy.ApplyResult, error) {
	ui := newUIWriter(onLine)
	err := background(func() error {
		return ws.tf.ApplyJSON(ctx, ui, tfexec.DirOrPlan(plan), tfexec.LockTimeout(stateLockTimeout))
	})
	ui.flush()
	summary, _, _ := ui.result()
	res := &deploy.ApplyResult{ClosingLine: summary, Log: ui.log()}
	if err != nil {
		res.InState, res.StateRead = e.inState(ctx, ws)
		return res, runError(ctx, "apply", err, ui)
	}
	return res, nil
}

// stateReadTimeout bounds reading the state after an apply that failed or
// was interrupted (whose own context may be over).
const stateReadTimeout = 2 * time.Minute

// inState names the resources that the deployment's state holds after an
// apply that did not finish.
func (e *Engine) inState(ctx context.Context, ws *workspace) ([]string, bool) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateReadTimeout)
	defer cancel()
	ws.tf.SetStdout(io.Discard)
	var st *tfjson.State
	err := background(func() (err error) {
		st, err = ws.tf.Show(sctx)
		return err
	})
	if err != nil {
		e.log.Warn("state not readable after the apply", "dir", ws.dir, "err", err)
		return nil, false
	}
	var names []string
	if st.Values == nil || st.Values.RootModule == nil {
		return names, true
	}
	for _, r := range st.Values.RootModule.Resources {
		name, ok := ws.owners[r.Address]
		if ok && r.Mode == tfjson.ManagedResourceMode && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names, true
}
