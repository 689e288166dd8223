package deploy

import (
	"context"
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
	s.showLobby(ctx, sess, p, LobbyView{})
	op := OpApply
	if sess.Kind == KindDestroy {
		op = OpDestroy
	}
	s.audit(ctx, Actor{GuildID: guild, UserID: sess.OwnerID}, op, sess.ID, sess.ProjectID)
	ar, err := s.beginRun(ctx, sess, op, s.cfg.ApplyTimeout)
	if err != nil {
		s.endApply(ctx, sess, p, sink, StateFailed, "", err.Error(), "")
		return
	}
	var log logBuffer
	art, err := s.store.GetArtifact(ctx, guild, id)
	var res *ApplyResult
	started := time.Now()
	if err == nil {
		req := s.planRequest(sess, p)
		req.Queued = func() { s.showLobby(ctx, sess, p, LobbyView{Queued: true}) }
		res, err = s.tf.Apply(ar.ctx, ApplyRequest{PlanRequest: req, Artifact: art},
			func(line string) { log.add(line); sink.Line(line) })
	}
	result, cause := outcome(ar.ctx, err)
	closing := ""
	if res != nil {
		closing = res.ClosingLine
	}
	s.finishRun(ctx, ar, result, closing, log.String())
	s.log.Info("terraform apply finished", "session", id, "guild", guild, "operation", op,
		"outcome", result, "seconds", time.Since(started).Seconds())
	to, msg := StateApplied, ""
	switch {
	case result == OutcomeCancelled:
		to, msg = StateCancelled, "Cancelled during the apply; terraform finished the operations in flight and saved its state."
	case cause != nil:
		to, msg = StateFailed, userText(cause)
	}
	s.endApply(ctx, sess, p, sink, to, closing, msg, log.String())
}

// endApply records the final state, closes the thread and the lobby.
func (s *Service) endApply(ctx context.Context, sess *Session, p *Project, sink LogSink, to State, closing, msg, log string) {
	ctx = context.WithoutCancel(ctx) // the end is recorded even during shutdown
	// The deployment is marked before the lobby shows APPLIED, so that a
	// list run by someone who just saw the lobby already says destroyed.
	if to == StateApplied && sess.Kind == KindDestroy {
		s.markDestroyed(ctx, sess.GuildID, sess.TargetID)
	}
	final := s.settle(ctx, sess, p, to, msg)
	if final == nil {
		final = sess
		final.State, final.Error = to, msg
	}
	if closing == "" {
		closing = msg
	}
	if err := sink.Close(ctx, final, closing, log); err != nil {
		s.log.Warn("apply thread not closed", "session", sess.ID, "err", err)
	}
}

// markDestroyed flags a deployment whose resources a destroy removed.
func (s *Service) markDestroyed(ctx context.Context, guild, target string) {
	for range 3 {
		t, err := s.store.GetSession(ctx, guild, target)
		if err != nil {
			s.log.Error("deployment not marked destroyed", "deployment", target, "err", err)
			return
		}
		t.Destroyed = true
		if err = s.store.SaveSession(ctx, t, t.State); err == nil {
			return
		}
	}
	s.log.Error("deployment not marked destroyed after retries", "deployment", target)
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
