package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cloudengine/cloud-engine/deploy"
)

// SaveArtifact keeps the session's saved plan and lock file, replacing
// earlier ones; ENOTFOUND when the session is not in the guild.
func (db *DB) SaveArtifact(ctx context.Context, guildID, sessionID string, a *deploy.Artifact) error {
	plan, lock := a.PlanFile, a.LockFile
	if plan == nil {
		plan = []byte{}
	}
	if lock == nil {
		lock = []byte{}
	}
	n, err := db.exec(ctx, `INSERT INTO artifacts (session_id, guild_id, plan_file, lock_file, saved_at)
SELECT id, guild_id, ?, ?, ? FROM sessions WHERE guild_id = ? AND id = ?
ON CONFLICT (session_id) DO UPDATE SET plan_file = excluded.plan_file, lock_file = excluded.lock_file,
	saved_at = excluded.saved_at`,
		plan, lock, toMillis(db.now()), guildID, sessionID)
	if err != nil {
		return fmt.Errorf("save artifact of %s: %w", sessionID, err)
	}
	if n == 0 {
		return unknownSession(sessionID)
	}
	return nil
}

// GetArtifact returns the session's saved plan and lock file, or ENOTFOUND.
func (db *DB) GetArtifact(ctx context.Context, guildID, sessionID string) (*deploy.Artifact, error) {
	var row struct {
		PlanFile []byte `db:"plan_file"`
		LockFile []byte `db:"lock_file"`
	}
	err := db.get(ctx, &row, `SELECT plan_file, lock_file FROM artifacts WHERE guild_id = ? AND session_id = ?`,
		guildID, sessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, deploy.Errorf(deploy.ENOTFOUND, "No saved plan for session %s.", sessionID)
	}
	if err != nil {
		return nil, fmt.Errorf("get artifact of %s: %w", sessionID, err)
	}
	return &deploy.Artifact{PlanFile: row.PlanFile, LockFile: row.LockFile}, nil
}

// DeleteArtifact drops a session's saved plan and lock file (an ended
// session needs neither); deleting what is not there is no error.
func (db *DB) DeleteArtifact(ctx context.Context, guildID, sessionID string) error {
	if _, err := db.exec(ctx, `DELETE FROM artifacts WHERE guild_id = ? AND session_id = ?`, guildID, sessionID); err != nil {
		return fmt.Errorf("delete artifact of %s: %w", sessionID, err)
	}
	return nil
}
