package tf

import (
	"context"
	"io"
	"slices"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Drift plans a deployment's recorded resources against its refreshed
// state. The plan is read-only: it takes no state lock (an update planned at
// the same moment is never refused for it), its saved file is only read,
// and nothing is applied. Every address terraform found changed outside it
// (resource_drift) or would change is named.
func (e *Engine) Drift(ctx context.Context, req deploy.PlanRequest) (addrs []string, err error) {
	start := time.Now()
	resources, path, release, err := e.slot(ctx, req)
	if err != nil {
		return nil, err
	}
	defer release()
	defer func() {
		e.observe(ctx, deploy.OpDrift, req, start, err)
		e.metrics.drift.WithLabelValues(driftOutcome(addrs, err)).Inc()
	}()
	defer func() { err = e.redact(err) }() // before observe logs it
	ws, err := e.prepare(ctx, req, resources, path, nil)
	if err != nil {
		return nil, err
	}
	defer ws.release()
	ui := newUIWriter(nil)
	err = background(func() error {
		_, err := ws.tf.PlanJSON(ctx, ui, tfexec.Out(planFile), tfexec.Lock(false))
		return err
	})
	ui.flush()
	if err != nil {
		return nil, runError(ctx, "plan", err, ui)
	}
	ws.tf.SetStdout(io.Discard)
	var parsed *tfjson.Plan
	err = background(func() (err error) {
		parsed, err = ws.tf.ShowPlanFile(ctx, planFile)
		return err
	})
	if err != nil {
		return nil, runError(ctx, "show", err, nil)
	}
	return driftedAddresses(parsed), nil
}

// driftedAddresses lists, sorted and once each, the managed resources that
// drifted or that applying the recorded configuration would change.
func driftedAddresses(p *tfjson.Plan) []string {
	var out []string
	add := func(rcs []*tfjson.ResourceChange) {
		for _, rc := range rcs {
			if rc.Mode == tfjson.DataResourceMode || rc.Change == nil {
				continue
			}
			if a := rc.Change.Actions; a.NoOp() || a.Read() {
				continue
			}
			if !slices.Contains(out, rc.Address) {
				out = append(out, rc.Address)
			}
		}
	}
	add(p.ResourceDrift)
	add(p.ResourceChanges)
	slices.Sort(out)
	return out
}

func driftOutcome(addrs []string, err error) string {
	switch {
	case err != nil:
		return "error"
	case len(addrs) > 0:
		return deploy.DriftDrifted
	}
	return deploy.DriftInSync
}
