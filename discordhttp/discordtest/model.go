package discordtest

import (
	"strconv"
	"time"
)

// Message is a message as a Discord user would see it now.
type Message struct {
	ID          string
	ChannelID   string // a thread's id when the message is in a thread
	GuildID     string
	Content     string
	Embeds      []map[string]any
	Components  []map[string]any
	Flags       int
	Ephemeral   bool // only the invoking user sees it
	Thinking    bool // a deferred response not filled in yet ("… is thinking")
	Attachments []Attachment
	Edits       int    // edits after the message first showed content
	Thread      string // id of the thread started from this message
	Interaction string // token of the interaction it answers, if any
	Nonce       string // the nonce it was created with, if enforced
	CreatedAt   time.Time
	EditedAt    time.Time
}

// Attachment is an uploaded file.
type Attachment struct {
	ID       string
	Filename string
	Data     []byte
}

// Thread is a thread started from a message; its id is the message's.
type Thread struct {
	ID        string
	ParentID  string
	GuildID   string
	Name      string
	MessageID string
}

// Request is one request the fake received.
type Request struct {
	Method      string
	Route       string // template, e.g. "POST /channels/{channel_id}/messages"
	Path        string
	Query       string
	Status      int
	Body        []byte // the JSON body, or payload_json of a multipart body
	Auth        string // "bot", "none" or "invalid"
	UserAgent   string
	ContentType string
	Time        time.Time
}

// InteractionContext describes the interaction a response answers.
type InteractionContext struct {
	Token, GuildID, ChannelID, SourceMessageID, UserID string
}

// EventKind names a change of the fake's state.
type EventKind string

// Kinds of Event.
const (
	EventMessageCreated  EventKind = "message_created"
	EventMessageEdited   EventKind = "message_edited"
	EventMessageDeleted  EventKind = "message_deleted"
	EventThreadCreated   EventKind = "thread_created"
	EventModalOpened     EventKind = "modal_opened"
	EventAutocomplete    EventKind = "autocomplete"
	EventCommandsUpdated EventKind = "commands_updated"
)

// Event notifies a subscriber of a change; read the state for details.
type Event struct {
	Kind      EventKind
	GuildID   string
	ChannelID string
	MessageID string
	Token     string
}

func (m *Message) clone() Message {
	c := *m
	c.Embeds = append([]map[string]any(nil), m.Embeds...)
	c.Components = append([]map[string]any(nil), m.Components...)
	c.Attachments = append([]Attachment(nil), m.Attachments...)
	return c
}

// wire renders the message object Discord returns.
func (m *Message) wire(appID, baseURL string) map[string]any {
	attachments := make([]map[string]any, len(m.Attachments))
	for i, a := range m.Attachments {
		u := baseURL + "/attachments/" + m.ChannelID + "/" + a.ID + "/" + a.Filename
		attachments[i] = map[string]any{
			"id": a.ID, "filename": a.Filename, "size": len(a.Data), "url": u, "proxy_url": u,
		}
	}
	out := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "type": 0,
		"content": m.Content, "embeds": nonNil(m.Embeds), "components": nonNil(m.Components),
		"attachments": attachments, "flags": m.Flags,
		"timestamp": m.CreatedAt.UTC().Format(time.RFC3339Nano),
		"author": map[string]any{
			"id": appID, "username": "Cloud Engine", "discriminator": "0", "bot": true,
		},
		"tts": false, "mention_everyone": false, "mentions": []any{}, "mention_roles": []any{},
		"pinned": false,
	}
	if m.Thinking {
		out["flags"] = m.Flags | flagLoading
	}
	if !m.EditedAt.IsZero() {
		out["edited_timestamp"] = m.EditedAt.UTC().Format(time.RFC3339Nano)
	}
	if m.GuildID != "" {
		out["guild_id"] = m.GuildID
	}
	if m.Nonce != "" {
		out["nonce"] = m.Nonce
	}
	return out
}

// flagLoading is Discord's LOADING message flag, set on deferred responses.
const flagLoading = 1 << 7

func nonNil(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func (t Thread) wire(appID string) map[string]any {
	out := map[string]any{
		"id": t.ID, "type": 11, "parent_id": t.ParentID, "name": t.Name, "owner_id": appID,
		"last_message_id": nil, "rate_limit_per_user": 0, "message_count": 0, "member_count": 1,
		"total_message_sent": 0, "flags": 0,
		"thread_metadata": map[string]any{
			"archived": false, "auto_archive_duration": 1440, "locked": false,
			"archive_timestamp": time.Now().UTC().Format(time.RFC3339),
		},
	}
	if t.GuildID != "" {
		out["guild_id"] = t.GuildID
	}
	return out
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
