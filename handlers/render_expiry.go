package handlers

import (
	"fmt"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/deploy"
)

// relative is a Discord timestamp that each reader sees as "in 2 hours".
func relative(t time.Time) string { return fmt.Sprintf("<t:%d:R>", t.Unix()) }

// expiryField is the lobby field of a deploy's time to live: the expiry
// of an applied deployment, or the TTL a deploy will get.
func expiryField(s *deploy.Session) (name, value string) {
	switch {
	case s.Kind != deploy.KindDeploy || s.Destroyed:
		return "", ""
	case s.ExpiresAt != nil && s.State == deploy.StateApplied:
		return "Expires", relative(*s.ExpiresAt)
	case s.TTL > 0 && s.ExpiresAt == nil && !s.State.Final():
		return "Time to live", deploy.FormatDuration(s.TTL) + " from the end of the apply"
	}
	return "", ""
}

// renderReminder is the message that warns of an expiry: it names the
// deployment and mentions its owner (the one ping the bot allows itself).
func renderReminder(v deploy.ReminderView, owner snowflake.ID) discord.MessageCreate {
	d := v.Deployment
	text := fmt.Sprintf("Deployment `%s` of project **%s** (owner <@%s>) expires %s (<t:%d:f>). "+
		"**Extend** keeps it %s longer; **Destroy now** removes it at once. Otherwise it is destroyed at its expiry, without approvals.",
		d.ID, d.ProjectID, d.OwnerID, relative(v.ExpiresAt), v.ExpiresAt.Unix(), deploy.FormatDuration(v.TTL))
	buttons := discord.NewActionRow(
		discord.NewPrimaryButton("Extend", customID(idExtend, d.ID)),
		discord.NewDangerButton("Destroy now", customID(idDestroyNow, d.ID)),
	)
	return discord.NewMessageCreate().WithContent(clip(text, maxContent)).WithComponents(buttons).
		WithAllowedMentions(&discord.AllowedMentions{Parse: []discord.AllowedMentionType{}, Users: []snowflake.ID{owner}})
}
