package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// PutGrant gives the user the grant's level on the project, replacing any
// earlier grant; ENOTFOUND when the project does not exist in the guild.
func (db *DB) PutGrant(ctx context.Context, g *deploy.Grant) error {
	if g.GrantedAt.IsZero() {
		g.GrantedAt = db.now()
	}
	g.GrantedAt = ms(g.GrantedAt)
	if g.ExpiresAt != nil {
		t := ms(*g.ExpiresAt)
		g.ExpiresAt = &t
	}
	_, err := db.exec(ctx, `INSERT INTO grants (guild_id, project_id, user_id, level, expires_at, granted_by, granted_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (guild_id, project_id, user_id) DO UPDATE SET
	level = excluded.level, expires_at = excluded.expires_at,
	granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
		g.GuildID, g.ProjectID, g.UserID, int(g.Level), toMillisPtr(g.ExpiresAt), g.GrantedBy, toMillis(g.GrantedAt))
	if isForeignKeyViolation(err) {
		return &deploy.Error{Code: deploy.ENOTFOUND, Message: fmt.Sprintf("Unknown project %s.", g.ProjectID), Err: err}
	}
	if err != nil {
		return fmt.Errorf("put grant on %s: %w", g.ProjectID, err)
	}
	return nil
}

// DeleteGrant removes the user's grant on the project and reports whether there was one.
func (db *DB) DeleteGrant(ctx context.Context, guildID, projectID, userID string) (bool, error) {
	n, err := db.exec(ctx, `DELETE FROM grants WHERE guild_id = ? AND project_id = ? AND user_id = ?`, guildID, projectID, userID)
	if err != nil {
		return false, fmt.Errorf("delete grant on %s: %w", projectID, err)
	}
	return n > 0, nil
}

// Level is the user's level on the project from a grant unexpired at now.
func (db *DB) Level(ctx context.Context, guildID, projectID, userID string, now time.Time) (deploy.Level, error) {
	var level int
	err := db.get(ctx, &level, `SELECT level FROM grants
WHERE guild_id = ? AND project_id = ? AND user_id = ? AND (expires_at IS NULL OR expires_at > ?)`,
		guildID, projectID, userID, toMillis(now))
	if errors.Is(err, sql.ErrNoRows) {
		return deploy.LevelNone, nil
	}
	if err != nil {
		return deploy.LevelNone, fmt.Errorf("read level on %s: %w", projectID, err)
	}
	return deploy.Level(level), nil
}
