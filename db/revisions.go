package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cloudengine/cloud-engine/deploy"
)

type revisionRow struct {
	DeploymentID string `db:"deployment_id"`
	Number       int    `db:"number"`
	GuildID      string `db:"guild_id"`
	SessionID    string `db:"session_id"`
	AppliedBy    string `db:"applied_by"`
	AppliedAt    int64  `db:"applied_at"`
	Resources    string `db:"resources"`
	PlanLine     string `db:"plan_line"`
	ClosingLine  string `db:"closing_line"`
	Cost         string `db:"cost"`
}

const revisionColumns = `deployment_id, number, guild_id, session_id, applied_by, applied_at, resources, plan_line, closing_line, cost`

func (r *revisionRow) revision() (*deploy.Revision, error) {
	rev := &deploy.Revision{GuildID: r.GuildID, DeploymentID: r.DeploymentID, Number: r.Number, SessionID: r.SessionID,
		AppliedBy: r.AppliedBy, AppliedAt: fromMillis(r.AppliedAt), PlanLine: r.PlanLine, ClosingLine: r.ClosingLine, Cost: r.Cost}
	if err := json.Unmarshal([]byte(r.Resources), &rev.Resources); err != nil {
		return nil, fmt.Errorf("decode resources of r%d of %s: %w", r.Number, r.DeploymentID, err)
	}
	if len(rev.Resources) == 0 {
		rev.Resources = nil
	}
	return rev, nil
}

// AddRevision numbers the revision after the deployment's latest and makes
// its resources the deployment's, in one transaction: the deployment's row
// is locked by the update, so two writers cannot take the same number.
func (db *DB) AddRevision(ctx context.Context, r *deploy.Revision) error {
	res, err := encodeResources(r.Resources)
	if err != nil {
		return err
	}
	r.AppliedAt = ms(r.AppliedAt)
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add revision: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var number int
	err = tx.GetContext(ctx, &number, db.q(`UPDATE deployments SET revision = revision + 1, resources = ?, updated_at = ?
WHERE guild_id = ? AND id = ? RETURNING revision`), res, toMillis(db.now()), r.GuildID, r.DeploymentID)
	if errors.Is(err, sql.ErrNoRows) {
		return unknownDeployment(r.DeploymentID)
	}
	if err != nil {
		return fmt.Errorf("add revision to %s: %w", r.DeploymentID, err)
	}
	_, err = tx.ExecContext(ctx, db.q(`INSERT INTO revisions (`+revisionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.DeploymentID, number, r.GuildID, r.SessionID, r.AppliedBy, toMillis(r.AppliedAt), res, r.PlanLine, r.ClosingLine, r.Cost)
	if err != nil {
		return fmt.Errorf("add revision r%d to %s: %w", number, r.DeploymentID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add revision: commit: %w", err)
	}
	r.Number = number
	return nil
}

// Revisions lists a page of a deployment's revisions, newest first.
func (db *DB) Revisions(ctx context.Context, guildID, deploymentID string, offset, limit int) ([]*deploy.Revision, int, error) {
	var total int
	if err := db.get(ctx, &total, `SELECT COUNT(*) FROM revisions WHERE guild_id = ? AND deployment_id = ?`, guildID, deploymentID); err != nil {
		return nil, 0, fmt.Errorf("count revisions of %s: %w", deploymentID, err)
	}
	var rows []revisionRow
	err := db.all(ctx, &rows, `SELECT `+revisionColumns+` FROM revisions WHERE guild_id = ? AND deployment_id = ?
ORDER BY number DESC LIMIT ? OFFSET ?`, guildID, deploymentID, pageLimit(limit), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("list revisions of %s: %w", deploymentID, err)
	}
	out := make([]*deploy.Revision, 0, len(rows))
	for i := range rows {
		rev, err := rows[i].revision()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rev)
	}
	return out, total, nil
}

// GetRevision returns one revision of a deployment, or ENOTFOUND.
func (db *DB) GetRevision(ctx context.Context, guildID, deploymentID string, number int) (*deploy.Revision, error) {
	var r revisionRow
	err := db.get(ctx, &r, `SELECT `+revisionColumns+` FROM revisions WHERE guild_id = ? AND deployment_id = ? AND number = ?`,
		guildID, deploymentID, number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, deploy.Errorf(deploy.ENOTFOUND, "Deployment %s has no revision r%d.", deploymentID, number)
	}
	if err != nil {
		return nil, fmt.Errorf("get revision r%d of %s: %w", number, deploymentID, err)
	}
	return r.revision()
}
