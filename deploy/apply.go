package deploy

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// runApply applies the saved plan of an APPROVED session, streaming its
// output into the session's thread.
func (s *Service) runApply(ctx context.Context, guild, id string, p *Project) {
	sess, err := s.store.GetSession(ctx, guild, id)
	if err != nil || sess.State != StateApproved {
		return
	}
	sink, err := s.rep.OpenLog(ctx, sess)
	if err != nil {
		s.log.Warn("apply output has nowhere to go", "session", id, "err", err)
		sink = discardSink{}
	}
	sess.State = StateApplying
	if err := s.save(ctx, sess, StateApproved); err != nil {
		s.log.Info("apply not started: session changed", "session", id, "err", err)
		return
	}
	op := OpApply
	if sess.Kind == KindDestroy {
		op = OpDestroy
	}
	// The run is recorded before any Discord call, so that a cancel that
	// arrives from now on finds it.
	end := applyEnd{to: StateFailed}
	ar, err := s.beginRun(ctx, sess, op, s.cfg.ApplyTimeout)
	if err != nil {
		end.msg = err.Error()
		s.endApply(ctx, sess, p, sink, end)
		return
	}
	defer s.recoverRun(ctx, sess, p, ar, StateFailed)
	if end.before, err = s.applyTarget(ctx, sess); err != nil {
		s.log.Error("deployment not recorded; nothing applied", "session", id, "err", err)
		end.msg = "the deployment could not be recorded, so nothing was applied"
		s.finishRun(ctx, ar, OutcomeFailure, end.msg, "")
		s.endApply(ctx, sess, p, sink, end)
		return
	}
	stopLobby := s.lobbyBeside(ctx, sess, p)
	defer stopLobby()
	s.audit(ctx, Actor{GuildID: guild, UserID: sess.OwnerID}, op, sess.ID, sess.ProjectID)
	var log logBuffer
	art, err := s.store.GetArtifact(ctx, guild, id)
	started := time.Now()
	if err == nil {
		req := s.planRequest(sess, p)
		req.Known = end.before
		req.Queued = func() { stopLobby(); s.showLobby(ctx, sess, p, LobbyView{Queued: true}) }
		end.res, err = s.tf.Apply(ar.ctx, ApplyRequest{PlanRequest: req, Artifact: art},
			func(line string) { log.add(line); sink.Line(line) })
	}
	stopLobby() // the end shows a newer state
	result, cause := outcome(ar.ctx, err)
	if end.res != nil {
		end.closing = end.res.ClosingLine
	}
	s.finishRun(ctx, ar, result, end.closing, log.String())
	s.log.Info("terraform apply finished", "session", id, "guild", guild, "operation", op,
		"outcome", result, "seconds", time.Since(started).Seconds())
	end.to, end.log = StateApplied, log.String()
	switch {
	case result == OutcomeCancelled:
		end.to, end.msg = StateCancelled, "Cancelled during the apply; terraform finished the operations in flight and saved its state."
	case cause != nil:
		end.to, end.msg = StateFailed, userText(cause)
	}
	s.endApply(ctx, sess, p, sink, end)
}

// applyEnd is how an apply ended and what the deployment held before it.
type applyEnd struct {
	to      State
	closing string
	msg     string
	log     string
	res     *ApplyResult
	before  []Resource
}

// applyTarget makes sure the apply has a deployment to record into: a
// deploy session's is created now (it is one from APPLYING on, whatever
// Discord did); an update's or destroy's exists, and what it holds now is
// returned.
func (s *Service) applyTarget(ctx context.Context, sess *Session) ([]Resource, error) {
	if sess.Kind == KindDeploy {
		d := &Deployment{GuildID: sess.GuildID, ID: sess.ID, ProjectID: sess.ProjectID, Provider: sess.Provider,
			Region: sess.Region, OwnerID: sess.OwnerID, ChannelID: sess.ChannelID, Status: DeploymentLive,
			Resources: sess.Resources, CreatedAt: s.now(), UpdatedAt: s.now()}
		return nil, s.retry(ctx, "create deployment", func() error {
			err := s.store.CreateDeployment(ctx, d)
			if ErrorCode(err) == ECONFLICT {
				return nil
			}
			return err
		})
	}
	d, err := s.store.GetDeployment(ctx, sess.GuildID, sess.TargetID)
	if err != nil {
		return nil, fmt.Errorf("deployment %s: %w", sess.TargetID, err)
	}
	return d.Resources, nil
}

// lobbyBeside shows the lobby of an apply while terraform runs, so that a
// slow Discord never delays terraform; stop abandons the edit (a newer
// state follows) and waits for it. It works on a copy of the session.
func (s *Service) lobbyBeside(ctx context.Context, sess *Session, p *Project) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	shown := *sess
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.showLobby(ctx, &shown, p, LobbyView{})
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }
}

// endApply records the outcome in the deployment, the final state, and
// closes the thread and the lobby.
func (s *Service) endApply(ctx context.Context, sess *Session, p *Project, sink LogSink, end applyEnd) {
	// The end is recorded even during shutdown; its Discord calls are
	// bounded by the reporter (Reporter's contract), so it still ends.
	ctx = context.WithoutCancel(ctx)
	// The deployment is recorded before the lobby shows APPLIED, so that a
	// list run by someone who just saw the lobby already says destroyed.
	s.recordDeployment(ctx, sess, end)
	final := s.settle(ctx, sess, p, end.to, end.msg)
	if final == nil {
		final = sess
		final.State, final.Error = end.to, end.msg
	}
	closing := end.closing
	if closing == "" {
		closing = end.msg
	}
	if err := sink.Close(ctx, final, closing, end.log); err != nil {
		s.log.Warn("apply thread not closed", "session", sess.ID, "err", err)
	}
}

// recordDeployment keeps the deployment's record true to its state: a
// destroy marks it destroyed, an applied deploy or update is its next
// revision, and an apply that did not finish leaves what the state holds.
func (s *Service) recordDeployment(ctx context.Context, sess *Session, end applyEnd) {
	guild, dep := sess.GuildID, stateKey(sess)
	var err error
	switch {
	case end.to == StateApplied && sess.Kind == KindDestroy:
		err = s.retry(ctx, "mark destroyed", func() error { return s.store.MarkDestroyed(ctx, guild, dep) })
	case end.to == StateApplied:
		rev := &Revision{GuildID: guild, DeploymentID: dep, SessionID: sess.ID, AppliedBy: sess.OwnerID,
			AppliedAt: s.now(), Resources: sess.Resources, ClosingLine: end.closing}
		if sess.Plan != nil {
			rev.PlanLine, rev.Cost = sess.Plan.Line, sess.Plan.Cost
		}
		err = s.retry(ctx, "add revision", func() error { return s.store.AddRevision(ctx, rev) })
		s.startExpiry(ctx, guild, dep)
	case end.res != nil && end.res.StateRead:
		kept := keptResources(end.res.InState, sess.Resources, end.before)
		err = s.retry(ctx, "set deployment resources", func() error {
			return s.store.SetDeploymentResources(ctx, guild, dep, kept)
		})
	}
	if err != nil && ErrorCode(err) != ENOTFOUND {
		s.log.Error("deployment record not updated", "deployment", dep, "session", sess.ID, "err", err)
	}
}

// logBuffer keeps the whole apply output for the log file.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) add(line string) {
	l.mu.Lock()
	l.b.WriteString(line)
	l.b.WriteByte('\n')
	l.mu.Unlock()
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type discardSink struct{}

func (discardSink) Line(string) {}
func (discardSink) Close(context.Context, *Session, string, string) error {
	return nil
}
