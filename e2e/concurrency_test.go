package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

func TestTenDeploymentsAtOnce(t *testing.T) {
	t.Parallel()
	h := start(t, options{rateLimit: 50, configure: func(c *config.Config) { c.MaxConcurrentRuns = 3 }})
	var members []user
	var grants []grant
	for i := range 10 {
		u := user{ID: fmt.Sprintf("44000000000000001%02d", i), Perms: "2147483648"}
		members = append(members, u)
		grants = append(grants, grant{u, "deploy"})
	}
	h.setupProject("dev", 0, grants...)

	var wg sync.WaitGroup
	lobbies := make([]lobby, len(members))
	for i, u := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := h.plannedLobby(u, "dev", fmt.Sprintf("vm%d", i))
			if r := h.click(u, l.ID, l.id("Approve & Deploy")); r.Type != 6 {
				t.Errorf("member %d: approve answered %s", i, r.Raw)
			}
			lobbies[i] = l
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	ids := map[string]bool{}
	for i, l := range lobbies {
		l = h.waitState(l.ID, "APPLIED", 90*time.Second)
		ids[l.field("Session")] = true
		if owner := l.field("Owner"); owner != "<@"+members[i].ID+">" {
			t.Errorf("lobby %d owner %s", i, owner)
		}
	}
	if len(ids) != 10 || len(h.fake.Threads()) != 10 {
		t.Errorf("%d sessions and %d threads, want 10 each", len(ids), len(h.fake.Threads()))
	}
	queued := false
	for _, q := range h.fake.Requests() {
		queued = queued || strings.Contains(string(q.Body), "queued")
	}
	if !queued {
		t.Errorf("no lobby said it was queued with 10 runs and 3 slots")
	}
}
