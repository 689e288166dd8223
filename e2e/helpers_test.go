package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// text flattens an answer the user reads: content, embed titles,
// descriptions, fields and footers.
func text(data map[string]any) string {
	var b strings.Builder
	b.WriteString(str(data["content"]))
	embeds, _ := data["embeds"].([]any)
	for _, e := range embeds {
		m, _ := e.(map[string]any)
		b.WriteString("\n" + str(m["title"]) + "\n" + str(m["description"]))
		fields, _ := m["fields"].([]any)
		for _, f := range fields {
			fm, _ := f.(map[string]any)
			b.WriteString("\n" + str(fm["name"]) + ": " + str(fm["value"]))
		}
		if f, ok := m["footer"].(map[string]any); ok {
			b.WriteString("\n" + str(f["text"]))
		}
	}
	return b.String()
}

// messageText flattens a message of the fake like text does an answer.
func messageText(embeds []map[string]any, content string) string {
	list := make([]any, len(embeds))
	for i, e := range embeds {
		list[i] = e
	}
	return text(map[string]any{"content": content, "embeds": list})
}

// wantEphemeral checks that r is an ephemeral message starting with want.
func wantEphemeral(t testing.TB, what string, r reply, want string) {
	t.Helper()
	if r.Type != 4 || !r.Ephemeral() {
		t.Errorf("%s: answer %s, want an ephemeral message", what, r.Raw)
		return
	}
	if !strings.HasPrefix(r.Content(), want) {
		t.Errorf("%s: answer %q, want it to start with %q", what, r.Content(), want)
	}
}

// plannedLobby opens a lobby, adds the named VMs and waits for the plan.
func (h *harness) plannedLobby(u user, project string, names ...string) lobby {
	h.t.Helper()
	l, _ := h.openLobby(u, project)
	for _, n := range names {
		if r := h.addResource(u, l, "compute_vm", map[string]string{"name": n, "size": "small"}); r.Type != 6 {
			h.t.Fatalf("adding %s answered %s", n, r.Raw)
		}
		h.eventually("a plan with "+n, 30*time.Second, func() bool {
			l = h.lobbyNow(l.ID)
			return l.field("State") == "PLANNED" && strings.Contains(l.field("Plan"), "_"+n+"`")
		})
	}
	return l
}

// deployed runs a whole deployment of one VM and returns its lobby.
func (h *harness) deployed(u user, project, name string) lobby {
	h.t.Helper()
	l := h.plannedLobby(u, project, name)
	if r := h.click(u, l.ID, l.id("Approve")); r.Type != 6 {
		h.t.Fatalf("approve answered %s", r.Raw)
	}
	return h.waitState(l.ID, "APPLIED", 60*time.Second)
}

// deferredLobby waits for the lobby that a deferred command answer becomes.
func (h *harness) deferredLobby(r reply) lobby {
	h.t.Helper()
	var l lobby
	h.eventually("the lobby of "+r.Token, 5*time.Second, func() bool {
		m, ok := h.fake.Original(r.Token)
		l = lobby{m}
		return ok && l.field("Session") != ""
	})
	h.lobbyStored(user{}, l)
	return l
}

// choices decodes the autocomplete answer of r.
func (h *harness) choices(r reply) []map[string]any {
	h.t.Helper()
	if r.Type != 8 {
		h.t.Fatalf("autocomplete answered %s", r.Raw)
	}
	var out []map[string]any
	raw, _ := json.Marshal(r.Data["choices"])
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("choices: %v", err)
	}
	return out
}

func choiceValues(cs []map[string]any) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprint(c["value"]))
	}
	return out
}

// threadOf waits for the thread started on the lobby message.
func (h *harness) threadOf(lobbyID string) string {
	h.t.Helper()
	var id string
	h.eventually("a thread on the lobby", 10*time.Second, func() bool {
		for _, th := range h.fake.Threads() {
			if th.MessageID == lobbyID {
				id = th.ID
				return true
			}
		}
		return false
	})
	return id
}

// finalMessage waits for the closing message of an apply in channel.
func (h *harness) finalMessage(channel, state string) (last int, content string, attachment []byte) {
	h.t.Helper()
	h.eventually("the final "+state+" message", 20*time.Second, func() bool {
		msgs := h.fake.Messages(channel)
		for i := len(msgs) - 1; i >= 0; i-- {
			m := msgs[i]
			if strings.HasPrefix(m.Content, "**"+state+"**") && len(m.Attachments) == 1 {
				last, content, attachment = i, m.Content, m.Attachments[0].Data
				return true
			}
		}
		return false
	})
	return last, content, attachment
}

// logTime is the time of the first service log line holding every part.
func (h *harness) logTime(parts ...string) time.Time {
	h.t.Helper()
	for _, line := range strings.Split(h.logs.String(), "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if !all {
			continue
		}
		var rec struct {
			Time time.Time `json:"time"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			h.t.Fatalf("log line %q: %v", line, err)
		}
		return rec.Time
	}
	h.t.Fatalf("no log line with %q", parts)
	return time.Time{}
}
