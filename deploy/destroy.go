package deploy

import (
	"context"
)

// CheckDestroy runs the checks of /cloud-destroy before the deferred answer.
func (s *Service) CheckDestroy(ctx context.Context, a Actor, targetID string) (*Deployment, *Project, error) {
	return s.checkChange(ctx, a, targetID)
}

// StartDestroy opens a destroy session for a deployment; it starts in
// PLANNING with a destroy plan of what the deployment holds now.
func (s *Service) StartDestroy(ctx context.Context, a Actor, d *Deployment, p *Project, tok Token) (*Session, error) {
	sess := s.newChange(a, d, p, KindDestroy, tok)
	if err := s.createChange(ctx, sess); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "destroy", d.ID, sess.ID)
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
