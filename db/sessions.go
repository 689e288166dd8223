package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cloudengine/cloud-engine/deploy"
)

func unknownSession(id string) error {
	return deploy.Errorf(deploy.ENOTFOUND, "Unknown session %s.", id)
}

// CreateSession stores a new session at version 1. A deploy session starts
// in DRAFT, a destroy session in PLANNING; ECONFLICT when the id is taken or
// the deployment already has an open destroy session.
func (db *DB) CreateSession(ctx context.Context, s *deploy.Session) error {
	if err := checkNewSession(s); err != nil {
		return err
	}
	now := db.now()
	if s.CreatedAt.IsZero() {
		s.CreatedAt = now
	}
	if s.LastActivityAt.IsZero() {
		s.LastActivityAt = s.CreatedAt
	}
	s.UpdatedAt = s.CreatedAt
	s.Version = 1
	normalize(s)
	row, err := toSessionRow(s)
	if err != nil {
		return err
	}
	_, err = db.exec(ctx, `INSERT INTO sessions (`+sessionFields+`)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.ID, row.GuildID, row.ChannelID, row.LobbyMessageID, row.Token, row.TokenIssuedAt, row.ThreadID,
		row.OwnerID, row.ProjectID, row.Provider, row.Region, row.Kind, row.TargetID, row.Restores, row.State,
		row.Resources, row.Plan, row.Error, row.Approvals,
		row.CreatedAt, row.UpdatedAt, row.LastActivityAt, row.Version, row.TTLMS)
	switch {
	case isOpenChangeViolation(err):
		return &deploy.Error{Code: deploy.ECONFLICT, Message: fmt.Sprintf("Deployment %s already has an open session.", s.TargetID), Err: err}
	case isUniqueViolation(err):
		return &deploy.Error{Code: deploy.ECONFLICT, Message: fmt.Sprintf("Session %s already exists.", s.ID), Err: err}
	case isForeignKeyViolation(err):
		return &deploy.Error{Code: deploy.ENOTFOUND, Message: fmt.Sprintf("Unknown project %s.", s.ProjectID), Err: err}
	case err != nil:
		return fmt.Errorf("create session %s: %w", s.ID, err)
	}
	return nil
}

func checkNewSession(s *deploy.Session) error {
	want := deploy.StateDraft
	if s.Kind.ChangesDeployment() {
		want = deploy.StatePlanning
	} else if s.Kind != deploy.KindDeploy {
		return deploy.Errorf(deploy.EINVALID, "Unknown session kind %q.", s.Kind)
	}
	if s.State != want {
		return deploy.Errorf(deploy.EINVALID, "A new %s session starts in %s, not %s.", s.Kind, want, s.State)
	}
	return nil
}

// GetSession returns a session of the guild, or ENOTFOUND.
func (db *DB) GetSession(ctx context.Context, guildID, id string) (*deploy.Session, error) {
	var r sessionRow
	err := db.get(ctx, &r, `SELECT `+sessionColumns+` FROM sessions WHERE guild_id = ? AND id = ?`, guildID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unknownSession(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get session %s: %w", id, err)
	}
	return r.session()
}

// SaveSession writes s with a compare-and-set on (state, version): the row
// must still be in state from at s.Version, else ErrConflict. from → s.State
// must be allowed by the transition table unless they are equal. On success
// s.Version and s.UpdatedAt are those now stored.
func (db *DB) SaveSession(ctx context.Context, s *deploy.Session, from deploy.State) error {
	if !s.State.Valid() {
		return deploy.Errorf(deploy.EINVALID, "Unknown session state %q.", s.State)
	}
	if from != s.State && !from.CanTransitionTo(s.State) {
		return deploy.Errorf(deploy.EINVALID, "A session cannot go from %s to %s.", from, s.State)
	}
	next := *s
	next.UpdatedAt = db.now()
	next.Version = s.Version + 1
	normalize(&next)
	row, err := toSessionRow(&next)
	if err != nil {
		return err
	}
	n, err := db.exec(ctx, `UPDATE sessions SET
	channel_id = ?, lobby_message_id = COALESCE(NULLIF(?, ''), lobby_message_id), token = ?, token_issued_at = ?,
	thread_id = COALESCE(NULLIF(?, ''), thread_id),
	region = ?, state = ?, resources = ?, plan = ?, error = ?, approvals = ?,
	updated_at = ?, last_activity_at = ?, version = ?
WHERE id = ? AND guild_id = ? AND state = ? AND version = ?`,
		row.ChannelID, row.LobbyMessageID, row.Token, row.TokenIssuedAt, row.ThreadID,
		row.Region, row.State, row.Resources, row.Plan, row.Error, row.Approvals,
		row.UpdatedAt, row.LastActivityAt, row.Version,
		s.ID, s.GuildID, string(from), s.Version)
	if err != nil {
		return fmt.Errorf("save session %s: %w", s.ID, err)
	}
	if n == 0 {
		return deploy.ErrConflict
	}
	*s = next
	return nil
}

// SetLobbyMessage records a lobby's message id without bumping the version.
func (db *DB) SetLobbyMessage(ctx context.Context, guildID, id, messageID string) error {
	n, err := db.exec(ctx, `UPDATE sessions SET lobby_message_id = ? WHERE id = ? AND guild_id = ?`, messageID, id, guildID)
	if err != nil {
		return fmt.Errorf("set lobby message of %s: %w", id, err)
	}
	if n == 0 {
		return deploy.Errorf(deploy.ENOTFOUND, "Unknown session %s.", id)
	}
	return nil
}

// ListSessions returns a page of the guild's sessions, newest first, and
// how many match the filter in all.
func (db *DB) ListSessions(ctx context.Context, f deploy.SessionFilter) ([]*deploy.Session, int, error) {
	where := ` FROM sessions WHERE guild_id = ?`
	args := []any{f.GuildID}
	if f.OwnerID != "" {
		where += ` AND owner_id = ?`
		args = append(args, f.OwnerID)
	}
	if f.ProjectID != "" {
		where += ` AND project_id = ?`
		args = append(args, f.ProjectID)
	}
	if f.State != "" {
		where += ` AND state = ?`
		args = append(args, string(f.State))
	}
	var total int
	if err := db.get(ctx, &total, `SELECT COUNT(*)`+where, args...); err != nil {
		return nil, 0, fmt.Errorf("count sessions: %w", err)
	}
	var rows []sessionRow
	query := `SELECT ` + sessionColumns + where + ` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`
	if err := db.all(ctx, &rows, query, append(args, pageLimit(f.Limit), max(f.Offset, 0))...); err != nil {
		return nil, 0, fmt.Errorf("list sessions: %w", err)
	}
	out, err := sessionsFromRows(rows)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// OpenChange returns the update or destroy session of the deployment that
// has not ended, or ENOTFOUND.
func (db *DB) OpenChange(ctx context.Context, guildID, targetID string) (*deploy.Session, error) {
	var r sessionRow
	err := db.get(ctx, &r, `SELECT `+sessionColumns+` FROM sessions
WHERE guild_id = ? AND target_id = ? AND kind IN (?, ?) AND state NOT IN (?, ?, ?, ?)
ORDER BY created_at DESC LIMIT 1`,
		guildID, targetID, deploy.KindUpdate, deploy.KindDestroy,
		deploy.StateApplied, deploy.StateFailed, deploy.StateCancelled, deploy.StateExpired)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, deploy.Errorf(deploy.ENOTFOUND, "No open session changes %s.", targetID)
	}
	if err != nil {
		return nil, fmt.Errorf("open change of %s: %w", targetID, err)
	}
	return r.session()
}
