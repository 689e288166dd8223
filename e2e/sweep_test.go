package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

// TestSweepRemovesWorkingFilesOfEndedSessions: working files a crash left
// behind are removed for ended sessions only, and a deployment's state is
// never touched.
func TestSweepRemovesWorkingFilesOfEndedSessions(t *testing.T) {
	t.Parallel()
	a := start(t, options{})
	a.setupProject("dev", 0, grant{alice, "deploy"})
	open, _ := a.openLobby(alice, "dev")
	ended, _ := a.openLobby(alice, "dev")
	if r := a.click(alice, ended.ID, ended.id("Cancel")); r.Type != 6 {
		t.Fatalf("cancel answered %s", r.Raw)
	}
	a.waitState(ended.ID, "CANCELLED", 5*time.Second)
	dir := a.main.Config.DataDir
	a.stop()

	work := func(l lobby) string { return filepath.Join(dir, "work", a.guild, l.field("Session")) }
	state := filepath.Join(dir, "state", ended.field("Session"), "terraform.tfstate")
	for _, p := range []string{filepath.Join(work(open), "main.tf.json"), filepath.Join(work(ended), "main.tf.json"), state} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	b := start(t, options{fake: a.fake, configure: func(c *config.Config) { c.DataDir = dir }})
	b.eventually("the ended session's working files removed", 10*time.Second, func() bool {
		_, err := os.Stat(work(ended))
		return os.IsNotExist(err)
	})
	if _, err := os.Stat(work(open)); err != nil {
		t.Errorf("an open session's working files were removed: %v", err)
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("a state file was removed: %v", err)
	}
}
