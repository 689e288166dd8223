package e2e

import (
	"context"
	"strings"
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// lobby is a lobby message as users see it.
type lobby struct{ discordtest.Message }

// field returns the value of the embed field called name.
func (l lobby) field(name string) string {
	for _, e := range l.Embeds {
		fields, _ := e["fields"].([]any)
		for _, f := range fields {
			m, _ := f.(map[string]any)
			if m["name"] == name {
				s, _ := m["value"].(string)
				return s
			}
		}
	}
	return ""
}

// footer returns the embed's footer text.
func (l lobby) footer() string {
	for _, e := range l.Embeds {
		if f, ok := e["footer"].(map[string]any); ok {
			s, _ := f["text"].(string)
			return s
		}
	}
	return ""
}

// component finds a button or select by its label or placeholder.
func (l lobby) component(label string) map[string]any {
	for _, row := range l.Components {
		cs, _ := row["components"].([]any)
		for _, c := range cs {
			m, _ := c.(map[string]any)
			if m["label"] == label || m["placeholder"] == label || strings.HasPrefix(str(m["label"]), label) {
				return m
			}
		}
	}
	return nil
}

func str(v any) string { s, _ := v.(string); return s }

// id is the custom id of the component labelled label.
func (l lobby) id(label string) string { return str(l.component(label)["custom_id"]) }

// disabled reports whether the component labelled label is disabled.
func (l lobby) disabled(label string) bool {
	d, _ := l.component(label)["disabled"].(bool)
	return d
}

// openLobby runs /cloud-deploy and waits for the lobby.
func (h *harness) openLobby(u user, project string) (lobby, reply) {
	h.t.Helper()
	r := h.command(u, "cloud-deploy", opt{"project", project})
	if r.Type != 5 || r.Ephemeral() {
		h.t.Fatalf("cloud-deploy answered %s, want a public deferral", r.Raw)
	}
	var l lobby
	h.eventually("the lobby", 5*time.Second, func() bool {
		m, ok := h.fake.Original(r.Token)
		l = lobby{m}
		return ok && l.field("Session") != ""
	})
	h.lobbyStored(u, l)
	return l, r
}

// lobbyStored waits until the service has recorded the lobby's message id.
// A click that arrives before may be refused with "This session changed in
// the meantime" (see the test report); people are not that fast.
func (h *harness) lobbyStored(u user, l lobby) {
	h.t.Helper()
	guild := h.guild
	if u.Guild != "" {
		guild = u.Guild
	}
	h.eventually("the lobby id to be stored", 5*time.Second, func() bool {
		s, err := h.store.GetSession(context.Background(), guild, l.field("Session"))
		return err == nil && s.LobbyMessageID == l.ID
	})
}

// lobbyNow re-reads a lobby message.
func (h *harness) lobbyNow(id string) lobby {
	m, ok := h.fake.Message(id)
	if !ok {
		h.t.Fatalf("lobby message %s is gone", id)
	}
	return lobby{m}
}

// waitState waits until the lobby shows state.
func (h *harness) waitState(id, state string, d time.Duration) lobby {
	h.t.Helper()
	var l lobby
	h.eventually("state "+state, d, func() bool {
		l = h.lobbyNow(id)
		return l.field("State") == state
	})
	return l
}

// addResource picks a type in the lobby and submits its modal.
func (h *harness) addResource(u user, l lobby, typ string, values map[string]string) reply {
	h.t.Helper()
	r := h.choose(u, l.ID, l.id("Add a resource…"), typ)
	if r.Type != 9 {
		return r
	}
	modalID := str(r.Data["custom_id"])
	return h.submit(u, l.ID, modalID, values)
}

// setupProject creates a sandbox project and grants members levels.
// grant is a level given to a member.
type grant struct {
	u     user
	level string
}

func (h *harness) setupProject(id string, approvals int, grants ...grant) {
	h.t.Helper()
	opts := []opt{{"project_id", id}, {"provider", "sandbox"}, {"description", "test project " + id}}
	if approvals > 0 {
		opts = append(opts, opt{"approvals", approvals})
	}
	if r := h.command(admin, "cloud-create-project", opts...); !strings.HasPrefix(r.Content(), "Project "+id+" created") {
		h.t.Fatalf("create project: %s", r.Raw)
	}
	for _, g := range grants {
		if r := h.command(admin, "cloud-grant", opt{"user", g.u}, opt{"project", id}, opt{"level", g.level}); !strings.HasPrefix(r.Content(), "Granted") {
			h.t.Fatalf("grant: %s", r.Raw)
		}
	}
}
