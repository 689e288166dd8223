package e2e

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

func timeNow() time.Time { return time.Now() }

func TestTerraformMissing(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no", "terraform")
	h := start(t, options{configure: func(c *config.Config) { c.TerraformPath = missing }})

	resp, err := http.Get(h.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "Terraform not found at "+missing) {
		t.Errorf("/readyz answered %d %q", resp.StatusCode, body)
	}
	if resp, err := http.Get(h.url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("/healthz: %v %v", resp, err)
	}

	h.setupProject("dev", 0, grant{alice, "deploy"})
	l, _ := h.openLobby(alice, "dev")
	h.addResource(alice, l, "compute_vm", map[string]string{"name": "web", "size": "small"})
	l = h.waitState(l.ID, "PLAN_FAILED", 30*time.Second)
	if got := l.field("Error"); !strings.HasPrefix(got, "Terraform not found at "+missing) {
		t.Errorf("error field %q", got)
	}
	if !l.disabled("Approve & Deploy") {
		t.Errorf("Approve enabled after a failed plan")
	}
}
