package deploy

import (
	"context"
	"fmt"
)

// History is one page of a deployment's revisions, newest first.
type History struct {
	Deployment *Deployment
	Revisions  []*Revision
	Total      int
	Page       int
}

// History lists a deployment's revisions for a member with read.
func (s *Service) History(ctx context.Context, a Actor, id string, page int) (*History, error) {
	d, _, err := s.deployment(ctx, a, id, LevelRead)
	if err != nil {
		return nil, err
	}
	page = max(page, 1)
	revs, total, err := s.store.Revisions(ctx, a.GuildID, id, (page-1)*PageSize, PageSize)
	if err != nil {
		return nil, fmt.Errorf("revisions of %s: %w", id, err)
	}
	return &History{Deployment: d, Revisions: revs, Total: total, Page: page}, nil
}

// CheckRollback runs the checks of "Roll back to…" before the deferred
// answer: those of an update, and a revision that exists.
func (s *Service) CheckRollback(ctx context.Context, a Actor, id string, number int) (*Deployment, *Project, *Revision, error) {
	d, p, err := s.checkChange(ctx, a, id)
	if err != nil {
		return nil, nil, nil, err
	}
	rev, err := s.store.GetRevision(ctx, a.GuildID, id, number)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, nil, Errorf(EINVALID, "Deployment %s has no revision r%d.", id, number)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("revision r%d of %s: %w", number, id, err)
	}
	return d, p, rev, nil
}
