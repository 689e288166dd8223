package deploy

import (
	"context"
	"fmt"
	"time"
)

// MsgReplayed answers an interaction delivered again (SPEC §1: a replay
// never opens a second session or applies twice).
const MsgReplayed = "This interaction was already handled."

// replayMemory is how long an interaction id is remembered. A signed
// timestamp is accepted five minutes either side of now, so a captured
// request can be replayed for at most ten minutes after it was first seen;
// one more minute covers the second the timestamp rounds off.
const replayMemory = 11 * time.Minute

// FirstDelivery records an interaction id and refuses it, with
// MsgReplayed, when it was handled before (here or on another replica).
// One insert on a primary key: the check costs one write per interaction.
func (s *Service) FirstDelivery(ctx context.Context, interactionID string) error {
	fresh, err := s.store.RememberInteraction(ctx, interactionID, s.now())
	if err != nil {
		return fmt.Errorf("check for a replay: %w", err)
	}
	if !fresh {
		s.log.Warn("replayed interaction refused", "interaction", interactionID)
		return Errorf(EFORBIDDEN, "%s", MsgReplayed)
	}
	return nil
}

// ForgetOldInteractions prunes the ids past the replay window; the cleanup
// loop calls it.
func (s *Service) ForgetOldInteractions(ctx context.Context) {
	if _, err := s.store.ForgetInteractions(ctx, s.now().Add(-replayMemory)); err != nil {
		s.log.Error("seen interactions not pruned", "err", err)
	}
}
