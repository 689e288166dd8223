package deploy

import (
	"context"
	"time"
)

type gateKey struct{}

// WithResponseGate marks ctx as belonging to an interaction whose HTTP
// answer is still being written; background work started under it waits
// until gate closes, so that its first edit never races the deferral.
func WithResponseGate(ctx context.Context, gate <-chan struct{}) context.Context {
	return context.WithValue(ctx, gateKey{}, gate)
}

// launch starts fn on the job runner after the response gate, if any.
func (s *Service) launch(ctx context.Context, name string, fn func(ctx context.Context)) {
	gate, _ := ctx.Value(gateKey{}).(<-chan struct{})
	s.jobs.Go(name, func(jctx context.Context) {
		if gate != nil {
			select {
			case <-gate:
			case <-time.After(5 * time.Second):
			}
		}
		fn(jctx)
	})
}
