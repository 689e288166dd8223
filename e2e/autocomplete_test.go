package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	for i := range 30 {
		id := fmt.Sprintf("proj-%02d", i)
		h.command(admin, "cloud-create-project", opt{"project_id", id}, opt{"provider", "sandbox"}, opt{"description", "project number " + id})
	}
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "deploy"})
	h.command(admin, "cloud-grant", opt{"user", alice}, opt{"project", "proj-07"}, opt{"level", "read"})

	tests := []struct {
		name   string
		u      user
		value  string
		want   []string // exactly these, when set
		count  int
		prefix string
	}{
		{"admin sees at most 25", admin, "", nil, 25, ""},
		{"admin prefix", admin, "proj-1", nil, 10, "proj-1"},
		{"member sees what they may read", alice, "", []string{"dev", "proj-07"}, 2, ""},
		{"member prefix", alice, "pr", []string{"proj-07"}, 1, ""},
		{"member without grants", carol, "", nil, 0, ""},
	}
	for _, tc := range tests {
		vals := choiceValues(h.choices(h.autocomplete(tc.u, "cloud-deploy", "project", tc.value)))
		if len(vals) != tc.count || (tc.want != nil && !slices.Equal(vals, tc.want)) {
			t.Errorf("%s: %v", tc.name, vals)
		}
		for _, v := range vals {
			if !strings.HasPrefix(v, tc.prefix) {
				t.Errorf("%s: %s does not start with %q", tc.name, v, tc.prefix)
			}
		}
	}

	a1, _ := h.openLobby(alice, "dev")
	a2, _ := h.openLobby(alice, "dev")
	b1, _ := h.openLobby(bob, "dev")
	deployed := h.deployed(alice, "dev", "web")
	sessions := []struct {
		name      string
		u         user
		cmd       string
		has, hasn []string
	}{
		{"own open for /cloud-cancel", alice, "cloud-cancel", []string{a1.field("Session"), a2.field("Session")},
			[]string{b1.field("Session"), deployed.field("Session")}},
		{"any open for the admin", admin, "cloud-admin-cancel", []string{a1.field("Session"), b1.field("Session")}, []string{deployed.field("Session")}},
		{"destroyable", bob, "cloud-destroy", []string{deployed.field("Session")}, []string{a1.field("Session"), b1.field("Session")}},
		{"destroyable needs deploy", carol, "cloud-destroy", nil, []string{deployed.field("Session")}},
	}
	for _, tc := range sessions {
		cs := h.choices(h.autocomplete(tc.u, tc.cmd, "session_id", ""))
		vals := choiceValues(cs)
		if len(vals) > 25 {
			t.Errorf("%s: %d choices", tc.name, len(vals))
		}
		for _, id := range tc.has {
			if !slices.Contains(vals, id) {
				t.Errorf("%s: %s missing from %v", tc.name, id, vals)
			}
		}
		for _, id := range tc.hasn {
			if slices.Contains(vals, id) {
				t.Errorf("%s: %s offered", tc.name, id)
			}
		}
		for _, c := range cs {
			if n := len([]rune(str(c["name"]))); n == 0 || n > 100 {
				t.Errorf("%s: choice name of %d characters", tc.name, n)
			}
		}
	}
}
