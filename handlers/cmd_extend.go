package handlers

import (
	"context"
	"fmt"

	"github.com/disgoorg/disgo/discord"
)

// extend moves a deployment's expiry later (/cloud-extend); the answer
// is ephemeral and shows the new expiry.
func (h *Handler) extend(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	id := r.Cmd.str("session_id")
	to, err := h.svc.Extend(ctx, r.Actor, id, r.Cmd.str("duration"))
	if err != nil {
		return nil, err
	}
	return ephemeral(fmt.Sprintf("Deployment %s now expires %s (<t:%d:f>).", id, relative(to), to.Unix())), nil
}
