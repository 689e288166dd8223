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
	SuggestDestroyable = "destroyable" // /cloud-destroy
)

// SuggestSessions lists session ids the actor may act on for purpose.
func (s *Service) SuggestSessions(ctx context.Context, a Actor, purpose, prefix string) ([]*Session, error) {
	f := SessionFilter{GuildID: a.GuildID, Limit: 200}
	admin := s.IsAdmin(a)
	if purpose == SuggestOwnOpen || (purpose == SuggestAnyOpen && !admin) {
		f.OwnerID = a.UserID
	}
	ss, _, err := s.store.ListSessions(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("suggest sessions: %w", err)
	}
	levels := map[string]Level{}
	var out []*Session
	for _, sess := range ss {
		if len(out) == maxSuggestions || !strings.HasPrefix(sess.ID, strings.ToLower(prefix)) {
			continue
		}
		switch purpose {
		case SuggestDestroyable:
			if !Destroyable(sess) || !s.mayDeploy(ctx, a, sess.ProjectID, levels) {
				continue
			}
		default:
			if sess.State.Final() {
				continue
			}
		}
		out = append(out, sess)
	}
	return out, nil
}

func (s *Service) mayDeploy(ctx context.Context, a Actor, project string, cache map[string]Level) bool {
	l, ok := cache[project]
	if !ok {
		var err error
		if l, err = s.level(ctx, a, project); err != nil {
			return false
		}
		cache[project] = l
	}
	return l >= LevelDeploy
}
