package db

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Stats returns the guild's figures, or one project's when projectID is set:
// sessions per state, and the median and 95th percentile of successful
// plan and apply runs (a destroy's apply counts as an apply).
func (db *DB) Stats(ctx context.Context, guildID, projectID string) (*deploy.Stats, error) {
	where := `WHERE guild_id = ?`
	args := []any{guildID}
	if projectID != "" {
		where += ` AND project_id = ?`
		args = append(args, projectID)
	}
	byState, err := db.countByState(ctx, `SELECT state, COUNT(*) AS n FROM sessions `+where+` GROUP BY state`, args...)
	if err != nil {
		return nil, err
	}
	st := &deploy.Stats{ByState: byState, Applied: byState[deploy.StateApplied], Failed: byState[deploy.StateFailed]}

	var runs []struct {
		Operation string `db:"operation"`
		Millis    int64  `db:"millis"`
	}
	query := `SELECT r.operation, r.ended_at - r.started_at AS millis
FROM runs r JOIN sessions s ON s.id = r.session_id AND s.guild_id = r.guild_id
WHERE r.guild_id = ? AND r.outcome = ? AND r.ended_at IS NOT NULL`
	args = []any{guildID, deploy.OutcomeSuccess}
	if projectID != "" {
		query += ` AND s.project_id = ?`
		args = append(args, projectID)
	}
	err = db.all(ctx, &runs, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read run durations: %w", err)
	}
	var plans, applies []time.Duration
	for _, r := range runs {
		d := time.Duration(r.Millis) * time.Millisecond
		switch r.Operation {
		case deploy.OpPlan:
			plans = append(plans, d)
		case deploy.OpApply, deploy.OpDestroy:
			applies = append(applies, d)
		}
	}
	st.PlanSamples, st.ApplySamples = len(plans), len(applies)
	st.PlanMedian, st.PlanP95 = percentile(plans, 0.5), percentile(plans, 0.95)
	st.ApplyMedian, st.ApplyP95 = percentile(applies, 0.5), percentile(applies, 0.95)
	return st, nil
}

// percentile is the nearest-rank percentile p (0 < p ≤ 1) of ds, 0 when empty.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	rank := int(math.Ceil(p * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}
