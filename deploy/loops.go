package deploy

import (
	"context"
	"time"
)

// msgRestarted is the error of a run whose replica stopped renewing its lease.
const msgRestarted = "interrupted: the engine restarted"

// expire moves an idle session to EXPIRED and says so in its lobby.
func (s *Service) expire(ctx context.Context, sess *Session) {
	from := sess.State
	sess.State, sess.Error = StateExpired, ""
	if err := s.save(ctx, sess, from); err != nil {
		s.log.Info("session not expired: it changed", "session", sess.ID, "err", err)
		return
	}
	s.log.Info("session expired", "session", sess.ID, "guild", sess.GuildID, "from", from)
	s.refresh(ctx, sess)
	s.cleanup(ctx, sess)
}

// ExpireIdle expires every session idle past the TTL.
func (s *Service) ExpireIdle(ctx context.Context) {
	ss, err := s.store.ExpirableSessions(ctx, s.now().Add(-s.cfg.SessionTTL))
	if err != nil {
		s.log.Error("expiry sweep failed", "err", err)
		return
	}
	for _, sess := range ss {
		s.expire(ctx, sess)
	}
}

// RecoverStale ends the runs whose replica stopped renewing their lease,
// and the sessions a dead replica left running without a run, so that
// nothing is left hanging; a live run is never touched.
func (s *Service) RecoverStale(ctx context.Context) {
	before := s.now().Add(-s.cfg.LeaseTimeout)
	runs, err := s.store.StaleRuns(ctx, before)
	if err != nil {
		s.log.Error("stale run sweep failed", "err", err)
		return
	}
	for _, r := range runs {
		ok, err := s.store.AbandonRun(ctx, r.ID, before, msgRestarted)
		if err != nil || !ok {
			continue
		}
		s.log.Warn("run abandoned by its replica", "session", r.SessionID, "run", r.ID, "instance", r.Instance)
		// Each run is judged by its own lease: a session whose newer run
		// lives (an old record's end was lost) is left to that run.
		if live, err := s.store.HasLiveRun(ctx, r.GuildID, r.SessionID, before); err != nil || live {
			continue
		}
		sess, err := s.store.GetSession(ctx, r.GuildID, r.SessionID)
		if err != nil {
			continue
		}
		s.interrupted(ctx, sess)
	}
	orphans, err := s.store.OrphanedSessions(ctx, before)
	if err != nil {
		s.log.Error("orphaned session sweep failed", "err", err)
		return
	}
	for _, sess := range orphans {
		s.log.Warn("session left running without a run", "session", sess.ID, "state", sess.State)
		s.interrupted(ctx, sess)
	}
}

// interrupted ends a session whose run died with its replica.
func (s *Service) interrupted(ctx context.Context, sess *Session) {
	to := StateFailed
	if sess.State == StatePlanning {
		to = StatePlanFailed
	}
	final := s.settle(ctx, sess, nil, to, msgRestarted)
	if final != nil && final.State == to && final.ThreadID != "" {
		if err := s.rep.ThreadNotice(ctx, final, "**"+string(final.State)+"**: "+msgRestarted); err != nil {
			s.log.Warn("thread not told of the restart", "session", sess.ID, "err", err)
		}
	}
}

// SweepWorkdirs removes the working files of ended sessions that are still
// on disk (their end normally removes them; a crash may not have). A
// deployment's state is never among them.
func (s *Service) SweepWorkdirs(ctx context.Context) {
	byGuild, err := s.tf.WorkingSessions(ctx)
	if err != nil {
		s.log.Error("working files sweep failed", "err", err)
		return
	}
	for guild, ids := range byGuild {
		ended, err := s.store.EndedSessions(ctx, guild, ids)
		if err != nil {
			s.log.Error("working files sweep failed", "guild", guild, "err", err)
			continue
		}
		for _, id := range ended {
			s.cleanup(ctx, &Session{GuildID: guild, ID: id})
		}
	}
}

// Loop runs the expiry, working-files, seen-interactions and
// deployment-expiry sweeps every interval and the stale-run sweep more
// often, until ctx ends.
func (s *Service) Loop(ctx context.Context, interval time.Duration) {
	expiry := time.NewTicker(interval)
	defer expiry.Stop()
	// Often enough that a dead run is ended close to its 60 s (a few
	// seconds late at most), and the query is cheap (an index of live runs).
	stale := time.NewTicker(min(s.cfg.LeaseTimeout/12, interval))
	defer stale.Stop()
	s.ExpireIdle(ctx)
	s.RecoverStale(ctx)
	s.SweepWorkdirs(ctx)
	s.ForgetOldInteractions(ctx)
	s.SweepExpiries(ctx, interval)
	for {
		select {
		case <-ctx.Done():
			return
		case <-expiry.C:
			s.ExpireIdle(ctx)
			s.SweepWorkdirs(ctx)
			s.ForgetOldInteractions(ctx)
			s.SweepExpiries(ctx, interval)
		case <-stale.C:
			s.RecoverStale(ctx)
		}
	}
}
