package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestAdminListAndStats(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	h.setupProject("web", 0, grant{bob, "deploy"})

	applied := h.deployed(alice, "dev", "vm1")
	var devIDs []string
	devIDs = append(devIDs, applied.field("Session"))
	for range 11 {
		l, _ := h.openLobby(alice, "dev")
		devIDs = append(devIDs, l.field("Session"))
	}
	webLobby, _ := h.openLobby(bob, "web")
	webID := webLobby.field("Session")

	tests := []struct {
		name  string
		opts  []opt
		count int    // sessions listed
		foot  string // footer
		has   []string
		hasNo []string
	}{
		{"all, page 1", nil, 10, "Page 1 of 2 · 13 sessions", nil, nil},
		{"all, page 2", []opt{{"page", 2}}, 3, "Page 2 of 2 · 13 sessions", nil, nil},
		{"project web", []opt{{"project", "web"}}, 1, "Page 1 of 1 · 1 sessions", []string{webID}, devIDs},
		{"state APPLIED", []opt{{"state", "APPLIED"}}, 1, "Page 1 of 1 · 1 sessions", []string{devIDs[0]}, []string{webID}},
		{"project dev, DRAFT, page 2", []opt{{"project", "dev"}, {"state", "DRAFT"}, {"page", 2}}, 1, "Page 2 of 2 · 11 sessions", nil, []string{webID, devIDs[0]}},
	}
	row := regexp.MustCompile("(?m)^`[a-z0-9]{8}` ")
	for _, tc := range tests {
		r := h.command(admin, "cloud-admin-list", tc.opts...)
		got := text(r.Data)
		if !r.Ephemeral() {
			t.Errorf("%s: not ephemeral", tc.name)
		}
		if n := len(row.FindAllString(got, -1)); n != tc.count {
			t.Errorf("%s: %d sessions listed, want %d:\n%s", tc.name, n, tc.count, got)
		}
		if !strings.Contains(got, tc.foot) {
			t.Errorf("%s: footer missing %q:\n%s", tc.name, tc.foot, got)
		}
		for _, id := range tc.has {
			if !strings.Contains(got, id) {
				t.Errorf("%s: %s missing", tc.name, id)
			}
		}
		for _, id := range tc.hasNo {
			if strings.Contains(got, "`"+id+"`") {
				t.Errorf("%s: %s listed", tc.name, id)
			}
		}
	}
	wantEphemeral(t, "admin list by a member", h.command(alice, "cloud-admin-list"), "Permission denied: this command is for administrators.")
	wantEphemeral(t, "stats by a member", h.command(alice, "cloud-stats"), "Permission denied: this command is for administrators.")
	wantEphemeral(t, "unknown project", h.command(admin, "cloud-admin-list", opt{"project", "nope"}), "Unknown project nope.")

	st := text(h.command(admin, "cloud-stats").Data)
	for _, want := range []string{"`DRAFT` 12", "`APPLIED` 1", "100.0% (1 applied, 0 failed)", "(1 runs)"} {
		if !strings.Contains(st, want) {
			t.Errorf("stats lack %q:\n%s", want, st)
		}
	}
	if !regexp.MustCompile(`Plan duration: median [0-9.]+m?s · p95 [0-9.]+m?s \(1 runs\)`).MatchString(st) {
		t.Errorf("stats lack the plan durations:\n%s", st)
	}
	st = text(h.command(admin, "cloud-stats", opt{"project", "web"}).Data)
	if !strings.Contains(st, "`DRAFT` 1") || strings.Contains(st, "APPLIED") || !strings.Contains(st, "n/a") {
		t.Errorf("stats of web:\n%s", st)
	}
}

func TestUserListsOnlyTheirOwn(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "deploy"})
	h.setupProject("ops", 0, grant{bob, "read"})
	h.setupProject("sec", 0)
	a, _ := h.openLobby(alice, "dev")
	b, _ := h.openLobby(bob, "dev")
	r := h.command(alice, "cloud-list")
	got := text(r.Data)
	if !r.Ephemeral() || !strings.Contains(got, a.field("Session")) || strings.Contains(got, b.field("Session")) {
		t.Errorf("alice's list:\n%s", got)
	}
	got = text(h.command(alice, "cloud-list", opt{"state", "APPLIED"}).Data)
	if !strings.Contains(got, "No sessions.") {
		t.Errorf("alice's APPLIED list:\n%s", got)
	}

	// /cloud-projects: a deferred ephemeral answer, then edited with what bob may read.
	pr := h.command(bob, "cloud-projects")
	if pr.Type != 5 || !pr.Ephemeral() {
		t.Fatalf("projects answered %s, want an ephemeral deferral", pr.Raw)
	}
	var list string
	h.eventually("the project list", 5*time.Second, func() bool {
		m, ok := h.fake.Original(pr.Token)
		list = messageText(m.Embeds, m.Content)
		return ok && !m.Thinking && strings.Contains(list, "Projects")
	})
	if !strings.Contains(list, "**dev**") || !strings.Contains(list, "**ops**") || strings.Contains(list, "sec") {
		t.Errorf("bob's projects:\n%s", list)
	}
	pr = h.command(carol, "cloud-projects")
	h.eventually("carol's project list", 5*time.Second, func() bool {
		m, ok := h.fake.Original(pr.Token)
		list = messageText(m.Embeds, m.Content)
		return ok && !m.Thinking
	})
	if !strings.Contains(list, "No project you may read") {
		t.Errorf("carol's projects:\n%s", list)
	}
	for i := range 11 {
		h.command(admin, "cloud-create-project", opt{"project_id", fmt.Sprintf("p%02d", i)}, opt{"provider", "sandbox"}, opt{"description", "x"})
	}
	pr = h.command(admin, "cloud-projects", opt{"page", 2})
	h.eventually("page 2 of the projects", 5*time.Second, func() bool {
		m, ok := h.fake.Original(pr.Token)
		list = messageText(m.Embeds, m.Content)
		return ok && !m.Thinking
	})
	if !strings.Contains(list, "Page 2 of 2 · 14 projects") || strings.Count(list, "**") != 2*4 {
		t.Errorf("page 2 of the admin's projects:\n%s", list)
	}
}
