package tf

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// BenchmarkPipelineOverhead measures what the engine adds to a bare
// `terraform plan` of the same generated configuration (median of 10 each,
// for a first plan in a fresh directory and for a re-plan), and the peak
// memory of 10 plans at once. The loop itself times warm re-plans.
//
//	go test ./tf -run '^$' -bench PipelineOverhead -benchtime 10x
func BenchmarkPipelineOverhead(b *testing.B) {
	e := newTestEngine(b, func(c *Config) { c.MaxConcurrent = 10 })
	ctx := context.Background()
	req := sandboxRequest("bench000", vm("web"), network("net"))
	if _, _, err := e.Plan(ctx, req); err != nil {
		b.Fatal(err)
	}
	bare := median(10, func() { bareTerraformPlan(b, e, req) })
	warm := median(10, func() { mustBenchPlan(b, e, req) })
	n := 0
	cold := median(10, func() {
		n++
		mustBenchPlan(b, e, sandboxRequest(fmt.Sprintf("cold%04d", n), vm("web"), network("net")))
	})
	heapPeak, childRSS := concurrentPeak(b, e, 10)
	b.ResetTimer()
	for b.Loop() {
		mustBenchPlan(b, e, req)
	}
	// Reported after the loop: ResetTimer would discard them.
	b.ReportMetric(float64(bare.Milliseconds()), "bare-plan-ms")
	b.ReportMetric(float64((warm - bare).Milliseconds()), "replan-overhead-ms")
	b.ReportMetric(float64((cold - bare).Milliseconds()), "first-plan-overhead-ms")
	b.ReportMetric(float64(heapPeak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(childRSS)/1024, "terraform-max-rss-MiB")
}

func mustBenchPlan(b *testing.B, e *testEngine, req deploy.PlanRequest) {
	if _, _, err := e.Plan(context.Background(), req); err != nil {
		b.Fatal(err)
	}
}

// bareTerraformPlan is the baseline: terraform plan -out in the already
// initialised working directory, nothing else.
func bareTerraformPlan(b *testing.B, e *testEngine, req deploy.PlanRequest) {
	cmd := exec.Command(terraformBinary(b), "plan", "-input=false", "-no-color", "-out=bare.tfplan")
	cmd.Dir = workPath(e, req.GuildID, req.SessionID)
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("bare plan: %v\n%s", err, out)
	}
}

func median(n int, f func()) time.Duration {
	d := make([]time.Duration, n)
	for i := range d {
		start := time.Now()
		f()
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	return d[n/2]
}

// concurrentPeak runs n first plans at once and returns the engine's peak
// heap and the largest terraform process's peak RSS in KiB.
func concurrentPeak(b *testing.B, e *testEngine, n int) (heap uint64, childKiB int64) {
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			mustBenchPlan(b, e, sandboxRequest(fmt.Sprintf("peak%04d", i), vm("web"), network("net")))
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	return peak, ru.Maxrss
}
