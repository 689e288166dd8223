package e2e

import (
	"strings"
	"testing"
	"time"
)

// streamed returns the apply lines shown in code blocks of msgs, in order.
func streamed(msgs []string) []string {
	var out []string
	for _, m := range msgs {
		if !strings.HasPrefix(m, "```\n") {
			continue
		}
		body := strings.TrimSuffix(strings.TrimPrefix(m, "```\n"), "\n```")
		out = append(out, strings.Split(body, "\n")...)
	}
	return out
}

// wantAllLines checks that every line of the log file was shown, in order.
func wantAllLines(t *testing.T, log string, shown []string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(log, "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("log file too short: %q", log)
	}
	i := 0
	for _, s := range shown {
		if i < len(lines) && s == lines[i] {
			i++
		}
	}
	if i != len(lines) {
		t.Errorf("line %d of the log (%q) was not streamed in order; streamed:\n%s", i+1, lines[i], strings.Join(shown, "\n"))
	}
}

func TestApplyThreadAndLogFile(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web", "api")
	sid := l.field("Session")
	approved := time.Now()
	h.click(alice, l.ID, l.id("Approve & Deploy"))
	thread := h.threadOf(l.ID)
	h.eventually("a first thread message", 10*time.Second, func() bool { return len(h.fake.Messages(thread)) > 0 })
	first := h.fake.Messages(thread)[0]
	t.Logf("approve → first thread message: %s", first.CreatedAt.Sub(approved))
	if d := first.CreatedAt.Sub(approved); d > time.Second {
		t.Errorf("first thread message %s after the approval", d)
	}
	for _, th := range h.fake.Threads() {
		if th.ID == thread && th.Name != "deploy-dev-"+sid {
			t.Errorf("thread name %q", th.Name)
		}
	}
	last, final, log := h.finalMessage(thread, "APPLIED")
	if !strings.Contains(final, "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.") {
		t.Errorf("final message %q", final)
	}
	msgs := h.fake.Messages(thread)
	var shown []string
	for _, m := range msgs[:last] {
		shown = append(shown, m.Content)
	}
	wantAllLines(t, string(log), streamed(shown))
	if strings.Contains(string(log), `"@level"`) {
		t.Errorf("the log holds raw JSON: %q", log)
	}
	if name := msgs[last].Attachments[0].Filename; name != "deploy-"+sid+".log" {
		t.Errorf("log file named %q", name)
	}

	// Time from terraform's end to the final lobby edit.
	lobbyMsg := h.waitState(l.ID, "APPLIED", 10*time.Second)
	ended := h.logTime(`"msg":"terraform apply finished"`, sid)
	d := lobbyMsg.EditedAt.Sub(ended)
	t.Logf("terraform's last line → final lobby edit: %s", d)
	if d > time.Second {
		t.Errorf("final lobby edit %s after terraform ended", d)
	}
}

func TestApplyOutputWithoutThread(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.DenyThreads(h.channel)
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "web")
	h.click(alice, l.ID, l.id("Approve & Deploy"))
	h.waitState(l.ID, "APPLIED", 60*time.Second)
	if n := len(h.fake.Threads()); n != 0 {
		t.Fatalf("%d threads despite the denial", n)
	}
	last, final, log := h.finalMessage(h.channel, "APPLIED")
	if !strings.Contains(final, "Apply complete! Resources: 1 added") {
		t.Errorf("final message %q", final)
	}
	var shown []string
	for _, m := range h.fake.Messages(h.channel)[:last] {
		shown = append(shown, m.Content)
	}
	wantAllLines(t, string(log), streamed(shown))
	logs := h.logs.String()
	if !strings.Contains(logs, "no thread for the apply output") || !strings.Contains(logs, "Missing Access") && !strings.Contains(logs, "403") {
		t.Errorf("the log does not say why there is no thread")
	}
}
