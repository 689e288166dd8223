package handlers

import (
	"context"
	"time"

	"github.com/disgoorg/disgo/discord"
)

// editDeferred fills in a deferred answer. Our edit can reach Discord
// before Discord has processed the HTTP answer that deferred it, and
// Discord then says "Unknown Webhook"; such a refusal is retried briefly.
func editDeferred(ctx context.Context, d Discord, token string, u discord.MessageUpdate) (*discord.Message, error) {
	var err error
	for attempt := range 5 {
		var msg *discord.Message
		if msg, err = d.EditOriginal(ctx, token, u); err == nil || !expired(err) {
			return msg, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(100*(attempt+1)) * time.Millisecond):
		}
	}
	return nil, err
}
