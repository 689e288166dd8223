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

// QuotaUsage counts the resources per type that hold quota in the
// project: those of deployments not destroyed (once each), of deploy
// sessions not yet applying, and what open update sessions add to their
// deployments, except the session named by except. The SQL narrows the
// rows; the counting uses the core's own definitions so that the two can
// never disagree.
func (db *DB) QuotaUsage(ctx context.Context, guildID, projectID, except string) (map[string]int, error) {
	var deps []struct {
		ID        string `db:"id"`
		Resources string `db:"resources"`
	}
	err := db.all(ctx, &deps, `SELECT id, resources FROM deployments WHERE guild_id = ? AND project_id = ? AND status = ?`,
		guildID, projectID, deploy.DeploymentLive)
	if err != nil {
		return nil, fmt.Errorf("quota usage of %s: %w", projectID, err)
	}
	var sessions []struct {
		Kind      string `db:"kind"`
		State     string `db:"state"`
		TargetID  string `db:"target_id"`
		Resources string `db:"resources"`
	}
	err = db.all(ctx, &sessions, `SELECT kind, state, target_id, resources FROM sessions
WHERE guild_id = ? AND project_id = ? AND id <> ? AND kind IN (?, ?)
AND state IN (?, ?, ?, ?, ?, ?)`,
		guildID, projectID, except, deploy.KindDeploy, deploy.KindUpdate,
		deploy.StateDraft, deploy.StatePlanning, deploy.StatePlanned, deploy.StatePlanFailed, deploy.StateApproved, deploy.StateApplying)
	if err != nil {
		return nil, fmt.Errorf("quota usage of %s: %w", projectID, err)
	}
	usage := map[string]int{}
	held := map[string][]deploy.Resource{}
	for _, d := range deps {
		rs, err := decodeResources(d.Resources)
		if err != nil {
			return nil, fmt.Errorf("quota usage of %s: %w", projectID, err)
		}
		held[d.ID] = rs
		count(usage, rs)
	}
	for _, s := range sessions {
		rs, err := decodeResources(s.Resources)
		if err != nil {
			return nil, fmt.Errorf("quota usage of %s: %w", projectID, err)
		}
		switch {
		case deploy.Kind(s.Kind) == deploy.KindUpdate:
			count(usage, deploy.Additions(rs, held[s.TargetID]))
		case deploy.State(s.State).Open():
			// A deploy session applying already counts as its deployment.
			count(usage, rs)
		}
	}
	return usage, nil
}

func count(usage map[string]int, rs []deploy.Resource) {
	for _, r := range rs {
		usage[r.Type]++
	}
}

func decodeResources(s string) ([]deploy.Resource, error) {
	var rs []deploy.Resource
	if err := json.Unmarshal([]byte(s), &rs); err != nil {
		return nil, fmt.Errorf("decode resources: %w", err)
	}
	return rs, nil
}
