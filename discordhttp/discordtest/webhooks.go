package discordtest

import (
	"net/http"
	"slices"
)

const (
	codeUnknownWebhook      = 10015
	codeUnknownMessage      = 10008
	codeInvalidWebhookToken = 50027
)

// interaction resolves the token of a webhook route as Discord would:
// unknown → 404/10015, expired → 401/50027. Callers hold f.mu.
func (f *Fake) interaction(c *call) (*interaction, error) {
	in, ok := f.interactions[c.r.PathValue("token")]
	if !ok || c.r.PathValue("application_id") != f.opts.ApplicationID {
		return nil, fail(http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
	}
	if in.expired {
		return nil, fail(http.StatusUnauthorized, codeInvalidWebhookToken, "Invalid Webhook Token")
	}
	return in, nil
}

func (f *Fake) original(c *call) (*interaction, *Message, error) {
	in, err := f.interaction(c)
	if err != nil {
		return nil, nil, err
	}
	m, ok := f.messages[in.originalID]
	if !ok {
		return nil, nil, fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	}
	return in, m, nil
}

func (f *Fake) getOriginal(c *call) (int, any, error) {
	_, m, err := f.original(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f.render(m), nil
}

func (f *Fake) editOriginal(c *call) (int, any, error) {
	_, m, err := f.original(c)
	if err != nil {
		return 0, nil, err
	}
	if err := f.editMessage(m, c.body, c.files); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f.render(m), nil
}

func (f *Fake) deleteOriginal(c *call) (int, any, error) {
	_, m, err := f.original(c)
	if err != nil {
		return 0, nil, err
	}
	f.deleteMessage(m)
	return http.StatusNoContent, nil, nil
}

func (f *Fake) deleteMessage(m *Message) {
	delete(f.messages, m.ID)
	f.channels[m.ChannelID] = slices.DeleteFunc(f.channels[m.ChannelID], func(id string) bool { return id == m.ID })
	f.publish(Event{Kind: EventMessageDeleted, ChannelID: m.ChannelID, MessageID: m.ID, Token: m.Interaction})
}

func (f *Fake) followup(c *call) (int, any, error) {
	in, err := f.interaction(c)
	if err != nil {
		return 0, nil, err
	}
	m, err := f.createMessage(in.ctx.ChannelID, in.ctx.GuildID, c.body, c.files, in.ctx.Token)
	if err != nil {
		return 0, nil, err
	}
	in.followups = append(in.followups, m.ID)
	if c.r.URL.Query().Get("wait") == "false" {
		return http.StatusNoContent, nil, nil
	}
	return http.StatusOK, f.render(m), nil
}

func (f *Fake) editFollowup(c *call) (int, any, error) {
	in, err := f.interaction(c)
	if err != nil {
		return 0, nil, err
	}
	id := c.r.PathValue("message_id")
	m, ok := f.messages[id]
	if !ok || (id != in.originalID && !slices.Contains(in.followups, id)) {
		return 0, nil, fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	}
	if err := f.editMessage(m, c.body, c.files); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f.render(m), nil
}
