package discordtest

import (
	"errors"
	"net/http"
	"slices"
)

const flagSuppressEmbeds = 1 << 2

// createMessage stores a new message built from a create body; callers
// hold f.mu.
func (f *Fake) createMessage(channelID, guildID string, body map[string]any, files []Attachment, token string) (*Message, error) {
	flags := intOf(body["flags"])
	if err := checkMessage(body, flags&flagComponentsV2 != 0); err != nil {
		return nil, invalid(err)
	}
	if !hasMessageContent(body, len(files)) {
		return nil, &apiError{status: http.StatusBadRequest, code: 50006, message: "Cannot send an empty message"}
	}
	if guildID == "" {
		guildID = f.guildOf(channelID)
	}
	m := &Message{
		ID: f.newID(), ChannelID: channelID, GuildID: guildID, Flags: flags,
		Ephemeral: flags&flagEphemeral != 0, Interaction: token, CreatedAt: f.opts.Now(),
	}
	setContent(m, body)
	m.Attachments = f.withIDs(files)
	f.store(m)
	return m, nil
}

// store adds m to its channel; callers hold f.mu.
func (f *Fake) store(m *Message) {
	f.messages[m.ID] = m
	f.channels[m.ChannelID] = append(f.channels[m.ChannelID], m.ID)
	f.publish(Event{Kind: EventMessageCreated, ChannelID: m.ChannelID, MessageID: m.ID, Token: m.Interaction})
}

// editMessage applies an edit body: fields present replace, absent ones
// stay, and "attachments" lists the existing files to keep.
func (f *Fake) editMessage(m *Message, body map[string]any, files []Attachment) error {
	flags := m.Flags
	if v, ok := body["flags"]; ok && v != nil {
		// Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can change on an edit.
		flags = flags&^flagSuppressEmbeds | intOf(v)&(flagSuppressEmbeds|flagComponentsV2)
		if m.Flags&flagComponentsV2 != 0 && flags&flagComponentsV2 == 0 {
			return invalid(errors.New("flags: IS_COMPONENTS_V2 cannot be removed"))
		}
	}
	next := m.clone()
	next.Flags = flags
	setContent(&next, body)
	if err := checkMessage(wireContent(&next), flags&flagComponentsV2 != 0); err != nil {
		return invalid(err)
	}
	if v, ok := body["attachments"]; ok {
		next.Attachments = keepAttachments(m.Attachments, asList(v))
	}
	next.Attachments = append(next.Attachments, f.withIDs(files)...)
	if m.Thinking {
		next.Thinking = false
	} else {
		next.Edits++
	}
	next.EditedAt = f.opts.Now()
	*m = next
	f.publish(Event{Kind: EventMessageEdited, ChannelID: m.ChannelID, MessageID: m.ID, Token: m.Interaction})
	return nil
}

func setContent(m *Message, body map[string]any) {
	if v, ok := body["content"]; ok {
		m.Content = stringOf(v)
	}
	if v, ok := body["embeds"]; ok {
		m.Embeds = maps(asList(v))
	}
	if v, ok := body["components"]; ok {
		m.Components = maps(asList(v))
	}
}

// wireContent is the message's content in body form, for the limit checks
// that apply to the result of an edit.
func wireContent(m *Message) map[string]any {
	body := map[string]any{"content": m.Content}
	embeds := make([]any, len(m.Embeds))
	for i, e := range m.Embeds {
		embeds[i] = e
	}
	comps := make([]any, len(m.Components))
	for i, c := range m.Components {
		comps[i] = c
	}
	body["embeds"], body["components"] = embeds, comps
	return body
}

func maps(list []any) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		if m := asMap(v); m != nil {
			out = append(out, m)
		}
	}
	return out
}

func keepAttachments(existing []Attachment, keep []any) []Attachment {
	ids := map[string]bool{}
	for _, k := range keep {
		if id, ok := asMap(k)["id"].(string); ok {
			ids[id] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(existing), func(a Attachment) bool { return !ids[a.ID] })
}

func (f *Fake) withIDs(files []Attachment) []Attachment {
	out := make([]Attachment, len(files))
	for i, a := range files {
		a.ID = f.newID()
		out[i] = a
	}
	return out
}

// guildOf finds the guild of a channel from what the fake has seen.
func (f *Fake) guildOf(channelID string) string {
	for _, id := range f.channels[channelID] {
		if m := f.messages[id]; m != nil && m.GuildID != "" {
			return m.GuildID
		}
	}
	for _, t := range f.threads {
		if t.ID == channelID {
			return t.GuildID
		}
	}
	return ""
}

func (f *Fake) render(m *Message) map[string]any {
	return m.wire(f.opts.ApplicationID, f.url)
}
