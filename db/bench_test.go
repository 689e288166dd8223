package db

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// benchWorkers is how many goroutines create sessions at once.
const benchWorkers = 8

// BenchmarkSessionLifecycle creates sessions and moves each through three
// transitions (DRAFT → PLANNING → PLANNED → APPROVED) from 8 goroutines,
// and reports sessions per second.
func BenchmarkSessionLifecycle(b *testing.B) {
	for _, d := range dialects {
		b.Run(d, func(b *testing.B) {
			db := newStore(b, d)
			mustProject(b, db, "g1", "dev")
			var seq atomic.Int64
			b.SetParallelism((benchWorkers + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					s := newSession("g1", "dev", "u1", fmt.Sprintf("b%07d", seq.Add(1)), vm("web-1"))
					if err := db.CreateSession(ctx, s); err != nil {
						b.Error(err)
						return
					}
					for _, to := range []deploy.State{deploy.StatePlanning, deploy.StatePlanned, deploy.StateApproved} {
						from := s.State
						s.State = to
						if err := db.SaveSession(ctx, s, from); err != nil {
							b.Error(err)
							return
						}
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
		})
	}
}
