package deploy

import (
	"context"
	"fmt"
	"slices"
)

// ApproveResult says what an Approve click did.
type ApproveResult struct {
	Session  *Session
	Started  bool   // the apply started
	Recorded bool   // an approval was saved (the lobby changes)
	Message  string // ephemeral text for the clicker when nothing started
}

// Approve records an approval of the current plan. With no approvals
// required the owner's click approves; otherwise other members with deploy
// approve and the N-th approval starts the apply.
func (s *Service) Approve(ctx context.Context, c Click) (*ApproveResult, error) {
	sess, err := s.openSession(ctx, c)
	if err != nil {
		return nil, err
	}
	p, err := s.store.GetProject(ctx, sess.GuildID, sess.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("get project: %w", err)
	}
	owner := sess.OwnerID == c.Actor.UserID
	if !owner && p.Approvals == 0 {
		return nil, Errorf(EFORBIDDEN, "%s", msgNotOwner)
	}
	err = s.require(ctx, c.Actor, sess.ProjectID, LevelDeploy)
	if err != nil && !owner && ErrorCode(err) == EFORBIDDEN {
		// Approvers are members with deploy; to anyone else this is
		// someone else's lobby.
		return nil, Errorf(EFORBIDDEN, "%s", msgNotOwner)
	}
	if err != nil {
		return nil, err
	}
	if err := approvable(sess); err != nil {
		return nil, err
	}
	// A plan saved before the operator removed the account is not applied.
	if err := s.allowAccount(p.Provider, p.Account); err != nil {
		return nil, err
	}
	if p.Approvals > 0 {
		return s.collectApproval(ctx, c, sess, p)
	}
	return s.approve(ctx, c, sess, p)
}

// approvable refuses an Approve unless a current successful plan with
// changes waits.
func approvable(sess *Session) error {
	switch sess.State {
	case StatePlanned:
		if !sess.Plan.HasChanges() {
			return Errorf(EINVALID, "The plan has no changes; there is nothing to apply.")
		}
		return nil
	case StatePlanning:
		return Errorf(ECONFLICT, "%s", msgPlanRunning)
	case StateApproved, StateApplying:
		return Errorf(ECONFLICT, "This session is already being applied.")
	}
	return Errorf(EINVALID, "There is no successful plan to approve yet.")
}

func (s *Service) collectApproval(ctx context.Context, c Click, sess *Session, p *Project) (*ApproveResult, error) {
	if sess.OwnerID == c.Actor.UserID {
		missing := p.Approvals - len(sess.Approvals)
		return &ApproveResult{Session: sess, Message: fmt.Sprintf("Waiting for %d more approvals from other members.", missing)}, nil
	}
	if slices.ContainsFunc(sess.Approvals, func(a Approval) bool { return a.UserID == c.Actor.UserID }) {
		return &ApproveResult{Session: sess, Message: msgAlreadyApprov + "."}, nil
	}
	sess.Approvals = append(sess.Approvals, Approval{UserID: c.Actor.UserID, At: s.now()})
	s.audit(ctx, c.Actor, "approve", sess.ID, fmt.Sprintf("%d/%d", len(sess.Approvals), p.Approvals))
	if len(sess.Approvals) >= p.Approvals {
		return s.approve(ctx, c, sess, p)
	}
	sess.LastActivityAt = s.now()
	if err := s.save(ctx, sess, StatePlanned); err != nil {
		return nil, err
	}
	s.refresh(ctx, sess)
	left := p.Approvals - len(sess.Approvals)
	return &ApproveResult{Session: sess, Recorded: true,
		Message: fmt.Sprintf("Approved (%d/%d). Waiting for %d more.", len(sess.Approvals), p.Approvals, left)}, nil
}

// approve moves PLANNED → APPROVED with a compare-and-set, so that a double
// click applies once, and starts the apply.
func (s *Service) approve(ctx context.Context, c Click, sess *Session, p *Project) (*ApproveResult, error) {
	sess.State = StateApproved
	sess.LastActivityAt = s.now()
	if err := s.save(ctx, sess, StatePlanned); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, Errorf(ECONFLICT, "This session is already being applied.")
		}
		return nil, err
	}
	if p.Approvals == 0 {
		s.audit(ctx, c.Actor, "approve", sess.ID, "owner")
	}
	guild, id := sess.GuildID, sess.ID
	if !s.launch(ctx, "apply "+id, func(jctx context.Context) { s.runApply(jctx, guild, id, p) }) {
		// Shutting down: nothing was applied, so the session is cancelled
		// rather than left approved with no one to apply it.
		s.settle(context.WithoutCancel(ctx), sess, p, StateCancelled, "Cloud Engine was restarting; the apply did not start.")
		return nil, Errorf(ECONFLICT, "Cloud Engine is restarting; the apply did not start. Open a new session in a moment.")
	}
	return &ApproveResult{Session: sess, Started: true}, nil
}
