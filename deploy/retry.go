package deploy

import (
	"context"
	"fmt"
	"time"
)

// Backoff of the store writes that record what terraform did.
const (
	retryFirstWait = 250 * time.Millisecond
	retryMaxWait   = 5 * time.Second
)

// retry runs a store call until it succeeds, fails for a reason other than
// the database (a conflict, a missing row), or the budget is spent: a run's
// result must survive a database blip. The budget stays inside the lease
// horizon, so another replica never declares the run dead while its result
// is still being saved.
func (s *Service) retry(ctx context.Context, what string, f func() error) error {
	deadline := time.Now().Add(s.cfg.LeaseTimeout * 3 / 4)
	wait := retryFirstWait
	for {
		err := f()
		if err == nil || ErrorCode(err) != EINTERNAL {
			return err
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("%s: gave up after the retry budget: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, err)
		case <-time.After(wait):
		}
		wait = min(2*wait, retryMaxWait)
	}
}
