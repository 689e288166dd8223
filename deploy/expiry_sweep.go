package deploy

import (
	"context"
	"fmt"
	"time"
)

// SweepExpiries posts the reminders that are due and destroys the
// deployments whose expiry has passed. interval is the loop's: the pace of
// the retries after a failed automatic destroy.
func (s *Service) SweepExpiries(ctx context.Context, interval time.Duration) {
	now := s.now()
	es, err := s.store.ExpiringDeployments(ctx, "", now.Add(reminderLead))
	if err != nil {
		s.log.Error("expiry sweep failed", "err", err)
		return
	}
	for _, e := range es {
		if e.At.After(now) {
			s.remind(ctx, e, now)
			continue
		}
		s.expireDeployment(ctx, e, now, interval)
	}
}

// remind posts an expiry's reminder once: it is claimed in the store
// first, so that two replicas never both post it (a replica that dies in
// between loses it, which is the lesser evil).
func (s *Service) remind(ctx context.Context, e *Expiry, now time.Time) {
	if e.Session != "" || (e.RemindedFor != nil && e.RemindedFor.Equal(*e.At)) || now.Before(ReminderAt(*e.At, e.TTL)) {
		return
	}
	ok, err := s.store.ClaimReminder(ctx, e)
	if err != nil || !ok {
		if err != nil {
			s.log.Error("reminder not claimed", "deployment", e.DeploymentID, "err", err)
		}
		return
	}
	d, err := s.store.GetDeployment(ctx, e.GuildID, e.DeploymentID)
	if err != nil {
		s.log.Error("reminder not posted: deployment unreadable", "deployment", e.DeploymentID, "err", err)
		return
	}
	p, err := s.store.GetProject(ctx, d.GuildID, d.ProjectID)
	if err != nil {
		s.log.Error("reminder not posted: project unreadable", "deployment", d.ID, "err", err)
		return
	}
	if err := s.rep.Reminder(ctx, ReminderView{Deployment: d, Project: p, ExpiresAt: *e.At, TTL: e.TTL}); err != nil {
		s.log.Warn("reminder not posted", "deployment", d.ID, "err", err)
		return
	}
	s.log.Info("expiry reminder posted", "deployment", d.ID, "guild", d.GuildID, "expires", *e.At)
}

// expireDeployment acts on a deployment past its expiry: it opens the
// destroy, or moves on the one opened before (approves its plan, retries a
// failure after a while). Claims in the store make each step happen once
// across replicas, also when the replica that began it is gone.
func (s *Service) expireDeployment(ctx context.Context, e *Expiry, now time.Time, interval time.Duration) {
	if e.Session == "" {
		s.openDueDestroy(ctx, e)
		return
	}
	sess, err := s.store.GetSession(ctx, e.GuildID, e.Session)
	if ErrorCode(err) == ENOTFOUND {
		// The claimer died between its claim and the session's creation.
		if now.Sub(e.ClaimedAt) > s.cfg.LeaseTimeout {
			s.openDueDestroy(ctx, e)
		}
		return
	}
	if err != nil {
		s.log.Error("expiry destroy unreadable", "deployment", e.DeploymentID, "session", e.Session, "err", err)
		return
	}
	retry := expiryRetryDue(now, later(e.ClaimedAt, sess.UpdatedAt), interval, e.Attempts)
	switch {
	case sess.State == StatePlanned:
		s.launchExpiry(ctx, sess, nil, "", false)
	case sess.State == StatePlanFailed && retry:
		s.replanExpiry(ctx, e, sess)
	case sess.State == StateApplied:
		// The destroy ran but its record did not follow.
		if err := s.store.MarkDestroyed(ctx, e.GuildID, e.DeploymentID); err != nil {
			s.log.Error("deployment not marked destroyed", "deployment", e.DeploymentID, "err", err)
		}
	case sess.State.Final() && retry:
		s.openDueDestroy(ctx, e)
	}
}

// openDueDestroy opens the expiry's destroy, owned by the deployment's
// owner, unless an update or destroy is open: the deployment keeps its
// expiry and the destroy waits until that session ends.
func (s *Service) openDueDestroy(ctx context.Context, e *Expiry) {
	d, err := s.store.GetDeployment(ctx, e.GuildID, e.DeploymentID)
	if err != nil {
		s.log.Error("expired deployment unreadable", "deployment", e.DeploymentID, "err", err)
		return
	}
	if open, err := s.store.OpenChange(ctx, d.GuildID, d.ID); err == nil {
		s.log.Debug("expiry waits for an open session", "deployment", d.ID, "session", open.ID)
		return
	} else if ErrorCode(err) != ENOTFOUND {
		s.log.Error("open change unreadable", "deployment", d.ID, "err", err)
		return
	}
	owner := Actor{GuildID: d.GuildID, ChannelID: d.ChannelID, UserID: d.OwnerID}
	_, err = s.openExpiryDestroy(ctx, d, e, owner, engineActor, noticeExpired)
	if err != nil && ErrorCode(err) != ECONFLICT {
		s.log.Error("expiry destroy not opened", "deployment", d.ID, "err", err)
	}
}

// openExpiryDestroy claims the expiry for a new destroy session, creates
// it and plans it in the background; the plan is then applied without
// approvals. The session has no interaction token: its lobby is a new
// message in the deployment's channel.
func (s *Service) openExpiryDestroy(ctx context.Context, d *Deployment, prev *Expiry, owner Actor, auditor, notice string) (*Session, error) {
	p, err := s.store.GetProject(ctx, d.GuildID, d.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("project of %s: %w", d.ID, err)
	}
	if open, err := s.store.OpenChange(ctx, d.GuildID, d.ID); err == nil {
		return nil, errOpenChange(d.ID, open.ID)
	}
	owner.ChannelID = d.ChannelID
	sess := s.newChange(owner, d, p, KindDestroy, Token{})
	sess.ID = NewSessionID()
	ok, err := s.store.ClaimExpiry(ctx, prev, sess.ID, s.now())
	if err != nil {
		return nil, fmt.Errorf("claim expiry of %s: %w", d.ID, err)
	}
	if !ok {
		return nil, Errorf(ECONFLICT, "%s", msgExpiryChanged)
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		if rerr := s.store.ReleaseExpiry(ctx, d.GuildID, d.ID, sess.ID); rerr != nil {
			s.log.Error("expiry claim not released", "deployment", d.ID, "err", rerr)
		}
		if open, oerr := s.store.OpenChange(ctx, d.GuildID, d.ID); ErrorCode(err) == ECONFLICT && oerr == nil {
			return nil, errOpenChange(d.ID, open.ID)
		}
		return nil, fmt.Errorf("create expiry destroy of %s: %w", d.ID, err)
	}
	s.audit(ctx, Actor{GuildID: d.GuildID, UserID: auditor}, "destroy", d.ID, sess.ID+" without approvals")
	s.log.Info("expiry destroy opened", "deployment", d.ID, "guild", d.GuildID, "session", sess.ID, "by", auditor)
	s.launchExpiry(ctx, sess, p, notice, true)
	return sess, nil
}

// replanExpiry plans a failed automatic destroy again, in the same
// session (and lobby), after claiming the retry.
func (s *Service) replanExpiry(ctx context.Context, e *Expiry, sess *Session) {
	ok, err := s.store.ClaimExpiry(ctx, e, sess.ID, s.now())
	if err != nil || !ok {
		return
	}
	sess.State, sess.Error, sess.Plan = StatePlanning, "", nil
	sess.LastActivityAt = s.now()
	if err := s.save(ctx, sess, StatePlanFailed); err != nil {
		s.log.Info("expiry destroy not re-planned: it changed", "session", sess.ID, "err", err)
		return
	}
	s.log.Info("expiry destroy planned again", "deployment", e.DeploymentID, "session", sess.ID, "attempt", e.Attempts+1)
	s.launchExpiry(ctx, sess, nil, "", true)
}

// launchExpiry runs an automatic destroy on in the background: its first
// lobby (with notice), its plan, and the apply of a plan with changes.
func (s *Service) launchExpiry(ctx context.Context, sess *Session, p *Project, notice string, plan bool) {
	guild, id := sess.GuildID, sess.ID
	s.launch(ctx, "expiry destroy "+id, func(jctx context.Context) {
		if p == nil {
			var err error
			if p, err = s.store.GetProject(jctx, guild, sess.ProjectID); err != nil {
				s.log.Error("expiry destroy stopped: project unreadable", "session", id, "err", err)
				return
			}
		}
		if notice != "" {
			s.showLobby(jctx, sess, p, LobbyView{Notice: notice})
		}
		if plan {
			s.runPlan(jctx, guild, id, p)
		}
		s.autoApply(jctx, guild, id, p)
	})
}

// autoApply approves an automatic destroy's plan and applies it; a failed
// plan says in the lobby that it is tried again later.
func (s *Service) autoApply(ctx context.Context, guild, id string, p *Project) {
	sess, err := s.store.GetSession(ctx, guild, id)
	switch {
	case err != nil:
		s.log.Error("expiry destroy unreadable", "session", id, "err", err)
		return
	case sess.State == StatePlanFailed:
		s.showLobby(ctx, sess, p, LobbyView{Notice: msgExpiryRetry})
		return
	case sess.State != StatePlanned:
		return
	case !sess.Plan.HasChanges():
		if err := s.store.MarkDestroyed(ctx, guild, sess.TargetID); err != nil {
			s.log.Error("empty deployment not marked destroyed", "deployment", sess.TargetID, "err", err)
			return
		}
		s.settle(ctx, sess, p, StateCancelled, msgExpiryNothing)
		return
	}
	sess.State, sess.LastActivityAt = StateApproved, s.now()
	if err := s.save(ctx, sess, StatePlanned); err != nil {
		s.log.Info("expiry destroy not approved: it changed", "session", id, "err", err)
		return
	}
	s.audit(ctx, Actor{GuildID: guild, UserID: engineActor}, "approve", id, "without approvals")
	s.runApply(ctx, guild, id, p)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
