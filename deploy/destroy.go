package deploy

import (
	"context"
	"fmt"
)

// Destroyable reports whether a session is a deployment whose state may
// still hold resources.
func Destroyable(sess *Session) bool {
	return sess.IsDeployment() && !sess.Destroyed && sess.State.Final()
}

// CheckDestroy runs the checks of /cloud-destroy before the deferred answer.
func (s *Service) CheckDestroy(ctx context.Context, a Actor, targetID string) (*Session, *Project, error) {
	target, err := s.session(ctx, a, targetID)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.project(ctx, a, target.ProjectID, LevelDeploy)
	if err != nil {
		return nil, nil, err
	}
	if !Destroyable(target) {
		return nil, nil, Errorf(EINVALID, "Session %s is not a deployment that can be destroyed (state %s).", target.ID, DescribeState(target))
	}
	open, err := s.store.OpenDestroy(ctx, a.GuildID, target.ID)
	switch {
	case err == nil:
		return nil, nil, Errorf(ECONFLICT, "Deployment %s already has an open destroy session: %s.", target.ID, open.ID)
	case ErrorCode(err) != ENOTFOUND:
		return nil, nil, fmt.Errorf("open destroy: %w", err)
	}
	return target, p, nil
}

// StartDestroy opens a destroy session for a deployment; it starts in
// PLANNING with a destroy plan.
func (s *Service) StartDestroy(ctx context.Context, a Actor, target *Session, p *Project, tok Token) (*Session, error) {
	now := s.now()
	sess := &Session{GuildID: a.GuildID, ChannelID: a.ChannelID, OwnerID: a.UserID, ProjectID: p.ID,
		Provider: target.Provider, Region: target.Region, Kind: KindDestroy, TargetID: target.ID,
		State: StatePlanning, Resources: target.Resources,
		Token: tok.Value, TokenIssuedAt: tok.IssuedAt, CreatedAt: now, UpdatedAt: now, LastActivityAt: now}
	if err := s.create(ctx, sess); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "destroy", target.ID, sess.ID)
	s.startPlan(ctx, sess, p)
	return sess, nil
}

// DescribeState is how lists show a session's state: APPLIED (destroyed)
// for a deployment a destroy removed.
func DescribeState(sess *Session) string {
	if sess.Destroyed {
		return string(sess.State) + " (destroyed)"
	}
	return string(sess.State)
}
