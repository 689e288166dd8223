package playground

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// Interaction types the page sends.
const (
	typeCommand      = 2
	typeComponent    = 3
	typeAutocomplete = 4
	typeModal        = 5
)

// discordEpoch is the first millisecond of 2015, where snowflakes start.
const discordEpoch = 1420070400000

// botPermissions are the app_permissions Discord sends for a bot that may
// send messages, embed, attach files and manage threads.
const botPermissions = "309237730304"

// seq numbers snowflakes born in the same millisecond.
type seq struct{ n atomic.Uint64 }

// snowflake is a fresh id born now, so interaction tokens have a real age.
func (s *seq) snowflake() string {
	ms := uint64(time.Now().UnixMilli() - discordEpoch)
	return strconv.FormatUint(ms<<22|(s.n.Add(1)&0x3fffff), 10)
}

// Interaction is what a member does on the page.
type Interaction struct {
	UserID    string          `json:"user_id"`
	Type      int             `json:"type"`
	ChannelID string          `json:"channel_id,omitempty"` // default: the channel
	Data      json.RawMessage `json:"data"`
	Message   *MessageRef     `json:"message,omitempty"` // components and modals
}

// MessageRef names the message a component or modal belongs to.
type MessageRef struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	Flags     int    `json:"flags"`
}

// Reply is the service's HTTP answer to an interaction.
type Reply struct {
	Status int             `json:"status"`
	Type   int             `json:"type,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
	Token  string          `json:"token"`
	Error  string          `json:"error,omitempty"` // what Discord would have done with a bad answer
}

// Interact signs the interaction, POSTs it to the service's endpoint and
// hands the answer to the stand-in exactly as Discord would apply it.
func (p *Playground) Interact(ctx context.Context, in Interaction) (Reply, error) {
	m, ok := memberByID(in.UserID)
	if !ok {
		return Reply{}, fmt.Errorf("unknown member %q", in.UserID)
	}
	if in.ChannelID == "" {
		in.ChannelID = ChannelID
	}
	id := p.seq.snowflake()
	token := "pg-" + id + "-" + randomHex(8)
	body, err := json.Marshal(p.payload(id, token, m, in))
	if err != nil {
		return Reply{}, fmt.Errorf("encode interaction: %w", err)
	}
	if in.Type == typeCommand {
		p.remember(token, invocation{UserID: m.ID, Command: commandName(in.Data)})
	} else {
		p.remember(token, invocation{UserID: m.ID})
	}
	r, err := p.post(ctx, body)
	if err != nil {
		return Reply{}, err
	}
	r.Token = token
	if r.Status != http.StatusOK {
		p.log.Warn("the service refused an interaction", "status", r.Status, "body", string(r.raw))
		return r.Reply, nil
	}
	src := ""
	if in.Message != nil {
		src = in.Message.ID
	}
	ic := discordtest.InteractionContext{Token: token, GuildID: GuildID, ChannelID: in.ChannelID, SourceMessageID: src, UserID: m.ID}
	if err := p.fake.Respond(ic, r.raw); err != nil {
		r.Error = err.Error()
		p.log.Error("Discord would reject the service's answer", "err", err, "answer", string(r.raw))
	}
	return r.Reply, nil
}

// payload has the shape Discord sends (and the end-to-end tests copy).
func (p *Playground) payload(id, token string, m Member, in Interaction) map[string]any {
	out := map[string]any{
		"id": id, "application_id": ApplicationID, "type": in.Type, "token": token, "version": 1,
		"guild_id": GuildID, "channel_id": in.ChannelID,
		"channel": map[string]any{"id": in.ChannelID, "type": channelType(in.ChannelID)},
		"member": map[string]any{
			"user":  map[string]any{"id": m.ID, "username": m.Username, "global_name": m.Name},
			"roles": []string{}, "permissions": m.Permissions,
		},
		"data": in.Data, "app_permissions": botPermissions, "locale": "en-US", "guild_locale": "en-US",
	}
	if in.Message != nil {
		ch := in.Message.ChannelID
		if ch == "" {
			ch = in.ChannelID
		}
		out["message"] = map[string]any{"id": in.Message.ID, "channel_id": ch, "flags": in.Message.Flags}
	}
	return out
}

// channelType is 0 (text) for the channel and 11 (public thread) otherwise.
func channelType(id string) int {
	if id == ChannelID {
		return 0
	}
	return 11
}

func commandName(data json.RawMessage) string {
	var d struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(data, &d) // the service judges malformed data
	return d.Name
}

type reply struct {
	Reply
	raw []byte
}

// post signs body as Discord does (timestamp + body) and sends it.
func (p *Playground) post(ctx context.Context, body []byte) (reply, error) {
	base := p.serviceURL()
	if base == "" {
		return reply{}, errors.New("the service is not started yet")
	}
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/interactions", bytes.NewReader(body))
	if err != nil {
		return reply{}, fmt.Errorf("build interaction request: %w", err)
	}
	req.Header = discordtest.SignatureHeaders(p.key, stamp, body)
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("POST /interactions: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return reply{}, fmt.Errorf("read interaction answer: %w", err)
	}
	r := reply{Reply: Reply{Status: resp.StatusCode}, raw: raw}
	var parsed struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if resp.StatusCode == http.StatusOK && json.Unmarshal(raw, &parsed) == nil {
		r.Type, r.Data = parsed.Type, parsed.Data
	} else {
		r.Data, _ = json.Marshal(string(raw))
	}
	return r, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
