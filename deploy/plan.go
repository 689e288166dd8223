package deploy

import (
	"context"
	"errors"
	"time"
)

// stateKey names the deployment whose terraform state a session uses.
func stateKey(sess *Session) string {
	if sess.Kind.ChangesDeployment() {
		return sess.TargetID
	}
	return sess.ID
}

func (s *Service) planRequest(sess *Session, p *Project) PlanRequest {
	return PlanRequest{GuildID: sess.GuildID, SessionID: sess.ID, StateKey: stateKey(sess),
		Provider: sess.Provider, Region: sess.Region, Account: p.Account,
		Resources: sess.Resources, Destroy: sess.Kind == KindDestroy}
}

func (s *Service) startPlan(ctx context.Context, sess *Session, p *Project) {
	guild, id := sess.GuildID, sess.ID
	if !s.launch(ctx, "plan "+id, func(jctx context.Context) { s.runPlan(jctx, guild, id, p) }) {
		// Shutting down: say so now rather than leave the session planning.
		s.failPlan(context.WithoutCancel(ctx), sess, p, msgRestarted)
	}
}

// runPlan plans a session in PLANNING and records the result; a session
// that left PLANNING in the meantime (cancelled) is left alone.
func (s *Service) runPlan(ctx context.Context, guild, id string, p *Project) {
	sess, err := s.store.GetSession(ctx, guild, id)
	if err != nil || sess.State != StatePlanning {
		return
	}
	// The operator may have removed the project's account since it was
	// created: refuse before terraform reaches that cloud.
	if err := s.allowAccount(p.Provider, p.Account); err != nil {
		s.failPlan(ctx, sess, p, userText(err))
		return
	}
	ar, err := s.beginRun(ctx, sess, OpPlan, s.cfg.PlanTimeout)
	if err != nil {
		s.failPlan(ctx, sess, p, err.Error())
		return
	}
	defer s.recoverRun(ctx, sess, p, ar, StatePlanFailed)
	s.showLobby(ctx, sess, p, LobbyView{})
	req := s.planRequest(sess, p)
	req.Queued = func() { s.showLobby(ctx, sess, p, LobbyView{Queued: true}) }
	started := time.Now()
	plan, art, err := s.tf.Plan(ar.ctx, req)
	result, cause := outcome(ar.ctx, err)
	summary := ""
	if plan != nil {
		summary = plan.Line
	}
	s.finishRun(ctx, ar, result, summary, "")
	s.log.Info("terraform plan finished", "session", id, "guild", guild, "outcome", result,
		"seconds", time.Since(started).Seconds())
	switch {
	case result == OutcomeCancelled:
		s.settle(ctx, sess, p, StateCancelled, "Cancelled while planning.")
	case cause != nil:
		s.failPlan(ctx, sess, p, userText(cause))
	default:
		s.plannedOK(ctx, sess, p, plan, art)
	}
}

func (s *Service) plannedOK(ctx context.Context, sess *Session, p *Project, plan *Plan, art *Artifact) {
	ctx = context.WithoutCancel(ctx) // the result is kept even during shutdown
	if err := s.retry(ctx, "save artifact", func() error { return s.store.SaveArtifact(ctx, sess.GuildID, sess.ID, art) }); err != nil {
		s.failPlan(ctx, sess, p, "the saved plan could not be stored")
		s.log.Error("artifact not saved", "session", sess.ID, "err", err)
		return
	}
	var fresh *Session
	err := s.retry(ctx, "read session", func() (err error) { fresh, err = s.store.GetSession(ctx, sess.GuildID, sess.ID); return err })
	if err != nil || fresh.State != StatePlanning {
		return
	}
	fresh.Plan, fresh.Error, fresh.State = plan, "", StatePlanned
	fresh.LastActivityAt = s.now()
	if err := s.retry(ctx, "save plan result", func() error { return s.save(ctx, fresh, StatePlanning) }); err != nil {
		s.log.Info("plan result dropped: session changed", "session", sess.ID, "err", err)
		return
	}
	s.showLobby(ctx, fresh, p, LobbyView{})
}

func (s *Service) failPlan(ctx context.Context, sess *Session, p *Project, msg string) {
	s.settle(ctx, sess, p, StatePlanFailed, msg)
}

// settle moves a session on from its running state after a run ended,
// re-reading it so that a concurrent change wins, and shows the lobby.
func (s *Service) settle(ctx context.Context, sess *Session, p *Project, to State, msg string) *Session {
	var fresh *Session
	err := s.retry(ctx, "read session", func() (err error) { fresh, err = s.store.GetSession(ctx, sess.GuildID, sess.ID); return err })
	if err != nil {
		s.log.Error("session unreadable after run", "session", sess.ID, "err", err)
		return nil
	}
	from := fresh.State
	if !from.CanTransitionTo(to) {
		return fresh
	}
	fresh.State, fresh.Error = to, msg
	fresh.LastActivityAt = s.now()
	if err := s.retry(ctx, "save outcome", func() error { return s.save(ctx, fresh, from) }); err != nil {
		s.log.Info("session changed before it could settle", "session", sess.ID, "to", to, "err", err)
		return nil
	}
	s.showLobby(ctx, fresh, p, LobbyView{})
	if to.Final() {
		s.cleanup(ctx, fresh)
	}
	return fresh
}

// userText is what the lobby shows for a run's error: an application
// error's message, or the error itself ("timed out after 30m0s").
func userText(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// cleanup removes what an ended session no longer needs: its working
// files and its saved plan (never a deployment's state, nor the runs and
// audit that history and statistics read).
func (s *Service) cleanup(ctx context.Context, sess *Session) {
	if err := s.tf.Cleanup(ctx, sess.GuildID, sess.ID); err != nil {
		s.log.Warn("working files not removed", "session", sess.ID, "err", err)
	}
	if err := s.store.DeleteArtifact(ctx, sess.GuildID, sess.ID); err != nil {
		s.log.Warn("saved plan not removed", "session", sess.ID, "err", err)
	}
}
