package handlers

import (
	"context"
	"fmt"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/deploy"
)

// withCreated fills in the lobby message this reporter created for a
// session read before its id was stored, so that the lobby is created
// once and edited afterwards.
func (l *lobbyLock) withCreated(s *deploy.Session) *deploy.Session {
	if s.LobbyMessageID != "" || l.created == "" {
		return s
	}
	c := *s
	c.LobbyMessageID = l.created
	return &c
}

// createLobby posts the lobby of a session that no interaction answers
// (the destroy of an expiry) as a new message in its channel.
func (r *Reporter) createLobby(ctx context.Context, s *deploy.Session, u discord.MessageUpdate) (*discord.Message, error) {
	ch, _, err := ids(s.ChannelID, "")
	if err != nil {
		return nil, err
	}
	m := discord.NewMessageCreate().WithAllowedMentions(noMentions())
	if u.Embeds != nil {
		m = m.WithEmbeds(*u.Embeds...)
	}
	if u.Components != nil && len(*u.Components) > 0 {
		m = m.WithComponents(*u.Components...)
	}
	msg, err := r.d.CreateMessage(ctx, ch, m)
	if err != nil {
		return nil, fmt.Errorf("create lobby message: %w", err)
	}
	return msg, nil
}

// Reminder posts the reminder of a deployment's expiry in its lobby's
// channel, mentioning its owner, with Extend and Destroy now.
func (r *Reporter) Reminder(ctx context.Context, v deploy.ReminderView) error {
	if !r.d.HasBotToken() {
		return fmt.Errorf("no bot token is configured")
	}
	ch, _, err := ids(v.Deployment.ChannelID, "")
	if err != nil {
		return err
	}
	owner, err := snowflake.Parse(v.Deployment.OwnerID)
	if err != nil {
		return fmt.Errorf("owner id %q: %w", v.Deployment.OwnerID, err)
	}
	if _, err := r.d.CreateMessage(ctx, ch, renderReminder(v, owner)); err != nil {
		return fmt.Errorf("post reminder: %w", err)
	}
	return nil
}
