package handlers

import (
	"context"
	"fmt"

	"github.com/disgoorg/disgo/discord"
)

// extendClicked moves the expiry later by the deployment's own TTL (the
// reminder's Extend button).
func (h *Handler) extendClicked(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	id := r.Args[0]
	to, err := h.svc.ExtendByTTL(ctx, r.Actor, id)
	if err != nil {
		return nil, err
	}
	return ephemeral(fmt.Sprintf("Deployment %s now expires %s (<t:%d:f>).", id, relative(to), to.Unix())), nil
}

// destroyNowClicked opens the destroy of the deployment and applies it
// without approvals (the reminder's Destroy now button); its lobby is a
// new message in the channel.
func (h *Handler) destroyNowClicked(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	id := r.Args[0]
	sess, err := h.svc.DestroyNow(ctx, r.Actor, id)
	if err != nil {
		return nil, err
	}
	return ephemeral(fmt.Sprintf("Destroying deployment %s now: session %s.", id, sess.ID)), nil
}
