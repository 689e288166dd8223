package deploy

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// errCancelled is the cause of a run's context when a user cancelled it.
var errCancelled = errors.New("cancelled")

// errLeaseLost is the cause when another replica took over a run's lease.
var errLeaseLost = errors.New(msgRestarted)

// timeoutError is the cause of a run's context when it outlived its limit.
type timeoutError struct{ limit time.Duration }

func (e timeoutError) Error() string { return fmt.Sprintf("timed out after %s", e.limit) }

// activeRun is a run of this replica: its record, its context and how to end it.
type activeRun struct {
	run  *Run
	ctx  context.Context
	stop func()
}

// beginRun records a run, holds its lease and listens for cancels until
// stop is called. The context ends on a cancel (local or recorded in the
// store by another replica) or at the timeout.
func (s *Service) beginRun(ctx context.Context, sess *Session, op string, limit time.Duration) (*activeRun, error) {
	now := s.now()
	run := &Run{GuildID: sess.GuildID, SessionID: sess.ID, Operation: op, Instance: s.cfg.Instance,
		StartedAt: now, LeaseRenewedAt: now}
	if err := s.store.StartRun(ctx, run); err != nil {
		return nil, fmt.Errorf("start run: %w", err)
	}
	cctx, cancel := context.WithCancelCause(ctx)
	tctx, tcancel := context.WithTimeoutCause(cctx, limit, timeoutError{limit})
	s.mu.Lock()
	s.running[sess.ID] = cancel
	s.mu.Unlock()
	// A cancel recorded while the run was being recorded is honoured now,
	// not at the first renewal (a short apply would finish before it).
	if stop, err := s.store.RenewLease(ctx, run.ID, s.cfg.Instance, now); err == nil && stop {
		cancel(errCancelled)
	}
	done := make(chan struct{})
	go s.holdLease(ctx, run, cancel, done)
	// Once: a run that panicked after it finished is stopped again by the
	// recovery of the panic.
	stop := sync.OnceFunc(func() {
		close(done)
		tcancel()
		cancel(nil)
		s.mu.Lock()
		delete(s.running, sess.ID)
		s.mu.Unlock()
	})
	return &activeRun{run: run, ctx: tctx, stop: stop}, nil
}

// holdLease renews the run's lease and turns a recorded cancel into a
// cancel of the local context.
func (s *Service) holdLease(ctx context.Context, run *Run, cancel context.CancelCauseFunc, done <-chan struct{}) {
	t := time.NewTicker(s.cfg.LeaseInterval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		stop, err := s.store.RenewLease(ctx, run.ID, s.cfg.Instance, s.now())
		if ErrorCode(err) == ECONFLICT {
			// Another replica declared this run dead and ended it; stop
			// terraform rather than race the recovery.
			s.log.Warn("run lease lost; interrupting terraform", "run", run.ID, "session", run.SessionID)
			cancel(errLeaseLost)
			return
		}
		if err != nil {
			s.log.Warn("run lease not renewed", "run", run.ID, "session", run.SessionID, "err", err)
			continue
		}
		if stop {
			cancel(errCancelled)
		}
	}
}

// outcome classifies how a run ended from its error and context.
func outcome(ctx context.Context, err error) (string, error) {
	if err == nil {
		return OutcomeSuccess, nil
	}
	cause := context.Cause(ctx)
	var te timeoutError
	switch {
	case errors.Is(cause, errCancelled):
		return OutcomeCancelled, cause
	case errors.As(cause, &te):
		return OutcomeFailure, te
	case errors.Is(cause, errShutdown), errors.Is(cause, errLeaseLost):
		return OutcomeFailure, Errorf(EINTERNAL, "%s", msgRestarted)
	}
	return OutcomeFailure, err
}

// msgPanicked is the error of a run that stopped on a bug of the engine.
const msgPanicked = "internal error: the run stopped unexpectedly; the engine's log has the details"

// recoverRun turns a panic in a run into its end: the lease is released,
// the run recorded as failed and the session moved to to, instead of a
// lease renewed forever on a session that never leaves its running state
// (to "": a run, such as a drift check, that moves no session). It must be
// deferred right after beginRun.
func (s *Service) recoverRun(ctx context.Context, sess *Session, p *Project, ar *activeRun, to State) {
	r := recover()
	if r == nil {
		return
	}
	s.log.Error("run panicked", "session", sess.ID, "operation", ar.run.Operation, "panic", r, "stack", string(debug.Stack()))
	ctx = context.WithoutCancel(ctx)
	if ar.run.EndedAt == nil {
		s.finishRun(ctx, ar, OutcomeFailure, msgPanicked, "")
	}
	if to != "" {
		s.settle(ctx, sess, p, to, msgPanicked)
	}
}

// finishRun records how a run ended.
func (s *Service) finishRun(ctx context.Context, ar *activeRun, result, summary, log string) {
	ar.stop()
	end := s.now()
	ar.run.EndedAt, ar.run.Outcome, ar.run.Summary = &end, result, summary
	ar.run.LogTail = tail(log, 4000)
	ctx = context.WithoutCancel(ctx)
	if err := s.retry(ctx, "finish run", func() error { return s.store.FinishRun(ctx, ar.run) }); err != nil {
		s.log.Error("run end not recorded", "run", ar.run.ID, "err", err)
	}
}

// cancelLocal interrupts this replica's run of a session, if any.
func (s *Service) cancelLocal(id string) bool {
	s.mu.Lock()
	cancel, ok := s.running[id]
	s.mu.Unlock()
	if ok {
		cancel(errCancelled)
	}
	return ok
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
