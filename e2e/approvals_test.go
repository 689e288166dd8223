package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDoubleClickOnApproveAppliesOnce(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	var wg sync.WaitGroup
	replies := make([]reply, 2)
	for i := range replies {
		wg.Add(1)
		go func() { defer wg.Done(); replies[i] = h.click(alice, l.ID, l.id("Approve & Deploy")) }()
	}
	wg.Wait()
	started := 0
	for _, r := range replies {
		if r.Type == 6 {
			started++
		} else if !r.Ephemeral() {
			t.Errorf("second click answered %s", r.Raw)
		}
	}
	if started != 1 {
		t.Errorf("%d clicks started the apply: %s / %s", started, replies[0].Raw, replies[1].Raw)
	}
	h.waitState(l.ID, "APPLIED", 60*time.Second)
	h.finalMessage(h.threadOf(l.ID), "APPLIED")
	if n := len(h.fake.Threads()); n != 1 {
		t.Errorf("%d threads", n)
	}
	if n := strings.Count(h.logs.String(), `"msg":"terraform apply finished"`); n != 1 {
		t.Errorf("%d apply runs", n)
	}
}

func TestTwoApprovals(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 2, grant{alice, "deploy"}, grant{bob, "deploy"}, grant{carol, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	if got := str(l.component("Approve (")["label"]); got != "Approve (0/2)" {
		t.Fatalf("approve label %q", got)
	}
	wantEphemeral(t, "owner's click", h.click(alice, l.ID, l.id("Approve (")), "Waiting for 2 more approvals from other members")
	if r := h.click(bob, l.ID, l.id("Approve (")); r.Type != 6 {
		t.Fatalf("bob's approval answered %s", r.Raw)
	}
	h.eventually("Approve (1/2)", 5*time.Second, func() bool {
		l = h.lobbyNow(l.ID)
		return str(l.component("Approve (")["label"]) == "Approve (1/2)"
	})
	wantEphemeral(t, "bob again", h.click(bob, l.ID, l.id("Approve (")), "You have already approved")
	// Approvers are members with deploy; to anyone else it is someone
	// else's lobby (SPEC §2, who may click what).
	wantEphemeral(t, "a member without a grant", h.click(user{ID: "4400000000000000099", Perms: "0"}, l.ID, l.id("Approve (")),
		"Only the owner of this session can do that.")

	// A re-plan clears the approvals.
	h.click(alice, l.ID, l.id("Re-plan"))
	h.eventually("the approvals cleared by the new plan", 30*time.Second, func() bool {
		l = h.lobbyNow(l.ID)
		return l.field("State") == "PLANNED" && str(l.component("Approve (")["label"]) == "Approve (0/2)"
	})
	h.click(bob, l.ID, l.id("Approve ("))
	h.eventually("Approve (1/2)", 5*time.Second, func() bool {
		return str(h.lobbyNow(l.ID).component("Approve (")["label"]) == "Approve (1/2)"
	})
	if r := h.click(carol, l.ID, l.id("Approve (")); r.Type != 6 {
		t.Fatalf("carol's approval answered %s", r.Raw)
	}
	l = h.waitState(l.ID, "APPLIED", 60*time.Second)
	if got := l.field("Approvals"); !strings.HasPrefix(got, "2/2") || !strings.Contains(got, bob.ID) || !strings.Contains(got, carol.ID) {
		t.Errorf("approvals field %q", got)
	}
}
