package deploy

import (
	"context"
	"fmt"
)

// Who may cancel.
type CancelBy int

// Cancel paths: /cloud-cancel (owner), /cloud-admin-cancel (administrators),
// the lobby's Cancel button (owner, administrators, project admins).
const (
	CancelByOwner CancelBy = iota
	CancelByAdmin
	CancelByButton
)

// Cancel ends a session. A running plan is stopped at once; a running
// apply is interrupted gracefully and ends CANCELLED when terraform has
// saved its state. The message is for the one who cancelled.
func (s *Service) Cancel(ctx context.Context, c Click, by CancelBy) (*Session, string, error) {
	if by == CancelByAdmin {
		if err := s.requireAdmin(c.Actor); err != nil {
			return nil, "", err
		}
	}
	sess, err := s.openSession(ctx, c)
	if err != nil {
		return nil, "", err
	}
	if err := s.mayCancel(ctx, c.Actor, sess, by); err != nil {
		return nil, "", err
	}
	s.audit(ctx, c.Actor, "cancel", sess.ID, string(sess.State))
	if sess.State == StateApplying {
		// Recorded on the session too: a run not recorded yet reads it
		// when it starts (beginRun), so the cancel is never lost.
		if _, err := s.store.RequestCancel(ctx, sess.GuildID, sess.ID); err != nil {
			return nil, "", fmt.Errorf("request cancel: %w", err)
		}
		s.cancelLocal(sess.ID)
		return sess, fmt.Sprintf("Cancelling session %s: terraform finishes the operations in flight and saves its state.", sess.ID), nil
	}
	from := sess.State
	sess.State, sess.Error = StateCancelled, "Cancelled by <@"+c.Actor.UserID+">."
	if err := s.save(ctx, sess, from); err != nil {
		return nil, "", err
	}
	if from == StatePlanning || from == StateApproved {
		if _, err := s.store.RequestCancel(ctx, sess.GuildID, sess.ID); err != nil {
			s.log.Warn("cancel not recorded for the running plan", "session", sess.ID, "err", err)
		}
		s.cancelLocal(sess.ID)
	}
	s.refresh(ctx, sess)
	s.cleanup(ctx, sess)
	return sess, fmt.Sprintf("Session %s cancelled.", sess.ID), nil
}

func (s *Service) mayCancel(ctx context.Context, a Actor, sess *Session, by CancelBy) error {
	if by == CancelByAdmin || sess.OwnerID == a.UserID {
		return nil
	}
	if by == CancelByButton {
		l, err := s.level(ctx, a, sess.ProjectID)
		if err != nil {
			return err
		}
		if l >= LevelAdmin {
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "%s", msgNotOwner)
}
