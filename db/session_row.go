package db

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// sessionRow is a session as stored: times in milliseconds, resources,
// plan and approvals as JSON text.
type sessionRow struct {
	ID             string `db:"id"`
	GuildID        string `db:"guild_id"`
	ChannelID      string `db:"channel_id"`
	LobbyMessageID string `db:"lobby_message_id"`
	Token          string `db:"token"`
	TokenIssuedAt  int64  `db:"token_issued_at"`
	ThreadID       string `db:"thread_id"`
	OwnerID        string `db:"owner_id"`
	ProjectID      string `db:"project_id"`
	Provider       string `db:"provider"`
	Region         string `db:"region"`
	Kind           string `db:"kind"`
	TargetID       string `db:"target_id"`
	State          string `db:"state"`
	Resources      string `db:"resources"`
	Plan           string `db:"plan"`
	Error          string `db:"error"`
	Approvals      string `db:"approvals"`
	Restores       int    `db:"restores"`
	Destroyed      bool   `db:"destroyed"` // read from the session's deployment
	Revision       int    `db:"revision"`  // likewise
	CreatedAt      int64  `db:"created_at"`
	UpdatedAt      int64  `db:"updated_at"`
	LastActivityAt int64  `db:"last_activity_at"`
	Version        int64  `db:"version"`
	TTLMS          int64  `db:"ttl_ms"`
	ExpiresAt      *int64 `db:"expires_at"` // read from the session's deployment
}

// sessionFields are the columns a session writes.
const sessionFields = `id, guild_id, channel_id, lobby_message_id, token, token_issued_at, thread_id,
owner_id, project_id, provider, region, kind, target_id, restores, state, resources, plan, error, approvals,
created_at, updated_at, last_activity_at, version, ttl_ms`

// sessionColumns are what a session reads: its fields and, for a deploy
// session, its deployment's status and revision (FROM sessions, unaliased).
const sessionColumns = sessionFields + `,
COALESCE((SELECT d.status = 'destroyed' FROM deployments d WHERE d.id = sessions.id), FALSE) AS destroyed,
COALESCE((SELECT d.revision FROM deployments d WHERE d.id = sessions.id), 0) AS revision,
(SELECT d.expires_at FROM deployments d WHERE d.id = sessions.id) AS expires_at`

// approvalJSON is the stored form of deploy.Approval.
type approvalJSON struct {
	UserID string    `json:"user_id"`
	At     time.Time `json:"at"`
}

// normalize truncates the session's times to what the database keeps.
func normalize(s *deploy.Session) {
	s.TokenIssuedAt = ms(s.TokenIssuedAt)
	s.CreatedAt = ms(s.CreatedAt)
	s.UpdatedAt = ms(s.UpdatedAt)
	s.LastActivityAt = ms(s.LastActivityAt)
	for i := range s.Approvals {
		s.Approvals[i].At = ms(s.Approvals[i].At)
	}
}

func toSessionRow(s *deploy.Session) (*sessionRow, error) {
	resources := s.Resources
	if resources == nil {
		resources = []deploy.Resource{}
	}
	res, err := json.Marshal(resources)
	if err != nil {
		return nil, fmt.Errorf("encode resources of %s: %w", s.ID, err)
	}
	var plan []byte
	if s.Plan != nil {
		if plan, err = json.Marshal(s.Plan); err != nil {
			return nil, fmt.Errorf("encode plan of %s: %w", s.ID, err)
		}
	}
	approvals := make([]approvalJSON, len(s.Approvals))
	for i, a := range s.Approvals {
		approvals[i] = approvalJSON{UserID: a.UserID, At: a.At.UTC()}
	}
	appr, err := json.Marshal(approvals)
	if err != nil {
		return nil, fmt.Errorf("encode approvals of %s: %w", s.ID, err)
	}
	return &sessionRow{
		ID: s.ID, GuildID: s.GuildID, ChannelID: s.ChannelID, LobbyMessageID: s.LobbyMessageID,
		Token: s.Token, TokenIssuedAt: toMillis(s.TokenIssuedAt), ThreadID: s.ThreadID,
		OwnerID: s.OwnerID, ProjectID: s.ProjectID, Provider: s.Provider, Region: s.Region,
		Kind: string(s.Kind), TargetID: s.TargetID, Restores: s.Restores, State: string(s.State),
		Resources: string(res), Plan: string(plan), Error: s.Error, Approvals: string(appr),
		CreatedAt: toMillis(s.CreatedAt), UpdatedAt: toMillis(s.UpdatedAt),
		LastActivityAt: toMillis(s.LastActivityAt), Version: s.Version,
		TTLMS: s.TTL.Milliseconds(),
	}, nil
}

func (r *sessionRow) session() (*deploy.Session, error) {
	s := &deploy.Session{
		ID: r.ID, GuildID: r.GuildID, ChannelID: r.ChannelID, LobbyMessageID: r.LobbyMessageID,
		Token: r.Token, TokenIssuedAt: fromMillis(r.TokenIssuedAt), ThreadID: r.ThreadID,
		OwnerID: r.OwnerID, ProjectID: r.ProjectID, Provider: r.Provider, Region: r.Region,
		Kind: deploy.Kind(r.Kind), TargetID: r.TargetID, Restores: r.Restores, State: deploy.State(r.State),
		Error: r.Error, Destroyed: r.Destroyed, Revision: r.Revision, CreatedAt: fromMillis(r.CreatedAt),
		UpdatedAt: fromMillis(r.UpdatedAt), LastActivityAt: fromMillis(r.LastActivityAt), Version: r.Version,
		TTL: time.Duration(r.TTLMS) * time.Millisecond, ExpiresAt: fromMillisPtr(r.ExpiresAt),
	}
	if err := json.Unmarshal([]byte(r.Resources), &s.Resources); err != nil {
		return nil, fmt.Errorf("decode resources of %s: %w", r.ID, err)
	}
	if len(s.Resources) == 0 {
		s.Resources = nil
	}
	if r.Plan != "" {
		s.Plan = &deploy.Plan{}
		if err := json.Unmarshal([]byte(r.Plan), s.Plan); err != nil {
			return nil, fmt.Errorf("decode plan of %s: %w", r.ID, err)
		}
	}
	var approvals []approvalJSON
	if err := json.Unmarshal([]byte(r.Approvals), &approvals); err != nil {
		return nil, fmt.Errorf("decode approvals of %s: %w", r.ID, err)
	}
	for _, a := range approvals {
		s.Approvals = append(s.Approvals, deploy.Approval{UserID: a.UserID, At: a.At.UTC()})
	}
	return s, nil
}

func sessionsFromRows(rows []sessionRow) ([]*deploy.Session, error) {
	out := make([]*deploy.Session, 0, len(rows))
	for i := range rows {
		s, err := rows[i].session()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
