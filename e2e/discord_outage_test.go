package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp"
)

// TestDiscordOutageDuringApply: Discord answers 503 to everything for
// 10 s while terraform applies. Terraform is not held up; when Discord is
// back the thread gets every line, the closing message and the lobby's
// final state; the requests during the outage are bounded by the retry
// budget; and a message whose answer was lost is not posted twice.
func TestDiscordOutageDuringApply(t *testing.T) {
	t.Parallel()
	const outage = 10 * time.Second
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "vm-a", "vm-b", "vm-c")
	sid := l.field("Session")
	h.click(alice, l.ID, l.id("Approve & Deploy"))
	thread := h.threadOf(l.ID)
	h.eventually("the thread's first message", 10*time.Second, func() bool { return len(h.fake.Messages(thread)) > 0 })
	from := time.Now()
	until := from.Add(outage)
	h.fake.FailBetween(http.StatusServiceUnavailable, from, until)
	// The first thread message after the outage is created, but its
	// answer is lost: only its nonce keeps the retry from posting it twice.
	threadPosts := func(method, path string) bool { return method == "POST" && path == "/channels/"+thread+"/messages" }
	h.fake.LoseAnswers(threadPosts, http.StatusBadGateway, 1)

	lobbyMsg := h.waitState(l.ID, "APPLIED", 60*time.Second)
	last, final, log := h.finalMessage(thread, "APPLIED")
	if ended := h.logTime(`"msg":"terraform apply finished"`, sid); !ended.Before(until) {
		t.Fatalf("terraform ended %s after the outage began, after its end: the test did not test an apply during it", ended.Sub(from))
	}
	if !strings.Contains(final, "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.") {
		t.Errorf("final message %q", final)
	}
	msgs := h.fake.Messages(thread)
	if msgs[last].CreatedAt.Before(until) || lobbyMsg.EditedAt.Before(until) {
		t.Errorf("final message at %s and lobby at %s, want both after the outage's end at %s",
			msgs[last].CreatedAt.Sub(from), lobbyMsg.EditedAt.Sub(from), outage)
	}

	// Every line once, in order: none lost, none shown twice.
	var shown []string
	finals := 0
	for _, m := range msgs {
		shown = append(shown, m.Content)
		if strings.HasPrefix(m.Content, "**APPLIED**") {
			finals++
		}
	}
	lines := strings.Split(strings.TrimRight(string(log), "\n"), "\n")
	if got := streamed(shown); strings.Join(got, "\n") != strings.Join(lines, "\n") {
		t.Errorf("the thread shows %d lines, the log has %d:\nthread:\n%s\nlog:\n%s", len(got), len(lines), strings.Join(got, "\n"), log)
	}
	if finals != 1 {
		t.Errorf("%d closing messages, want 1", finals)
	}

	// During the outage each of an apply's senders has at most one call
	// under way (a call outlasts the outage: its eight attempts wait 18 s
	// or more), except the lobby, whose APPLYING edit is abandoned for the
	// final one: three calls, each at most MaxAttempts requests.
	during, lost := 0, ""
	for _, q := range h.fake.Requests() {
		if !q.Time.Before(from) && q.Time.Before(until) {
			during++
		}
		if q.Status == http.StatusBadGateway && threadPosts(q.Method, strings.TrimPrefix(q.Path, "/api/v10")) {
			lost = nonce(t, q.Body)
		}
	}
	if limit := 3 * discordhttp.MaxAttempts; during == 0 || during > limit {
		t.Errorf("%d requests during the outage, want 1 to %d", during, limit)
	}
	if lost == "" {
		t.Fatalf("no thread message lost its answer; the test did not test the nonce")
	}
	withNonce := 0
	for _, m := range msgs {
		if m.Nonce == lost {
			withNonce++
		}
	}
	if withNonce != 1 {
		t.Errorf("%d messages with the lost answer's nonce %s, want 1", withNonce, lost)
	}
	t.Logf("%d requests during the %s outage; final message %s and lobby %s after its start",
		during, outage, msgs[last].CreatedAt.Sub(from).Round(time.Millisecond), lobbyMsg.EditedAt.Sub(from).Round(time.Millisecond))
}

func nonce(t *testing.T, body []byte) string {
	t.Helper()
	var b struct {
		Nonce   string `json:"nonce"`
		Enforce bool   `json:"enforce_nonce"`
	}
	if err := json.Unmarshal(body, &b); err != nil || !b.Enforce {
		t.Fatalf("message body %s: want a nonce with enforce_nonce (%v)", body, err)
	}
	return b.Nonce
}
