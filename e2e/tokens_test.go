package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestNoInteractionTokenInDebugLogs runs a whole deployment at LOG_LEVEL
// debug, waits until disgo's rate limiter has logged the buckets it cleans
// up (their hashes hold "interaction.token=<token>"), and lets the harness
// scan every log line for every token the test issued.
func TestNoInteractionTokenInDebugLogs(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	h.deployed(alice, "dev", "web")
	h.eventually("disgo to clean up a bucket of an interaction", 10*time.Second, func() bool {
		for _, line := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(line, "cleaning up bucket") && strings.Contains(line, "interaction.token=") {
				return true
			}
		}
		return false
	})
	h.stop()
	if !strings.Contains(h.logs.String(), "interaction.token=[REDACTED]") {
		t.Errorf("no bucket hash was logged redacted; the test saw too little")
	}
	// start's cleanup scans the logs for every token issued.
}
