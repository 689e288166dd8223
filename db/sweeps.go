package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/cloudengine/cloud-engine/deploy"
)

// ExpirableSessions returns the sessions of every guild that sit in DRAFT,
// PLANNED or PLAN_FAILED with no activity since idleSince, oldest first.
func (db *DB) ExpirableSessions(ctx context.Context, idleSince time.Time) ([]*deploy.Session, error) {
	var rows []sessionRow
	err := db.all(ctx, &rows, `SELECT `+sessionColumns+` FROM sessions
WHERE state IN (?, ?, ?) AND last_activity_at < ? ORDER BY last_activity_at, id`,
		deploy.StateDraft, deploy.StatePlanned, deploy.StatePlanFailed, toMillis(idleSince))
	if err != nil {
		return nil, fmt.Errorf("list expirable sessions: %w", err)
	}
	return sessionsFromRows(rows)
}

// OrphanedSessions returns the sessions of every guild that sit in a
// running state since before with no run unfinished or ended since before.
func (db *DB) OrphanedSessions(ctx context.Context, before time.Time) ([]*deploy.Session, error) {
	var rows []sessionRow
	cut := toMillis(before)
	err := db.all(ctx, &rows, `SELECT `+sessionColumns+` FROM sessions
WHERE sessions.state IN (?, ?, ?) AND sessions.updated_at < ?
AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.guild_id = sessions.guild_id AND r.session_id = sessions.id
	AND (r.ended_at IS NULL OR r.ended_at >= ?))
ORDER BY sessions.updated_at, sessions.id`,
		deploy.StatePlanning, deploy.StateApproved, deploy.StateApplying, cut, cut)
	if err != nil {
		return nil, fmt.Errorf("list orphaned sessions: %w", err)
	}
	return sessionsFromRows(rows)
}

// finalStates are the states no transition leaves, as query arguments.
func finalStates() []string {
	var out []string
	for _, s := range deploy.AllStates() {
		if s.Final() {
			out = append(out, string(s))
		}
	}
	return out
}

// EndedSessions reports which of ids name sessions of the guild in a final state.
func (db *DB) EndedSessions(ctx context.Context, guildID string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	query, args, err := sqlx.In(`SELECT id FROM sessions WHERE guild_id = ? AND id IN (?) AND state IN (?) ORDER BY id`,
		guildID, ids, finalStates())
	if err != nil {
		return nil, fmt.Errorf("build ended sessions query: %w", err)
	}
	var out []string
	if err := db.x.SelectContext(ctx, &out, db.q(query), args...); err != nil {
		return nil, fmt.Errorf("list ended sessions: %w", err)
	}
	return out, nil
}

// CountByState counts the sessions of every guild per state; every state
// is present, zero included, so that a gauge can drop to zero.
func (db *DB) CountByState(ctx context.Context) (map[deploy.State]int, error) {
	return db.countByState(ctx, `SELECT state, COUNT(*) AS n FROM sessions GROUP BY state`)
}

func (db *DB) countByState(ctx context.Context, query string, args ...any) (map[deploy.State]int, error) {
	var rows []struct {
		State string `db:"state"`
		N     int    `db:"n"`
	}
	if err := db.all(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("count sessions by state: %w", err)
	}
	out := make(map[deploy.State]int, len(deploy.AllStates()))
	for _, s := range deploy.AllStates() {
		out[s] = 0
	}
	for _, r := range rows {
		out[deploy.State(r.State)] = r.N
	}
	return out, nil
}
