package tf

import (
	"context"
	"io"
	"strings"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"
)

// show reads a saved plan twice, at the same time: as JSON for the counts,
// changes and costs, and as terraform's own text for "Show plan".
func (e *Engine) show(ctx context.Context, ws *workspace, plan string) (*tfjson.Plan, string, error) {
	// The plan's UI writer must not receive show's output.
	ws.tf.SetStdout(io.Discard)
	var (
		wg              sync.WaitGroup
		parsed          *tfjson.Plan
		text            string
		jsonErr, txtErr error
	)
	wg.Go(func() {
		jsonErr = background(func() (err error) { parsed, err = ws.tf.ShowPlanFile(ctx, plan); return err })
	})
	wg.Go(func() {
		txtErr = background(func() (err error) { text, err = ws.tf.ShowPlanFileRaw(ctx, plan); return err })
	})
	wg.Wait()
	for _, err := range []error{jsonErr, txtErr} {
		if err != nil {
			return nil, "", runError(ctx, "show", err, nil)
		}
	}
	return parsed, strings.TrimSpace(stripANSI(text)), nil
}
