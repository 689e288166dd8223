package e2e

import (
	"strings"
	"testing"
)

func TestOtherMembersAndOtherGuilds(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	sid := l.field("Session")

	for _, label := range []string{"Approve & Deploy", "Re-plan"} {
		wantEphemeral(t, "bob clicks "+label, h.click(bob, l.ID, l.id(label)), "Only the owner of this session can do that.")
	}
	wantEphemeral(t, "bob adds", h.choose(bob, l.ID, l.id("Add a resource…"), "network"), "Only the owner of this session can do that.")
	wantEphemeral(t, "bob removes", h.choose(bob, l.ID, l.id("Remove a resource…"), "web"), "Only the owner of this session can do that.")

	const other = "2200000000000000002"
	stranger := user{ID: "4400000000000000077", Perms: "8", Guild: other}
	for _, tc := range []struct {
		name string
		r    reply
		want string
	}{
		{"cancel", h.command(stranger, "cloud-cancel", opt{"session_id", sid}), "Unknown session " + sid + "."},
		{"admin cancel", h.command(stranger, "cloud-admin-cancel", opt{"session_id", sid}), "Unknown session " + sid + "."},
		{"destroy", h.command(stranger, "cloud-destroy", opt{"session_id", sid}), "Unknown session " + sid + "."},
		{"deploy", h.command(stranger, "cloud-deploy", opt{"project", "dev"}), "Unknown project dev."},
		{"quota", h.command(stranger, "cloud-quota", opt{"project", "dev"}), "Unknown project dev."},
		{"click", h.click(stranger, l.ID, "cancel:"+sid), "Unknown session " + sid + "."},
	} {
		wantEphemeral(t, "another guild: "+tc.name, tc.r, tc.want)
	}
	for _, cmd := range []string{"cloud-admin-list", "cloud-list", "cloud-stats"} {
		if got := text(h.command(stranger, cmd).Data); strings.Contains(got, sid) || strings.Contains(got, "DRAFT") || strings.Contains(got, "PLANNED") {
			t.Errorf("another guild's %s shows this guild's sessions:\n%s", cmd, got)
		}
	}
	for _, ac := range []struct{ cmd, opt string }{{"cloud-deploy", "project"}, {"cloud-admin-cancel", "session_id"}, {"cloud-cancel", "session_id"}} {
		if cs := h.choices(h.autocomplete(stranger, ac.cmd, ac.opt, "")); len(cs) != 0 {
			t.Errorf("another guild's autocomplete of %s offers %v", ac.cmd, choiceValues(cs))
		}
	}
	if got := h.lobbyNow(l.ID).field("State"); got != "PLANNED" {
		t.Errorf("state %s after the strangers", got)
	}
}
