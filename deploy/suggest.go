package deploy

import (
	"context"
	"fmt"
	"strings"
)

// maxSuggestions is Discord's limit of autocomplete choices.
const maxSuggestions = 25

// SuggestProjects lists projects the actor may read whose id starts with prefix.
func (s *Service) SuggestProjects(ctx context.Context, a Actor, prefix string) ([]*Project, error) {
	ps, _, err := s.store.ReadableProjects(ctx, a.GuildID, a.UserID, s.IsAdmin(a), s.now(), 0, 200)
	if err != nil {
		return nil, fmt.Errorf("suggest projects: %w", err)
	}
	var out []*Project
	for _, p := range ps {
		if strings.HasPrefix(p.ID, strings.ToLower(prefix)) && len(out) < maxSuggestions {
			out = append(out, p)
		}
	}
	return out, nil
}

// Suggestion purposes for session ids.
const (
	SuggestOwnOpen     = "own-open"    // /cloud-cancel
	SuggestAnyOpen     = "any-open"    // /cloud-admin-cancel
	SuggestLive        = "live"        // /cloud-destroy, /cloud-update: live deployments, deploy needed
	SuggestDeployments = "deployments" // /cloud-history: every deployment, read needed
)

// SuggestSessions lists session ids the actor may act on for purpose.
func (s *Service) SuggestSessions(ctx context.Context, a Actor, purpose, prefix string) ([]*Session, error) {
	if purpose == SuggestLive || purpose == SuggestDeployments {
		return s.suggestDeployments(ctx, a, purpose == SuggestLive, prefix)
	}
	if purpose == SuggestExpiring {
		return s.suggestExpiring(ctx, a, prefix)
	}
	f := SessionFilter{GuildID: a.GuildID, Limit: 200}
	admin := s.IsAdmin(a)
	if purpose == SuggestOwnOpen || (purpose == SuggestAnyOpen && !admin) {
		f.OwnerID = a.UserID
	}
	ss, _, err := s.store.ListSessions(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("suggest sessions: %w", err)
	}
	var out []*Session
	for _, sess := range ss {
		if len(out) == maxSuggestions || !strings.HasPrefix(sess.ID, strings.ToLower(prefix)) {
			continue
		}
		if sess.State.Final() {
			continue
		}
		out = append(out, sess)
	}
	return out, nil
}

// suggestDeployments lists deployments (live ones when live, which need
// deploy; any, which need read) as sessions for the choices.
func (s *Service) suggestDeployments(ctx context.Context, a Actor, live bool, prefix string) ([]*Session, error) {
	ds, err := s.store.Deployments(ctx, a.GuildID, "", live, 200)
	if err != nil {
		return nil, fmt.Errorf("suggest deployments: %w", err)
	}
	need := LevelRead
	if live {
		need = LevelDeploy
	}
	levels := map[string]Level{}
	var out []*Session
	for _, d := range ds {
		if len(out) == maxSuggestions || !strings.HasPrefix(d.ID, strings.ToLower(prefix)) ||
			!s.holds(ctx, a, d.ProjectID, need, levels) {
			continue
		}
		out = append(out, &Session{ID: d.ID, GuildID: d.GuildID, ProjectID: d.ProjectID, OwnerID: d.OwnerID,
			Kind: KindDeploy, State: d.SessionState, Destroyed: d.Status == DeploymentDestroyed, Revision: d.Revision,
			Resources: d.Resources, CreatedAt: d.CreatedAt})
	}
	return out, nil
}

func (s *Service) holds(ctx context.Context, a Actor, project string, need Level, cache map[string]Level) bool {
	l, ok := cache[project]
	if !ok {
		var err error
		if l, err = s.level(ctx, a, project); err != nil {
			return false
		}
		cache[project] = l
	}
	return l >= need
}
