package tf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// interruptible writes a stand-in terraform that, once interrupted, takes
// finishSeconds to wrap up its work (writing marker) before it exits; it
// never exits by itself within the test.
func interruptible(t *testing.T, finishSeconds int, marker string) string {
	t.Helper()
	script := fmt.Sprintf(`#!/bin/sh
if [ "$1" = version ]; then
	echo '{"terraform_version":"1.5.7","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}'
	exit 0
fi
trap 'sleep %d >/dev/null 2>&1; echo saved > "%s"; exit 1' INT
sleep 20 >/dev/null 2>&1 &
wait $!
`, finishSeconds, marker)
	path := filepath.Join(t.TempDir(), "terraform")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInterruptGrace: after an interrupt, terraform gets INTERRUPT_GRACE to
// finish what is in flight, and is killed when it takes longer.
func TestInterruptGrace(t *testing.T) {
	tests := []struct {
		name      string
		grace     time.Duration
		wantSaved bool
		maxWait   time.Duration
	}{
		{"finishes within the grace", 10 * time.Second, true, 8 * time.Second},
		{"killed after the grace", 300 * time.Millisecond, false, 1500 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "saved")
			bin := interruptible(t, 2, marker)
			e := newTestEngine(t, func(c *Config) { c.Path, c.InterruptGrace = bin, tc.grace })
			tf, err := e.newTerraform(t.TempDir(), bin)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(300*time.Millisecond, cancel)
			start := time.Now()
			_, _ = tf.Validate(ctx)
			took := time.Since(start) - 300*time.Millisecond
			if took > tc.maxWait {
				t.Errorf("terraform ended %s after the interrupt, want within %s", took, tc.maxWait)
			}
			_, err = os.Stat(marker)
			if saved := err == nil; saved != tc.wantSaved {
				t.Errorf("terraform finished its work: %v, want %v (ended %s after the interrupt)", saved, tc.wantSaved, took)
			}
		})
	}
}
