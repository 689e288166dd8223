package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

func splitAddresses(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

// ClaimDriftCheck lets one replica at a time check a live deployment: the
// claim holds until until, so a replica that dies mid-check loses it. With
// dueOnly the deployment must also be due (scheduled checks).
func (db *DB) ClaimDriftCheck(ctx context.Context, guildID, id, instance string, now, until time.Time, dueOnly bool) (bool, error) {
	query := `UPDATE deployments SET drift_claim = ?, drift_claim_until = ?
WHERE guild_id = ? AND id = ? AND status = ? AND drift_claim_until < ?`
	args := []any{instance, toMillis(until), guildID, id, deploy.DeploymentLive, toMillis(now)}
	if dueOnly {
		query += ` AND drift_due_at > 0 AND drift_due_at <= ?`
		args = append(args, toMillis(now))
	}
	n, err := db.exec(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("claim drift check of %s: %w", id, err)
	}
	return n == 1, nil
}

// RecordDrift stores what a check found (a failed check keeps the last
// finding), schedules the next one at due (zero: none) and releases the
// claim. becameDrifted is true only for the one check that found drift
// after the deployment was in sync or never checked, so that a drift is
// announced once.
func (db *DB) RecordDrift(ctx context.Context, guildID, id string, r deploy.DriftRecord) (becameDrifted bool, err error) {
	due := int64(0)
	if !r.NextDue.IsZero() {
		due = toMillis(r.NextDue)
	}
	if r.Failed {
		_, err := db.exec(ctx, `UPDATE deployments SET drift_due_at = ?, drift_claim = '', drift_claim_until = 0
WHERE guild_id = ? AND id = ?`, due, guildID, id)
		return false, wrapDrift(id, err)
	}
	status := deploy.DriftInSync
	if len(r.Addresses) > 0 {
		status = deploy.DriftDrifted
	}
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return false, wrapDrift(id, err)
	}
	defer func() { _ = tx.Rollback() }()
	var previous string
	if err := tx.GetContext(ctx, &previous, db.q(lockedDrift(db.dialect)), guildID, id); err != nil {
		return false, wrapDrift(id, err)
	}
	_, err = tx.ExecContext(ctx, db.q(`UPDATE deployments SET drift = ?, drift_addresses = ?, drift_checked_at = ?,
drift_due_at = ?, drift_claim = '', drift_claim_until = 0 WHERE guild_id = ? AND id = ?`),
		status, strings.Join(r.Addresses, ", "), toMillis(r.At), due, guildID, id)
	if err != nil {
		return false, wrapDrift(id, err)
	}
	if err := tx.Commit(); err != nil {
		return false, wrapDrift(id, err)
	}
	return status == deploy.DriftDrifted && previous != deploy.DriftDrifted, nil
}

// lockedDrift reads the last finding with the row locked on PostgreSQL
// (SQLite's transaction already holds the write lock).
func lockedDrift(dialect string) string {
	q := `SELECT drift FROM deployments WHERE guild_id = ? AND id = ?`
	if dialect == DialectPostgres {
		q += ` FOR UPDATE`
	}
	return q
}

func wrapDrift(id string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("record drift of %s: %w", id, err)
}

// ScheduleDrift sets when a deployment's next scheduled check is due.
func (db *DB) ScheduleDrift(ctx context.Context, guildID, id string, due time.Time) error {
	_, err := db.exec(ctx, `UPDATE deployments SET drift_due_at = ? WHERE guild_id = ? AND id = ?`, toMillis(due), guildID, id)
	if err != nil {
		return fmt.Errorf("schedule drift check of %s: %w", id, err)
	}
	return nil
}

// DueDriftChecks returns live deployments of every guild whose scheduled
// check is due (or was never scheduled) and that no replica is checking.
func (db *DB) DueDriftChecks(ctx context.Context, now time.Time, limit int) ([]*deploy.Deployment, error) {
	return db.selectDeployments(ctx, "due drift checks", deploymentSelect+` WHERE d.status = ? AND s.state IN (?) AND d.drift_due_at <= ? AND d.drift_claim_until < ?
ORDER BY d.drift_due_at, d.id LIMIT ?`, deploy.DeploymentLive, finalStates(), toMillis(now), toMillis(now), pageLimit(limit))
}

// CountDeployments counts every guild's deployments by status for the
// gauge: live (in sync or never checked), drifted, destroyed.
func (db *DB) CountDeployments(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := db.all(ctx, &rows, `SELECT CASE WHEN status = ? AND drift = ? THEN ? ELSE status END AS status, COUNT(*) AS n
FROM deployments GROUP BY 1`, deploy.DeploymentLive, deploy.DriftDrifted, deploy.DriftDrifted)
	if err != nil {
		return nil, fmt.Errorf("count deployments: %w", err)
	}
	out := map[string]int{deploy.DeploymentLive: 0, deploy.DriftDrifted: 0, deploy.DeploymentDestroyed: 0}
	for _, r := range rows {
		out[r.Status] += r.N
	}
	return out, nil
}
