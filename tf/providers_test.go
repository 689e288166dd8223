package tf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProvidersInstalledOnce: a new session's first plan takes the
// provider from the engine's installation: the second working directory
// links the same read-only package, and needs no mirror any more.
func TestProvidersInstalledOnce(t *testing.T) {
	m := buildCetest(t)
	e := newCetestEngine(t, m, nil)
	ctx := context.Background()
	out := t.TempDir()
	files := map[string]cetestFile{"a": {Directory: out, Name: "a.txt", Content: "one"}}

	if _, _, err := planConfig(ctx, e, "first001", cetestConfig(t, e, "first001", files)); err != nil {
		t.Fatalf("first session's plan: %v", err)
	}
	installed := filepath.Join(e.providers.root, cetestAddress, cetestVersion, filepath.Base(providerLink(e, "first001")))
	bin := filepath.Join(installed, "terraform-provider-cetest_v"+cetestVersion)
	before, err := os.Stat(bin)
	if err != nil {
		t.Fatalf("the engine's installation has no provider: %v", err)
	}
	if before.Mode().Perm()&0o222 != 0 {
		t.Errorf("installed provider is writable: %v", before.Mode())
	}

	// The mirror is gone: only the engine's installation can serve now.
	if err := os.RemoveAll(m.dir); err != nil {
		t.Fatal(err)
	}
	config := cetestConfig(t, e, "second01", files)
	p, art, err := planConfig(ctx, e, "second01", config)
	if err != nil {
		t.Fatalf("second session's plan reinstalled instead of reusing: %v", err)
	}
	if p.Line != "Plan: 1 to add, 0 to change, 0 to destroy." {
		t.Errorf("plan line %q", p.Line)
	}
	for _, s := range []string{"first001", "second01"} {
		target, err := os.Readlink(providerLink(e, s))
		if err != nil || target != installed {
			t.Errorf("%s: provider is %q (%v), want a link to the engine's %s", s, target, err, installed)
		}
		if n := diskUsage(t, workPath(e, testGuild, s)); n > before.Size()/10 {
			t.Errorf("%s: working directory holds %d bytes: a provider copy", s, n)
		}
	}
	after, err := os.Stat(bin)
	if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the installed provider was rewritten: %v", err)
	}

	if _, err := applyConfig(ctx, e, "second01", config, art, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(out, "a.txt")); err != nil || string(got) != "one" {
		t.Errorf("the provider's file = %q, %v", got, err)
	}
}

// TestProvidersConcurrentSessions: ten new sessions initialise and plan at
// once while an apply executes the same provider: none fails ("text file
// busy" was an init re-extracting the provider an apply was running), and
// the provider set is installed once.
func TestProvidersConcurrentSessions(t *testing.T) {
	m := buildCetest(t)
	e := newCetestEngine(t, m, func(c *Config) { c.MaxConcurrent = 12 })
	ctx := context.Background()
	out := t.TempDir()

	slow := cetestConfig(t, e, "slow0001", map[string]cetestFile{"slow": {Directory: out, Name: "slow.txt", Content: "s", Delay: "4s"}})
	_, art, err := planConfig(ctx, e, "slow0001", slow)
	if err != nil {
		t.Fatalf("slow plan: %v", err)
	}
	creating := make(chan struct{})
	applied := make(chan error, 1)
	go func() {
		var once sync.Once
		_, err := applyConfig(ctx, e, "slow0001", slow, art, func(l string) {
			if strings.Contains(l, "Creating...") {
				once.Do(func() { close(creating) })
			}
		})
		applied <- err
	}()
	select {
	case <-creating:
	case err := <-applied:
		t.Fatalf("slow apply ended before the sessions started: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("slow apply never started creating")
	}

	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			s := fmt.Sprintf("conc%04d", i)
			files := map[string]cetestFile{"f": {Directory: out, Name: s + ".txt", Content: s}}
			_, _, errs[i] = planConfig(ctx, e, s, cetestConfig(t, e, s, files))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("session %d: %v", i, err)
		}
	}
	if err := <-applied; err != nil {
		t.Errorf("the apply running beside them: %v", err)
	}
	sets, _ := os.ReadDir(e.providers.sets)
	staging, _ := os.ReadDir(e.providers.staging)
	if len(sets) != 1 || len(staging) != 0 {
		t.Errorf("provider sets %d (want 1), staging leftovers %d", len(sets), len(staging))
	}
}

// TestApplyOnAnotherReplica: a replica that never planned the session
// installs exactly the versions of the saved plan's lock file.
func TestApplyOnAnotherReplica(t *testing.T) {
	m := buildCetest(t)
	ctx := context.Background()
	out := t.TempDir()
	files := map[string]cetestFile{"x": {Directory: out, Name: "x.txt", Content: "x"}}
	planner := newCetestEngine(t, m, nil)
	applier := newCetestEngine(t, m, nil)
	// One state for both, as PostgreSQL would be: the planner's file.
	config := cetestConfig(t, planner, "replica1", files)
	_, art, err := planConfig(ctx, planner, "replica1", config)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(art.LockFile), cetestAddress) {
		t.Fatalf("the artifact's lock file does not pin the provider:\n%s", art.LockFile)
	}
	if _, err := applyConfig(ctx, applier, "replica1", config, art, nil); err != nil {
		t.Fatalf("apply on the other replica: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "x.txt")); err != nil {
		t.Errorf("apply wrote no file: %v", err)
	}
}
