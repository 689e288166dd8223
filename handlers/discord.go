package handlers

import (
	"context"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"
)

// Discord is what the handlers send through Discord's REST API
// (implemented by discordhttp.Client).
type Discord interface {
	HasBotToken() bool
	EditOriginal(ctx context.Context, interactionToken string, u discord.MessageUpdate) (*discord.Message, error)
	CreateFollowup(ctx context.Context, interactionToken string, m discord.MessageCreate) (*discord.Message, error)
	StartThread(ctx context.Context, channelID, messageID snowflake.ID, name string) (*discord.GuildThread, error)
	CreateMessage(ctx context.Context, channelID snowflake.ID, m discord.MessageCreate) (*discord.Message, error)
	EditMessage(ctx context.Context, channelID, messageID snowflake.ID, u discord.MessageUpdate) (*discord.Message, error)
}
