package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/cloudengine/cloud-engine/deploy"
)

// deploymentRow is a deployment as stored, with the state of the deploy
// session that created it.
type deploymentRow struct {
	ID           string `db:"id"`
	GuildID      string `db:"guild_id"`
	ProjectID    string `db:"project_id"`
	Provider     string `db:"provider"`
	Region       string `db:"region"`
	OwnerID      string `db:"owner_id"`
	ChannelID    string `db:"channel_id"`
	Status       string `db:"status"`
	Resources    string `db:"resources"`
	Revision     int    `db:"revision"`
	CreatedAt    int64  `db:"created_at"`
	UpdatedAt    int64  `db:"updated_at"`
	SessionState string `db:"session_state"`
	Drift        string `db:"drift"`
	DriftAddrs   string `db:"drift_addresses"`
	DriftChecked int64  `db:"drift_checked_at"`
	DriftDue     int64  `db:"drift_due_at"`
}

const deploymentSelect = `SELECT d.id, d.guild_id, d.project_id, d.provider, d.region, d.owner_id, d.channel_id,
d.status, d.resources, d.revision, d.created_at, d.updated_at, s.state AS session_state,
d.drift, d.drift_addresses, d.drift_checked_at, d.drift_due_at
FROM deployments d JOIN sessions s ON s.id = d.id AND s.guild_id = d.guild_id`

func (r *deploymentRow) deployment() (*deploy.Deployment, error) {
	d := &deploy.Deployment{ID: r.ID, GuildID: r.GuildID, ProjectID: r.ProjectID, Provider: r.Provider,
		Region: r.Region, OwnerID: r.OwnerID, ChannelID: r.ChannelID, Status: r.Status, Revision: r.Revision,
		CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt), SessionState: deploy.State(r.SessionState),
		Drift: r.Drift, DriftAddresses: splitAddresses(r.DriftAddrs)}
	if r.DriftChecked > 0 {
		d.DriftCheckedAt = fromMillis(r.DriftChecked)
	}
	if r.DriftDue > 0 {
		d.DriftDueAt = fromMillis(r.DriftDue)
	}
	if err := json.Unmarshal([]byte(r.Resources), &d.Resources); err != nil {
		return nil, fmt.Errorf("decode resources of deployment %s: %w", r.ID, err)
	}
	if len(d.Resources) == 0 {
		d.Resources = nil
	}
	return d, nil
}

func encodeResources(rs []deploy.Resource) (string, error) {
	if rs == nil {
		rs = []deploy.Resource{}
	}
	b, err := json.Marshal(rs)
	if err != nil {
		return "", fmt.Errorf("encode resources: %w", err)
	}
	return string(b), nil
}

func unknownDeployment(id string) error {
	return deploy.Errorf(deploy.ENOTFOUND, "Session %s is not a deployment.", id)
}

// CreateDeployment records a deploy session's deployment; ECONFLICT when
// it is already recorded.
func (db *DB) CreateDeployment(ctx context.Context, d *deploy.Deployment) error {
	res, err := encodeResources(d.Resources)
	if err != nil {
		return err
	}
	now := db.now()
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	d.CreatedAt, d.UpdatedAt = ms(d.CreatedAt), ms(d.CreatedAt)
	_, err = db.exec(ctx, `INSERT INTO deployments (id, guild_id, project_id, provider, region, owner_id, channel_id,
status, resources, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		d.ID, d.GuildID, d.ProjectID, d.Provider, d.Region, d.OwnerID, d.ChannelID, d.Status, res,
		toMillis(d.CreatedAt), toMillis(d.UpdatedAt))
	switch {
	case isUniqueViolation(err):
		return &deploy.Error{Code: deploy.ECONFLICT, Message: fmt.Sprintf("Deployment %s exists.", d.ID), Err: err}
	case isForeignKeyViolation(err):
		return &deploy.Error{Code: deploy.ENOTFOUND, Message: fmt.Sprintf("Unknown session %s.", d.ID), Err: err}
	case err != nil:
		return fmt.Errorf("create deployment %s: %w", d.ID, err)
	}
	return nil
}

// GetDeployment returns a deployment of the guild, or ENOTFOUND.
func (db *DB) GetDeployment(ctx context.Context, guildID, id string) (*deploy.Deployment, error) {
	var r deploymentRow
	err := db.get(ctx, &r, deploymentSelect+` WHERE d.guild_id = ? AND d.id = ?`, guildID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unknownDeployment(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get deployment %s: %w", id, err)
	}
	return r.deployment()
}

// Deployments lists the guild's deployments, newest first.
func (db *DB) Deployments(ctx context.Context, guildID, projectID string, liveOnly bool, limit int) ([]*deploy.Deployment, error) {
	query := deploymentSelect + ` WHERE d.guild_id = ?`
	args := []any{guildID}
	if projectID != "" {
		query += ` AND d.project_id = ?`
		args = append(args, projectID)
	}
	if liveOnly {
		query += ` AND d.status = ? AND s.state IN (?)`
		args = append(args, deploy.DeploymentLive, finalStates())
	}
	query += ` ORDER BY d.created_at DESC, d.id DESC LIMIT ?`
	args = append(args, pageLimit(limit))
	return db.selectDeployments(ctx, "list deployments", query, args...)
}

// CountLiveDeployments counts a project's live deployments: those
// Deployments lists with liveOnly.
func (db *DB) CountLiveDeployments(ctx context.Context, guildID, projectID string) (int, error) {
	query, args, err := sqlx.In(`SELECT COUNT(*) FROM deployments d JOIN sessions s ON s.guild_id = d.guild_id AND s.id = d.id
WHERE d.guild_id = ? AND d.project_id = ? AND d.status = ? AND s.state IN (?)`, guildID, projectID, deploy.DeploymentLive, finalStates())
	if err != nil {
		return 0, fmt.Errorf("count live deployments: %w", err)
	}
	var n int
	if err := db.get(ctx, &n, query, args...); err != nil {
		return 0, fmt.Errorf("count live deployments: %w", err)
	}
	return n, nil
}

// selectDeployments runs a query of deploymentSelect whose arguments may
// hold slices (expanded for IN).
func (db *DB) selectDeployments(ctx context.Context, what, query string, args ...any) ([]*deploy.Deployment, error) {
	query, args, err := sqlx.In(query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var rows []deploymentRow
	if err := db.x.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make([]*deploy.Deployment, 0, len(rows))
	for i := range rows {
		d, err := rows[i].deployment()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// SetDeploymentResources records what a deployment holds now.
func (db *DB) SetDeploymentResources(ctx context.Context, guildID, id string, rs []deploy.Resource) error {
	res, err := encodeResources(rs)
	if err != nil {
		return err
	}
	n, err := db.exec(ctx, `UPDATE deployments SET resources = ?, updated_at = ? WHERE guild_id = ? AND id = ?`,
		res, toMillis(db.now()), guildID, id)
	if err != nil {
		return fmt.Errorf("set resources of deployment %s: %w", id, err)
	}
	if n == 0 {
		return unknownDeployment(id)
	}
	return nil
}

// MarkDestroyed records that a destroy removed the deployment's resources.
func (db *DB) MarkDestroyed(ctx context.Context, guildID, id string) error {
	n, err := db.exec(ctx, `UPDATE deployments SET status = ?, resources = '[]', updated_at = ? WHERE guild_id = ? AND id = ?`,
		deploy.DeploymentDestroyed, toMillis(db.now()), guildID, id)
	if err != nil {
		return fmt.Errorf("mark deployment %s destroyed: %w", id, err)
	}
	if n == 0 {
		return unknownDeployment(id)
	}
	return nil
}
