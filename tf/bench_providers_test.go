package tf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkFirstPlanProviders measures a new session's first plan when
// its provider comes from packed archives (the test provider's mirror of
// .zip files), against a warm re-plan, and the disk a working directory
// takes. "Before" is the init the engine ran until providers were shared:
// a fresh directory, no lock file, a shared TF_PLUGIN_CACHE_DIR. Then ten
// new sessions plan at once. The loop times first plans of new sessions.
//
//	go test ./tf -run '^$' -bench FirstPlanProviders -benchtime 5x
func BenchmarkFirstPlanProviders(b *testing.B) {
	m := buildCetest(b)
	e := newCetestEngine(b, m, func(c *Config) { c.MaxConcurrent = 10 })
	ctx := context.Background()
	out := b.TempDir()
	n := 0
	firstPlan := func() string {
		n++
		s := fmt.Sprintf("new%05d", n)
		files := map[string]cetestFile{"f": {Directory: out, Name: s, Content: s}}
		if _, _, err := planConfig(ctx, e, s, cetestConfig(b, e, s, files)); err != nil {
			b.Fatal(err)
		}
		return s
	}
	warmSession := firstPlan()
	warmConfig := cetestConfig(b, e, warmSession, map[string]cetestFile{"f": {Directory: out, Name: warmSession, Content: warmSession}})

	var oldDisk, newDisk int64
	oldInit := median(5, func() { oldDisk = oldStyleInit(b, e, m) })
	first := median(5, func() { newDisk = diskUsage(b, workPath(e, testGuild, firstPlan())) })
	warm := median(5, func() {
		if _, _, err := planConfig(ctx, e, warmSession, warmConfig); err != nil {
			b.Fatal(err)
		}
	})
	failures := concurrentFirstPlans(b, e, out, 10)
	b.ResetTimer()
	for b.Loop() {
		firstPlan()
	}
	b.ReportMetric(float64(oldInit.Milliseconds()), "before-init-ms")
	b.ReportMetric(float64(oldDisk)/1024, "before-disk-KiB/dir")
	b.ReportMetric(float64(first.Milliseconds()), "first-plan-ms")
	b.ReportMetric(float64(warm.Milliseconds()), "replan-ms")
	b.ReportMetric(float64(first)/float64(warm), "first/replan")
	b.ReportMetric(float64(newDisk)/1024, "disk-KiB/dir")
	b.ReportMetric(float64(failures), "failures/10-at-once")
	if failures > 0 {
		b.Errorf("%d of 10 sessions planning at once failed (first plan %v, re-plan %v, %d bytes per directory)", failures, first, warm, newDisk)
	}
}

// oldStyleInit is the init of a new session before this engine shared its
// providers, in a fresh directory; it returns the bytes the directory
// holds afterwards (links not followed).
func oldStyleInit(b *testing.B, e *testEngine, m cetestMirror) int64 {
	dir := b.TempDir()
	config := cetestConfig(b, e, "oldstyle", map[string]cetestFile{"f": {Directory: dir, Name: "f", Content: "f"}})
	if err := writeFile(dir, ConfigFile, config); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(terraformBinary(b), "init", "-input=false", "-no-color")
	cmd.Dir = dir
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cache := filepath.Join(e.dir, "plugin-cache")
	if err := os.MkdirAll(cache, 0o700); err != nil {
		b.Fatal(err)
	}
	cmd.Env = append(cmd.Env, "TF_PLUGIN_CACHE_DIR="+cache)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("old-style init: %v\n%s", err, out)
	}
	return diskUsage(b, dir)
}

// concurrentFirstPlans runs n new sessions' first plans at once and
// counts the failures.
func concurrentFirstPlans(b *testing.B, e *testEngine, out string, n int) int {
	var failed atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		s := fmt.Sprintf("at%02d", i)
		config := cetestConfig(b, e, s, map[string]cetestFile{"f": {Directory: out, Name: s, Content: s}})
		wg.Go(func() {
			if _, _, err := planConfig(context.Background(), e, s, config); err != nil {
				b.Logf("session %s: %v", s, err)
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	return int(failed.Load())
}
