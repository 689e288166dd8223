package deploy

import (
	"context"
	"fmt"
)

// Texts of SPEC §2 that the rules produce.
const (
	msgAdminOnly     = "Permission denied: this command is for administrators."
	msgNotOwner      = "Only the owner of this session can do that."
	msgExpired       = "This deployment session has expired."
	msgPlanRunning   = "A plan is running; try again when it ends."
	msgSessionEnded  = "This session has ended."
	msgAlreadyApprov = "You have already approved"
)

func errUnknownProject(id string) error { return Errorf(ENOTFOUND, "Unknown project %s.", id) }
func errUnknownSession(id string) error { return Errorf(ENOTFOUND, "Unknown session %s.", id) }

func errNeedLevel(l Level, project string) error {
	return Errorf(EFORBIDDEN, "Permission denied: you need %s on project %s.", l, project)
}

// level is the actor's effective level on a project.
func (s *Service) level(ctx context.Context, a Actor, projectID string) (Level, error) {
	if s.IsAdmin(a) {
		return LevelAdmin, nil
	}
	l, err := s.store.Level(ctx, a.GuildID, projectID, a.UserID, s.now())
	if err != nil {
		return LevelNone, fmt.Errorf("level of %s on %s: %w", a.UserID, projectID, err)
	}
	return l, nil
}

// project loads a project and checks that the actor holds at least need.
func (s *Service) project(ctx context.Context, a Actor, projectID string, need Level) (*Project, error) {
	if !ValidProjectID(projectID) {
		return nil, errUnknownProject(projectID)
	}
	p, err := s.store.GetProject(ctx, a.GuildID, projectID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, errUnknownProject(projectID)
	}
	if err != nil {
		return nil, fmt.Errorf("get project %s: %w", projectID, err)
	}
	if need == LevelNone {
		return p, nil
	}
	if err := s.require(ctx, a, projectID, need); err != nil {
		return nil, err
	}
	return p, nil
}

// require checks that the actor holds at least need on a project.
func (s *Service) require(ctx context.Context, a Actor, projectID string, need Level) error {
	l, err := s.level(ctx, a, projectID)
	if err != nil {
		return err
	}
	if l < need {
		return errNeedLevel(need, projectID)
	}
	return nil
}

func (s *Service) requireAdmin(a Actor) error {
	if !s.IsAdmin(a) {
		return Errorf(EFORBIDDEN, msgAdminOnly)
	}
	return nil
}

// session loads a session of the actor's guild.
func (s *Service) session(ctx context.Context, a Actor, id string) (*Session, error) {
	if !ValidSessionID(id) {
		return nil, errUnknownSession(id)
	}
	sess, err := s.store.GetSession(ctx, a.GuildID, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, errUnknownSession(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get session %s: %w", id, err)
	}
	return sess, nil
}
