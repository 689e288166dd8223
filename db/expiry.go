package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// expiryRow is a deployment's expiry as stored.
type expiryRow struct {
	GuildID     string `db:"guild_id"`
	ID          string `db:"id"`
	TTLMS       int64  `db:"ttl_ms"`
	ExpiresAt   *int64 `db:"expires_at"`
	RemindedFor *int64 `db:"reminded_for"`
	Session     string `db:"expiry_session"`
	ClaimedAt   int64  `db:"expiry_claimed_at"`
	Attempts    int    `db:"expiry_attempts"`
	Version     int64  `db:"expiry_version"`
}

const expiryColumns = `d.guild_id, d.id, d.ttl_ms, d.expires_at, d.reminded_for, d.expiry_session,
d.expiry_claimed_at, d.expiry_attempts, d.expiry_version`

func (r *expiryRow) expiry() *deploy.Expiry {
	return &deploy.Expiry{GuildID: r.GuildID, DeploymentID: r.ID, TTL: time.Duration(r.TTLMS) * time.Millisecond,
		At: fromMillisPtr(r.ExpiresAt), RemindedFor: fromMillisPtr(r.RemindedFor), Session: r.Session,
		ClaimedAt: fromMillis(r.ClaimedAt), Attempts: r.Attempts, Version: r.Version}
}

// GetExpiry returns a deployment's expiry, or ENOTFOUND.
func (db *DB) GetExpiry(ctx context.Context, guildID, id string) (*deploy.Expiry, error) {
	var r expiryRow
	err := db.get(ctx, &r, `SELECT `+expiryColumns+` FROM deployments d WHERE d.guild_id = ? AND d.id = ?`, guildID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unknownDeployment(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get expiry of %s: %w", id, err)
	}
	return r.expiry(), nil
}

// StartExpiry copies the deploy session's time to live onto its deployment
// and counts it from appliedAt, once: a deployment with an expiry keeps it.
func (db *DB) StartExpiry(ctx context.Context, guildID, id string, appliedAt time.Time) error {
	_, err := db.exec(ctx, `UPDATE deployments SET
	ttl_ms = (SELECT s.ttl_ms FROM sessions s WHERE s.id = deployments.id),
	expires_at = ? + (SELECT s.ttl_ms FROM sessions s WHERE s.id = deployments.id),
	expiry_version = expiry_version + 1
WHERE guild_id = ? AND id = ? AND expires_at IS NULL
	AND (SELECT s.ttl_ms FROM sessions s WHERE s.id = deployments.id) > 0`,
		toMillis(appliedAt), guildID, id)
	if err != nil {
		return fmt.Errorf("start expiry of %s: %w", id, err)
	}
	return nil
}

// ExpiringDeployments lists the live deployments whose expiry is before
// before, soonest first; guildID "" selects every guild (the sweep).
func (db *DB) ExpiringDeployments(ctx context.Context, guildID string, before time.Time) ([]*deploy.Expiry, error) {
	query := `SELECT ` + expiryColumns + ` FROM deployments d JOIN sessions s ON s.id = d.id AND s.guild_id = d.guild_id
WHERE d.status = ? AND d.expires_at IS NOT NULL AND d.expires_at < ? AND s.state IN (?, ?, ?, ?)`
	args := append([]any{deploy.DeploymentLive, toMillis(before)}, anys(finalStates())...)
	if guildID != "" {
		query += ` AND d.guild_id = ?`
		args = append(args, guildID)
	}
	var rows []expiryRow
	if err := db.all(ctx, &rows, query+` ORDER BY d.expires_at, d.id`, args...); err != nil {
		return nil, fmt.Errorf("list expiring deployments: %w", err)
	}
	out := make([]*deploy.Expiry, len(rows))
	for i := range rows {
		out[i] = rows[i].expiry()
	}
	return out, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// MoveExpiry sets the expiry if it is still at prev's version.
func (db *DB) MoveExpiry(ctx context.Context, prev *deploy.Expiry, to time.Time) (bool, error) {
	n, err := db.exec(ctx, `UPDATE deployments SET expires_at = ?, expiry_version = expiry_version + 1
WHERE guild_id = ? AND id = ? AND expiry_version = ?`, toMillis(to), prev.GuildID, prev.DeploymentID, prev.Version)
	if err != nil {
		return false, fmt.Errorf("move expiry of %s: %w", prev.DeploymentID, err)
	}
	return n == 1, nil
}

// ClaimReminder records that the reminder of prev.At is posted, once; it
// does not count as a change of the expiry, so that an extension clicked at
// the same moment still applies.
func (db *DB) ClaimReminder(ctx context.Context, prev *deploy.Expiry) (bool, error) {
	at := toMillisPtr(prev.At)
	n, err := db.exec(ctx, `UPDATE deployments SET reminded_for = ?
WHERE guild_id = ? AND id = ? AND expires_at = ? AND (reminded_for IS NULL OR reminded_for <> ?)`,
		at, prev.GuildID, prev.DeploymentID, at, at)
	if err != nil {
		return false, fmt.Errorf("claim reminder of %s: %w", prev.DeploymentID, err)
	}
	return n == 1, nil
}

// ClaimExpiry records session as the expiry's destroy if the expiry is
// still at prev's version: one replica wins.
func (db *DB) ClaimExpiry(ctx context.Context, prev *deploy.Expiry, session string, at time.Time) (bool, error) {
	n, err := db.exec(ctx, `UPDATE deployments SET expiry_session = ?, expiry_claimed_at = ?,
	expiry_attempts = expiry_attempts + 1, expiry_version = expiry_version + 1
WHERE guild_id = ? AND id = ? AND status = ? AND expiry_version = ?`,
		session, toMillis(at), prev.GuildID, prev.DeploymentID, deploy.DeploymentLive, prev.Version)
	if err != nil {
		return false, fmt.Errorf("claim expiry of %s: %w", prev.DeploymentID, err)
	}
	return n == 1, nil
}

// ReleaseExpiry drops a claim whose session could not be created.
func (db *DB) ReleaseExpiry(ctx context.Context, guildID, id, session string) error {
	_, err := db.exec(ctx, `UPDATE deployments SET expiry_session = '', expiry_attempts = expiry_attempts - 1,
	expiry_version = expiry_version + 1 WHERE guild_id = ? AND id = ? AND expiry_session = ?`, guildID, id, session)
	if err != nil {
		return fmt.Errorf("release expiry of %s: %w", id, err)
	}
	return nil
}
