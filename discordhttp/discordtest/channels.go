package discordtest

import (
	"encoding/json"
	"net/http"
)

const (
	codeMissingAccess          = 50001
	codeCannotExecuteOnChannel = 50024
	codeThreadAlreadyCreated   = 160004
)

// botCreate creates a channel message; a nonce seen lately in the channel
// with enforce_nonce returns the message it created instead of a new one.
func (f *Fake) botCreate(c *call) (int, any, error) {
	ch := c.r.PathValue("channel_id")
	nonce, enforce := nonceOf(c.body)
	if m, ok := f.sameNonce(ch, nonce); enforce && ok {
		return http.StatusOK, f.render(m), nil
	}
	m, err := f.createMessage(ch, "", c.body, c.files, "")
	if err != nil {
		return 0, nil, err
	}
	if enforce {
		f.rememberNonce(ch, nonce, m)
	}
	return http.StatusOK, f.render(m), nil
}

// channelMessage finds a message the bot can see in the channel; ephemeral
// messages are invisible to it.
func (f *Fake) channelMessage(c *call) (*Message, error) {
	m, ok := f.messages[c.r.PathValue("message_id")]
	if !ok || m.ChannelID != c.r.PathValue("channel_id") || m.Ephemeral {
		return nil, fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	}
	return m, nil
}

func (f *Fake) botEdit(c *call) (int, any, error) {
	m, err := f.channelMessage(c)
	if err != nil {
		return 0, nil, err
	}
	if err := f.editMessage(m, c.body, c.files); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f.render(m), nil
}

func (f *Fake) isThread(channelID string) bool {
	for _, t := range f.threads {
		if t.ID == channelID {
			return true
		}
	}
	return false
}

func (f *Fake) startThread(c *call) (int, any, error) {
	ch := c.r.PathValue("channel_id")
	if f.deniedThread[ch] {
		return 0, nil, fail(http.StatusForbidden, codeMissingAccess, "Missing Access")
	}
	m, err := f.channelMessage(c)
	if err != nil {
		return 0, nil, err
	}
	if f.isThread(ch) {
		return 0, nil, fail(http.StatusBadRequest, codeCannotExecuteOnChannel, "Cannot execute action on this channel type")
	}
	if m.Thread != "" {
		return 0, nil, fail(http.StatusBadRequest, codeThreadAlreadyCreated, "A thread has already been created for this message")
	}
	t := Thread{ID: m.ID, ParentID: ch, GuildID: m.GuildID, Name: stringOf(c.body["name"]), MessageID: m.ID}
	m.Thread = t.ID
	f.threads = append(f.threads, t)
	f.publish(Event{Kind: EventThreadCreated, ChannelID: ch, MessageID: m.ID})
	return http.StatusCreated, t.wire(f.opts.ApplicationID), nil
}

// putCommands replaces a command set and answers with the stored commands,
// ids and versions added as Discord does.
func (f *Fake) putCommands(c *call) (int, any, error) {
	if c.r.PathValue("application_id") != f.opts.ApplicationID {
		return 0, nil, fail(http.StatusForbidden, codeMissingAccess, "Missing Access")
	}
	guild := normGuild(c.r.PathValue("guild_id"))
	stored := make([]json.RawMessage, 0, len(c.list))
	out := make([]map[string]any, 0, len(c.list))
	for _, item := range c.list {
		cmd := map[string]any{}
		for k, v := range asMap(item) {
			cmd[k] = v
		}
		id := f.newID()
		cmd["id"], cmd["application_id"], cmd["version"] = id, f.opts.ApplicationID, id
		if _, ok := cmd["type"]; !ok {
			cmd["type"] = 1
		}
		if guild != "" {
			cmd["guild_id"] = guild
		}
		raw, err := json.Marshal(cmd)
		if err != nil {
			return 0, nil, err
		}
		stored = append(stored, raw)
		out = append(out, cmd)
	}
	f.commands[guild] = stored
	f.publish(Event{Kind: EventCommandsUpdated, GuildID: guild})
	return http.StatusOK, out, nil
}
