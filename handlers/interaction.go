package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Interaction types of Discord's payload.
const (
	typePing         = 1
	typeCommand      = 2
	typeComponent    = 3
	typeAutocomplete = 4
	typeModal        = 5
)

// discordEpochMS is Discord's snowflake epoch (2015-01-01) in Unix ms.
const discordEpochMS = 1420070400000

// Interaction is the part of Discord's interaction payload the service
// reads; decoding only what we use keeps us tolerant of new fields.
type Interaction struct {
	ID            string `json:"id"`
	ApplicationID string `json:"application_id"`
	Type          int    `json:"type"`
	Token         string `json:"token"`
	GuildID       string `json:"guild_id"`
	ChannelID     string `json:"channel_id"`
	Channel       *struct {
		ID   string `json:"id"`
		Type int    `json:"type"`
	} `json:"channel"`
	Member  *Member         `json:"member"`
	User    *User           `json:"user"`
	Data    json.RawMessage `json:"data"`
	Message *struct {
		ID        string `json:"id"`
		ChannelID string `json:"channel_id"`
		Flags     int    `json:"flags"`
	} `json:"message"`
	AppPermissions string `json:"app_permissions"`
}

// Member is the invoking guild member.
type Member struct {
	User        User     `json:"user"`
	Roles       []string `json:"roles"`
	Permissions string   `json:"permissions"`
}

// User is a Discord user.
type User struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// CommandData is the data of a slash command or autocomplete.
type CommandData struct {
	Name    string   `json:"name"`
	Options []Option `json:"options"`
}

// Option is one option of a command; Value is a string, number or bool.
type Option struct {
	Name    string          `json:"name"`
	Type    int             `json:"type"`
	Value   json.RawMessage `json:"value"`
	Focused bool            `json:"focused"`
	Options []Option        `json:"options"`
}

// ComponentData is the data of a button or select click.
type ComponentData struct {
	CustomID      string   `json:"custom_id"`
	ComponentType int      `json:"component_type"`
	Values        []string `json:"values"`
}

// ModalData is a submitted modal.
type ModalData struct {
	CustomID   string           `json:"custom_id"`
	Components []modalComponent `json:"components"`
}

// modalComponent covers both layouts a modal submit may carry: an action
// row of text inputs (legacy) and a label wrapping one component.
type modalComponent struct {
	Type       int              `json:"type"`
	CustomID   string           `json:"custom_id"`
	Value      string           `json:"value"`
	Values     []string         `json:"values"`
	Component  *modalComponent  `json:"component"`
	Components []modalComponent `json:"components"`
}

// Values flattens the submitted inputs into custom id → value.
func (m ModalData) Values() map[string]string {
	out := map[string]string{}
	var walk func(cs []modalComponent)
	walk = func(cs []modalComponent) {
		for _, c := range cs {
			if c.CustomID != "" {
				v := c.Value
				if v == "" && len(c.Values) > 0 {
					v = c.Values[0]
				}
				out[c.CustomID] = v
			}
			if c.Component != nil {
				walk([]modalComponent{*c.Component})
			}
			walk(c.Components)
		}
	}
	walk(m.Components)
	return out
}

// decode parses and sanity-checks an interaction body.
func decode(body []byte) (*Interaction, error) {
	var in Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("malformed interaction: %w", err)
	}
	if in.Type < typePing || in.Type > typeModal {
		return nil, fmt.Errorf("unknown interaction type %d", in.Type)
	}
	if in.Type != typePing && (in.ID == "" || in.Token == "") {
		return nil, errors.New("interaction without id or token")
	}
	if in.ChannelID == "" && in.Channel != nil {
		in.ChannelID = in.Channel.ID
	}
	return &in, nil
}

// UserID is the invoker's id, in a guild or not.
func (in *Interaction) UserID() string {
	if in.Member != nil {
		return in.Member.User.ID
	}
	if in.User != nil {
		return in.User.ID
	}
	return ""
}

// CreatedAt is when Discord created the interaction (its token's birth).
func (in *Interaction) CreatedAt(fallback time.Time) time.Time {
	id, err := strconv.ParseUint(in.ID, 10, 64)
	if err != nil || id < 1<<22 {
		return fallback
	}
	return time.UnixMilli(int64(id>>22) + discordEpochMS)
}

// permissions parses the member's permission bit set.
func (in *Interaction) permissions() uint64 {
	if in.Member == nil {
		return 0
	}
	p, _ := strconv.ParseUint(in.Member.Permissions, 10, 64)
	return p
}

// str returns a string option (trimmed), or "".
func (d *CommandData) str(name string) string {
	for _, o := range d.Options {
		if o.Name == name {
			var s string
			if json.Unmarshal(o.Value, &s) == nil {
				return strings.TrimSpace(s)
			}
			return strings.Trim(string(o.Value), `"`)
		}
	}
	return ""
}

// int returns an integer option and whether it was given.
func (d *CommandData) int(name string) (int, bool) {
	for _, o := range d.Options {
		if o.Name == name {
			var f float64
			if json.Unmarshal(o.Value, &f) == nil {
				return int(f), true
			}
			if n, err := strconv.Atoi(strings.Trim(string(o.Value), `"`)); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// focused returns the option being autocompleted.
func (d *CommandData) focused() (name, value string) {
	for _, o := range d.Options {
		if o.Focused {
			var s string
			_ = json.Unmarshal(o.Value, &s)
			return o.Name, s
		}
	}
	return "", ""
}
