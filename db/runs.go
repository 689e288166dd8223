package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

type runRow struct {
	ID              int64  `db:"id"`
	GuildID         string `db:"guild_id"`
	SessionID       string `db:"session_id"`
	Operation       string `db:"operation"`
	Instance        string `db:"instance"`
	StartedAt       int64  `db:"started_at"`
	LeaseRenewedAt  int64  `db:"lease_renewed_at"`
	EndedAt         *int64 `db:"ended_at"`
	Outcome         string `db:"outcome"`
	Summary         string `db:"summary"`
	LogTail         string `db:"log_tail"`
	CancelRequested bool   `db:"cancel_requested"`
}

const runColumns = `id, guild_id, session_id, operation, instance, started_at, lease_renewed_at,
ended_at, outcome, summary, log_tail, cancel_requested`

func (r *runRow) run() *deploy.Run {
	return &deploy.Run{
		ID: r.ID, GuildID: r.GuildID, SessionID: r.SessionID, Operation: r.Operation, Instance: r.Instance,
		StartedAt: fromMillis(r.StartedAt), LeaseRenewedAt: fromMillis(r.LeaseRenewedAt),
		EndedAt: fromMillisPtr(r.EndedAt), Outcome: r.Outcome, Summary: r.Summary, LogTail: r.LogTail,
		CancelRequested: r.CancelRequested,
	}
}

// errLeaseLost tells a job that its run was ended by someone else (most
// often another replica that found the lease stale): it must stop.
func errLeaseLost(runID int64) error {
	return deploy.Errorf(deploy.ECONFLICT, "Run %d is no longer held by this instance.", runID)
}

// StartRun records a run holding a fresh lease and sets r.ID.
func (db *DB) StartRun(ctx context.Context, r *deploy.Run) error {
	if r.StartedAt.IsZero() {
		r.StartedAt = db.now()
	}
	r.StartedAt = ms(r.StartedAt)
	if r.LeaseRenewedAt.IsZero() {
		r.LeaseRenewedAt = r.StartedAt
	}
	r.LeaseRenewedAt = ms(r.LeaseRenewedAt)
	err := db.get(ctx, &r.ID, `INSERT INTO runs
(guild_id, session_id, operation, instance, started_at, lease_renewed_at, cancel_requested)
SELECT guild_id, id, ?, ?, ?, ?, ? FROM sessions WHERE guild_id = ? AND id = ?
RETURNING id`,
		r.Operation, r.Instance, toMillis(r.StartedAt), toMillis(r.LeaseRenewedAt), false, r.GuildID, r.SessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return unknownSession(r.SessionID)
	}
	if err != nil {
		return fmt.Errorf("start %s run of %s: %w", r.Operation, r.SessionID, err)
	}
	return nil
}

// RenewLease moves the lease of a live run held by instance to at and
// reports whether a cancel was requested. When the run has ended or is held
// by another instance it returns cancel = true with an ECONFLICT error, so
// that a job that lost its lease stops.
func (db *DB) RenewLease(ctx context.Context, runID int64, instance string, at time.Time) (bool, error) {
	var cancel bool
	// A cancel recorded on the session counts for its runs, drift checks
	// apart: they run under a deployment's own, long-ended session.
	err := db.get(ctx, &cancel, `UPDATE runs SET lease_renewed_at = ?
WHERE id = ? AND instance = ? AND ended_at IS NULL
RETURNING cancel_requested OR (operation <> 'drift' AND EXISTS (
	SELECT 1 FROM sessions s WHERE s.id = runs.session_id AND s.cancel_requested))`,
		toMillis(at), runID, instance)
	if errors.Is(err, sql.ErrNoRows) {
		return true, errLeaseLost(runID)
	}
	if err != nil {
		return false, fmt.Errorf("renew lease of run %d: %w", runID, err)
	}
	return cancel, nil
}

// FinishRun ends a live run with its outcome, summary and log tail; sets
// r.EndedAt when unset. ECONFLICT when the run had already ended.
func (db *DB) FinishRun(ctx context.Context, r *deploy.Run) error {
	if r.EndedAt == nil {
		t := db.now()
		r.EndedAt = &t
	}
	end := ms(*r.EndedAt)
	r.EndedAt = &end
	n, err := db.exec(ctx, `UPDATE runs SET ended_at = ?, outcome = ?, summary = ?, log_tail = ?
WHERE id = ? AND guild_id = ? AND ended_at IS NULL`,
		toMillis(end), r.Outcome, r.Summary, r.LogTail, r.ID, r.GuildID)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", r.ID, err)
	}
	if n == 0 {
		return errLeaseLost(r.ID)
	}
	return nil
}

// RequestCancel marks the session's unfinished runs for cancelling and
// reports whether there was one; the replica running it sees the mark at its
// next lease renewal.
func (db *DB) RequestCancel(ctx context.Context, guildID, sessionID string) (bool, error) {
	if _, err := db.exec(ctx, `UPDATE sessions SET cancel_requested = ? WHERE guild_id = ? AND id = ?`, true, guildID, sessionID); err != nil {
		return false, fmt.Errorf("request cancel of %s: %w", sessionID, err)
	}
	n, err := db.exec(ctx, `UPDATE runs SET cancel_requested = ? WHERE guild_id = ? AND session_id = ? AND ended_at IS NULL`,
		true, guildID, sessionID)
	if err != nil {
		return false, fmt.Errorf("request cancel of %s: %w", sessionID, err)
	}
	return n > 0, nil
}

// HasLiveRun reports whether a session has an unfinished run whose lease
// was renewed at or after since.
func (db *DB) HasLiveRun(ctx context.Context, guildID, sessionID string, since time.Time) (bool, error) {
	var n int
	err := db.get(ctx, &n, `SELECT COUNT(*) FROM runs WHERE guild_id = ? AND session_id = ? AND ended_at IS NULL AND lease_renewed_at >= ?`,
		guildID, sessionID, toMillis(since))
	if err != nil {
		return false, fmt.Errorf("live runs of %s: %w", sessionID, err)
	}
	return n > 0, nil
}

// StaleRuns returns the unfinished runs of every guild whose lease was last
// renewed before the given time, oldest first.
func (db *DB) StaleRuns(ctx context.Context, before time.Time) ([]*deploy.Run, error) {
	var rows []runRow
	err := db.all(ctx, &rows, `SELECT `+runColumns+` FROM runs
WHERE ended_at IS NULL AND lease_renewed_at < ? ORDER BY lease_renewed_at, id`, toMillis(before))
	if err != nil {
		return nil, fmt.Errorf("list stale runs: %w", err)
	}
	out := make([]*deploy.Run, len(rows))
	for i := range rows {
		out[i] = rows[i].run()
	}
	return out, nil
}

// AbandonRun ends a run with outcome failure if it is unfinished and its
// lease is still older than before; false when another replica got there
// first or the run renewed its lease in the meantime.
func (db *DB) AbandonRun(ctx context.Context, runID int64, before time.Time, summary string) (bool, error) {
	n, err := db.exec(ctx, `UPDATE runs SET ended_at = ?, outcome = ?, summary = ?
WHERE id = ? AND ended_at IS NULL AND lease_renewed_at < ?`,
		toMillis(db.now()), deploy.OutcomeFailure, summary, runID, toMillis(before))
	if err != nil {
		return false, fmt.Errorf("abandon run %d: %w", runID, err)
	}
	return n > 0, nil
}

// Runs lists a session's runs in the order they started.
func (db *DB) Runs(ctx context.Context, guildID, sessionID string) ([]*deploy.Run, error) {
	var rows []runRow
	err := db.all(ctx, &rows, `SELECT `+runColumns+` FROM runs
WHERE guild_id = ? AND session_id = ? ORDER BY id`, guildID, sessionID)
	if err != nil {
		return nil, fmt.Errorf("list runs of %s: %w", sessionID, err)
	}
	out := make([]*deploy.Run, len(rows))
	for i := range rows {
		out[i] = rows[i].run()
	}
	return out, nil
}
