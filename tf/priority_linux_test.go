//go:build linux

package tf

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestTerraformRunsAtLowerPriority: every terraform process of a plan and
// an apply (version, init, plan, both shows, apply) runs at terraformNice,
// while the engine keeps its own priority.
func TestTerraformRunsAtLowerPriority(t *testing.T) {
	if n := engineNice(t); n >= terraformNice {
		t.Skipf("the test already runs at nice %d", n)
	}
	// field 19 of /proc/<pid>/stat is the nice value
	wrapper, log := loggingTerraform(t, "$(cut -d' ' -f19 /proc/$$/stat)")
	e := newTestEngine(t, func(c *Config) { c.Path = wrapper })
	req := sandboxRequest("nice0001", vm("api"))
	_, art := mustPlan(t, e, req)
	if _, err := e.Apply(context.Background(), deploy.ApplyRequest{PlanRequest: req, Artifact: art}, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}

	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		cmd, nice, _ := strings.Cut(line, " ")
		seen[cmd] = true
		if nice != fmt.Sprint(terraformNice) {
			t.Errorf("terraform %s ran at nice %s, want %d", cmd, nice, terraformNice)
		}
	}
	for _, cmd := range []string{"version", "init", "plan", "show", "apply"} {
		if !seen[cmd] {
			t.Errorf("no terraform %s was logged: %v", cmd, seen)
		}
	}
	if n := engineNice(t); n >= terraformNice {
		t.Errorf("the engine's own priority fell to nice %d", n)
	}
}

// engineNice is the nice value of the calling thread, one of the engine's.
func engineNice(t *testing.T) int {
	t.Helper()
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatalf("getpriority: %v", err)
	}
	return 20 - prio // the system call answers 20 - nice
}
