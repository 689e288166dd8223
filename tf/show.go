package tf

import (
	"context"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// show reads a saved plan twice: as JSON for the counts, changes and costs,
// and as terraform's own text for "Show plan".
func (e *Engine) show(ctx context.Context, ws *workspace, plan string) (*tfjson.Plan, string, error) {
	parsed, err := ws.tf.ShowPlanFile(ctx, plan)
	if err != nil {
		return nil, "", runError(ctx, "show", err, nil)
	}
	text, err := ws.tf.ShowPlanFileRaw(ctx, plan)
	if err != nil {
		return nil, "", runError(ctx, "show", err, nil)
	}
	return parsed, strings.TrimSpace(stripANSI(text)), nil
}
