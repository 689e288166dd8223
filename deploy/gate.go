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

// GoAfterResponse starts fn like Go, but only once the HTTP answer of the
// interaction behind ctx (if any) has been written. Like Go, it reports
// false when shutdown has begun and fn will not run.
func (j *Jobs) GoAfterResponse(ctx context.Context, name string, fn func(ctx context.Context)) bool {
	gate, _ := ctx.Value(gateKey{}).(<-chan struct{})
	return j.Go(name, func(jctx context.Context) {
		if gate != nil {
			select {
			case <-gate:
			case <-time.After(5 * time.Second):
			}
		}
		fn(jctx)
	})
}

// launch starts background work of the service after the response gate;
// false when shutdown has begun.
func (s *Service) launch(ctx context.Context, name string, fn func(ctx context.Context)) bool {
	return s.jobs.GoAfterResponse(ctx, name, fn)
}

// refresh re-renders a lobby in the background, after the response gate.
func (s *Service) refresh(ctx context.Context, sess *Session) {
	snapshot := *sess
	s.launch(ctx, "lobby "+sess.ID, func(jctx context.Context) { s.showLobby(jctx, &snapshot, nil, LobbyView{}) })
}
