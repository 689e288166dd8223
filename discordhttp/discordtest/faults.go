package discordtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// outage answers every request between from and until with status.
type outage struct {
	status      int
	from, until time.Time
}

// FailBetween answers every request that arrives between from and until
// with status (a 503 by Discord's edge, say), before authentication and
// rate limits, and without rate-limit headers: the proxy in front of
// Discord's API sends none during an outage. Requests are still recorded.
func (f *Fake) FailBetween(status int, from, until time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.outages = append(f.outages, outage{status: status, from: from, until: until})
}

// LoseAnswers carries out the next n requests that match, then answers
// them with status instead of the result, as when a proxy times out after
// Discord did the work: a client that sends such a request again without
// a nonce creates its message twice.
func (f *Fake) LoseAnswers(match func(method, path string) bool, status int, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lost = append(f.lost, failure{match: match, status: status, left: n})
}

// outageAt is the status of an outage at now, or 0.
func (f *Fake) outageAt(now time.Time) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, o := range f.outages {
		if !now.Before(o.from) && now.Before(o.until) {
			return o.status
		}
	}
	return 0
}

// takeLost consumes a lost answer; callers hold f.mu.
func (f *Fake) takeLost(method, path string) int {
	for i := range f.lost {
		l := &f.lost[i]
		if l.left > 0 && l.match(method, strings.TrimPrefix(path, apiPrefix)) {
			l.left--
			return l.status
		}
	}
	return 0
}

func writeStatus(w http.ResponseWriter, status int) {
	writeJSON(w, status, map[string]any{"message": fmt.Sprintf("%d: %s", status, http.StatusText(status)), "code": 0})
}
