package e2e

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/db/dbtest"
)

// TestDatabaseOutageUnderTraffic: PostgreSQL goes away for 10 s while a
// plan runs and members keep clicking. /readyz says 503 naming the
// database, PINGs are answered, every interaction is answered within
// Discord's 3 s, and once the database is back the service recovers
// without a restart and the plan ends in a planned or final state.
func TestDatabaseOutageUnderTraffic(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(dbtest.PostgresURL(t, "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := dbtest.NewProxy(t, u.Host)
	u.Host = proxy.Addr()
	slow := slowTerraform(t, "plan", 4*time.Second)
	h := start(t, options{configure: func(c *config.Config) { c.DatabaseURL, c.TerraformPath = u.String(), slow }})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l, _ := h.openLobby(alice, "dev")
	if r := h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"}); r.Type != 6 {
		t.Fatalf("add answered %s", r.Raw)
	}
	h.waitState(l.ID, "PLANNING", 10*time.Second)

	proxy.Cut()
	back := time.Now().Add(10 * time.Second)
	if code, body := h.readyz(); code != http.StatusServiceUnavailable || !strings.Contains(body, "database") || strings.Contains(body, u.Host) {
		t.Errorf("/readyz during the outage: %d %q", code, body)
	}
	for time.Now().Before(back) {
		if r := h.ping(h.guild); r.Status != http.StatusOK || r.Type != 1 {
			t.Errorf("PING during the outage: %d %s", r.Status, r.Raw)
		}
		for _, do := range []func() reply{
			func() reply { return h.command(alice, "cloud-list") },
			func() reply { return h.command(alice, "cloud-projects") },
			func() reply { return h.click(alice, l.ID, l.id("Re-plan")) },
		} {
			start := time.Now()
			r := do()
			if took := time.Since(start); took > 3*time.Second || r.Status != http.StatusOK {
				t.Errorf("an interaction during the outage: %d after %s: %s", r.Status, took, r.Raw)
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	proxy.Restore()

	h.eventually("/readyz to recover", 30*time.Second, func() bool { code, _ := h.readyz(); return code == http.StatusOK })
	if r := h.command(alice, "cloud-list"); r.Type != 4 || !strings.Contains(text(r.Data), "dev") {
		t.Errorf("/cloud-list after the outage: %s", r.Raw)
	}
	h.eventually("the plan to end", 60*time.Second, func() bool {
		st := h.lobbyNow(l.ID).field("State")
		return st == "PLANNED" || st == "PLAN_FAILED"
	})
}

// readyz returns /readyz's status and body.
func (h *harness) readyz() (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.url + "/readyz")
	if err != nil {
		h.t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
