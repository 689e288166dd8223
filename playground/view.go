package playground

import (
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// view is what the page draws: the server, the channel as the member sees
// it, and the threads with their messages.
type view struct {
	Guild    named        `json:"guild"`
	Channel  named        `json:"channel"`
	App      named        `json:"app"`
	Members  []Member     `json:"members"`
	Messages []viewMsg    `json:"messages"`
	Threads  []viewThread `json:"threads"`
}

type named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type viewThread struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	MessageID string    `json:"message_id"`
	Messages  []viewMsg `json:"messages"`
}

type viewMsg struct {
	ID          string           `json:"id"`
	ChannelID   string           `json:"channel_id"`
	Content     string           `json:"content"`
	Embeds      []map[string]any `json:"embeds"`
	Components  []map[string]any `json:"components"`
	Flags       int              `json:"flags"`
	Ephemeral   bool             `json:"ephemeral"`
	Thinking    bool             `json:"thinking"`
	Attachments []viewFile       `json:"attachments"`
	Thread      string           `json:"thread,omitempty"`
	Edited      bool             `json:"edited"`
	CreatedAt   time.Time        `json:"created_at"`
	By          *invocation      `json:"by,omitempty"`
}

type viewFile struct {
	Filename string `json:"filename"`
	Size     int    `json:"size"`
	URL      string `json:"url"`
}

// view builds the state as the member sees it: ephemeral messages are
// shown only to the member whose interaction they answer.
func (p *Playground) view(userID string) view {
	v := view{
		Guild:   named{ID: GuildID, Name: GuildName},
		Channel: named{ID: ChannelID, Name: ChannelName},
		App:     named{ID: ApplicationID, Name: "Cloud Engine"},
		Members: Members(),
		Threads: []viewThread{},
	}
	v.Messages = p.messages(ChannelID, userID)
	for _, t := range p.fake.Threads() {
		if t.GuildID != GuildID && t.GuildID != "" {
			continue
		}
		v.Threads = append(v.Threads, viewThread{ID: t.ID, Name: t.Name, MessageID: t.MessageID,
			Messages: p.messages(t.ID, userID)})
	}
	return v
}

func (p *Playground) messages(channelID, userID string) []viewMsg {
	out := []viewMsg{}
	for _, m := range p.fake.Messages(channelID) {
		in, known := p.invocation(m.Interaction)
		if m.Ephemeral && (!known || in.UserID != userID) {
			continue
		}
		vm := viewMsg{
			ID: m.ID, ChannelID: m.ChannelID, Content: m.Content, Embeds: m.Embeds, Components: m.Components,
			Flags: m.Flags, Ephemeral: m.Ephemeral, Thinking: m.Thinking, Thread: m.Thread,
			Edited: m.Edits > 0, CreatedAt: m.CreatedAt, Attachments: []viewFile{},
		}
		if known {
			vm.By = &in
		}
		for _, a := range m.Attachments {
			vm.Attachments = append(vm.Attachments, viewFile{Filename: a.Filename, Size: len(a.Data),
				URL: "/playground/attachments/" + m.ID + "/" + a.ID + "/" + a.Filename})
		}
		out = append(out, vm)
	}
	return out
}

// attachment finds an uploaded file.
func (p *Playground) attachment(messageID, id string) (discordtest.Attachment, bool) {
	m, ok := p.fake.Message(messageID)
	if !ok {
		return discordtest.Attachment{}, false
	}
	for _, a := range m.Attachments {
		if a.ID == id {
			return a, true
		}
	}
	return discordtest.Attachment{}, false
}
