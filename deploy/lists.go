package deploy

import (
	"context"
	"fmt"
	"strings"
)

// ParseStateFilter accepts a state name (any case) or "" for all.
func ParseStateFilter(s string) (State, error) {
	st := State(strings.ToUpper(s))
	if s == "" || st.Valid() {
		return st, nil
	}
	return "", Errorf(EINVALID, "Unknown state %q.", s)
}

// List shows the actor's own sessions, page from 1.
func (s *Service) List(ctx context.Context, a Actor, state State, page int) ([]*Session, int, error) {
	return s.list(ctx, SessionFilter{GuildID: a.GuildID, OwnerID: a.UserID, State: state}, page)
}

// AdminList shows every session of the guild; administrators only.
func (s *Service) AdminList(ctx context.Context, a Actor, projectID string, state State, page int) ([]*Session, int, error) {
	if err := s.requireAdmin(a); err != nil {
		return nil, 0, err
	}
	if projectID != "" {
		if _, err := s.project(ctx, a, projectID, LevelNone); err != nil {
			return nil, 0, err
		}
	}
	return s.list(ctx, SessionFilter{GuildID: a.GuildID, ProjectID: projectID, State: state}, page)
}

func (s *Service) list(ctx context.Context, f SessionFilter, page int) ([]*Session, int, error) {
	page = max(page, 1)
	f.Offset, f.Limit = (page-1)*PageSize, PageSize
	ss, total, err := s.store.ListSessions(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list sessions: %w", err)
	}
	return ss, total, nil
}

// Stats returns the guild's (or a project's) figures; administrators only.
func (s *Service) Stats(ctx context.Context, a Actor, projectID string) (*Stats, error) {
	if err := s.requireAdmin(a); err != nil {
		return nil, err
	}
	if projectID != "" {
		if _, err := s.project(ctx, a, projectID, LevelNone); err != nil {
			return nil, err
		}
	}
	st, err := s.store.Stats(ctx, a.GuildID, projectID)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
