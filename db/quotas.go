package db

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cloudengine/cloud-engine/deploy"
)

// SetQuota sets the project's limit for a resource type; ENOTFOUND when the
// project does not exist in the guild.
func (db *DB) SetQuota(ctx context.Context, q *deploy.Quota) error {
	_, err := db.exec(ctx, `INSERT INTO quotas (guild_id, project_id, resource_type, max_count) VALUES (?, ?, ?, ?)
ON CONFLICT (guild_id, project_id, resource_type) DO UPDATE SET max_count = excluded.max_count`,
		q.GuildID, q.ProjectID, q.ResourceType, q.Limit)
	if isForeignKeyViolation(err) {
		return &deploy.Error{Code: deploy.ENOTFOUND, Message: fmt.Sprintf("Unknown project %s.", q.ProjectID), Err: err}
	}
	if err != nil {
		return fmt.Errorf("set quota on %s: %w", q.ProjectID, err)
	}
	return nil
}

// Quotas lists the project's quotas by resource type.
func (db *DB) Quotas(ctx context.Context, guildID, projectID string) ([]*deploy.Quota, error) {
	var rows []struct {
		ResourceType string `db:"resource_type"`
		Limit        int    `db:"max_count"`
	}
	err := db.all(ctx, &rows, `SELECT resource_type, max_count FROM quotas
WHERE guild_id = ? AND project_id = ? ORDER BY resource_type`, guildID, projectID)
	if err != nil {
		return nil, fmt.Errorf("list quotas of %s: %w", projectID, err)
	}
	out := make([]*deploy.Quota, len(rows))
	for i, r := range rows {
		out[i] = &deploy.Quota{GuildID: guildID, ProjectID: projectID, ResourceType: r.ResourceType, Limit: r.Limit}
	}
	return out, nil
}

// QuotaUsage counts the resources per type that hold quota in the project:
// those of open sessions and of deployments not destroyed, except the
// session named by except. The SQL narrows the rows; the counting uses the
// core's own definitions so that the two can never disagree.
func (db *DB) QuotaUsage(ctx context.Context, guildID, projectID, except string) (map[string]int, error) {
	var rows []struct {
		Kind      string `db:"kind"`
		State     string `db:"state"`
		ThreadID  string `db:"thread_id"`
		Destroyed bool   `db:"destroyed"`
		Resources string `db:"resources"`
	}
	err := db.all(ctx, &rows, `SELECT kind, state, thread_id, destroyed, resources FROM sessions
WHERE guild_id = ? AND project_id = ? AND id <> ? AND kind = ?
AND (state IN (?, ?, ?, ?, ?) OR (destroyed = ? AND state IN (?, ?, ?, ?)))`,
		guildID, projectID, except, deploy.KindDeploy,
		deploy.StateDraft, deploy.StatePlanning, deploy.StatePlanned, deploy.StatePlanFailed, deploy.StateApproved,
		false, deploy.StateApplying, deploy.StateApplied, deploy.StateFailed, deploy.StateCancelled)
	if err != nil {
		return nil, fmt.Errorf("quota usage of %s: %w", projectID, err)
	}
	usage := map[string]int{}
	for _, r := range rows {
		s := &deploy.Session{Kind: deploy.Kind(r.Kind), State: deploy.State(r.State), ThreadID: r.ThreadID, Destroyed: r.Destroyed}
		if !holdsQuota(s) {
			continue
		}
		var resources []deploy.Resource
		if err := json.Unmarshal([]byte(r.Resources), &resources); err != nil {
			return nil, fmt.Errorf("quota usage of %s: decode resources: %w", projectID, err)
		}
		for _, res := range resources {
			usage[res.Type]++
		}
	}
	return usage, nil
}

// holdsQuota reports whether a session's resources count against quotas.
// A destroy session asks for no new resources: its target already counts.
func holdsQuota(s *deploy.Session) bool {
	if s.Kind == deploy.KindDestroy {
		return false
	}
	return s.State.Open() || (s.IsDeployment() && !s.Destroyed)
}
