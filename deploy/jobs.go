package deploy

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// errShutdown is the cause of a job's context when shutdown interrupts it.
var errShutdown = errors.New(msgRestarted)

// Jobs runs background work on the server's lifetime context, never on a
// request's, and lets shutdown wait for it.
type Jobs struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup
	log    *slog.Logger
	mu     sync.Mutex
	closed bool
}

// NewJobs returns a runner whose jobs see a context derived from parent
// (the server's lifetime, not a request).
func NewJobs(parent context.Context, log *slog.Logger) *Jobs {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(parent))
	return &Jobs{ctx: ctx, cancel: cancel, log: log}
}

// Go starts fn in the background. A panic in fn is logged, not fatal.
// It reports false when the runner is draining and the job was not started.
func (j *Jobs) Go(name string, fn func(ctx context.Context)) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		j.log.Warn("job refused during shutdown", "job", name)
		return false
	}
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				j.log.Error("job panicked", "job", name, "panic", r)
			}
		}()
		fn(j.ctx)
	}()
	return true
}

// Drain stops new jobs and waits up to grace for the running ones; then it
// cancels their context (terraform is interrupted gracefully) and waits up
// to finish for them to return: the time an interrupted terraform may take
// to save its state, and the engine to record and report the outcome. It
// reports whether all ended.
func (j *Jobs) Drain(grace, finish time.Duration) bool {
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
		j.cancel(errShutdown)
		return true
	case <-time.After(grace):
	}
	j.log.Warn("shutdown grace ended; interrupting running jobs", "grace", grace, "finish", finish)
	j.cancel(errShutdown)
	select {
	case <-done:
		return true
	case <-time.After(finish):
		return false
	}
}
