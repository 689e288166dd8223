package db

import (
	"context"
	"fmt"

	"github.com/cloudengine/cloud-engine/deploy"
)

// AddAudit records who did what; At defaults to now.
func (db *DB) AddAudit(ctx context.Context, e *deploy.AuditEvent) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.At = ms(e.At)
	_, err := db.exec(ctx, `INSERT INTO audit_events (guild_id, actor, action, target, detail, at) VALUES (?, ?, ?, ?, ?, ?)`,
		e.GuildID, e.Actor, e.Action, e.Target, e.Detail, toMillis(e.At))
	if err != nil {
		return fmt.Errorf("add audit event %s: %w", e.Action, err)
	}
	return nil
}

// Audit returns the guild's events about target, oldest first.
func (db *DB) Audit(ctx context.Context, guildID, target string) ([]*deploy.AuditEvent, error) {
	var rows []struct {
		Actor  string `db:"actor"`
		Action string `db:"action"`
		Target string `db:"target"`
		Detail string `db:"detail"`
		At     int64  `db:"at"`
	}
	err := db.all(ctx, &rows, `SELECT actor, action, target, detail, at FROM audit_events
WHERE guild_id = ? AND target = ? ORDER BY at, id`, guildID, target)
	if err != nil {
		return nil, fmt.Errorf("read audit of %s: %w", target, err)
	}
	out := make([]*deploy.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = &deploy.AuditEvent{GuildID: guildID, Actor: r.Actor, Action: r.Action, Target: r.Target, Detail: r.Detail, At: fromMillis(r.At)}
	}
	return out, nil
}
