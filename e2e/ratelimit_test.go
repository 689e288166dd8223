package e2e

import (
	"strings"
	"testing"
	"time"
)

func TestApplyOutputSurvivesRateLimits(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l := h.plannedLobby(alice, "dev", "vm-a", "vm-b", "vm-c")
	// Every request on a thread's messages is refused with 429 a dozen times.
	h.fake.FailNext(func(method, path string) bool {
		return strings.HasPrefix(path, "/channels/") && strings.Contains(path, "/messages") && !strings.Contains(path, "/threads") &&
			!strings.Contains(path, "/channels/"+h.channel+"/")
	}, 429, 12)
	h.click(alice, l.ID, l.id("Approve & Deploy"))
	thread := h.threadOf(l.ID)
	last, _, log := h.finalMessage(thread, "APPLIED")
	var shown []string
	for _, m := range h.fake.Messages(thread)[:last] {
		shown = append(shown, m.Content)
	}
	wantAllLines(t, string(log), streamed(shown))

	limited, edits := 0, map[string][]time.Time{}
	for _, q := range h.fake.Requests() {
		if !strings.Contains(q.Path, "/channels/"+thread+"/messages") {
			continue
		}
		if q.Status == 429 {
			limited++
			continue
		}
		if q.Method == "PATCH" && q.Status == 200 {
			msg := q.Path[strings.LastIndex(q.Path, "/")+1:]
			edits[msg] = append(edits[msg], q.Time)
		}
	}
	if limited == 0 {
		t.Fatalf("no request was rate limited; the test did not test anything")
	}
	for msg, ts := range edits {
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); gap < 2*time.Second-50*time.Millisecond {
				t.Errorf("message %s edited twice within %s", msg, gap)
			}
		}
	}
	t.Logf("%d answers 429, edits per message %v", limited, len(edits))
}
