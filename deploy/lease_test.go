package deploy

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// renewals counts lease renewals; every other Store method is unused.
type renewals struct {
	Store
	n atomic.Int32
}

func (r *renewals) RenewLease(context.Context, int64, string, time.Time) (bool, error) {
	r.n.Add(1)
	return false, nil
}

// TestLeaseTimingFollowsSpec: production renews every 10 s and declares a
// run dead after 60 s (SPEC §1); a configured interval is what holdLease uses.
func TestLeaseTimingFollowsSpec(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name                   string
		cfg                    Config
		wantInterval, wantDead time.Duration
	}{
		{"defaults", Config{}, 10 * time.Second, 60 * time.Second},
		{"configured", Config{LeaseInterval: 20 * time.Millisecond, LeaseTimeout: time.Second}, 20 * time.Millisecond, time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := &renewals{}
			s := New(tc.cfg, store, nil, nil, nil, log, nil)
			if s.cfg.LeaseInterval != tc.wantInterval || s.cfg.LeaseTimeout != tc.wantDead {
				t.Fatalf("lease every %s, dead after %s; want %s and %s",
					s.cfg.LeaseInterval, s.cfg.LeaseTimeout, tc.wantInterval, tc.wantDead)
			}
			done := make(chan struct{})
			go s.holdLease(context.Background(), &Run{ID: 1}, func(error) {}, done)
			time.Sleep(250 * time.Millisecond)
			close(done)
			got := store.n.Load()
			if wantAtLeast := int32(250 * time.Millisecond / tc.wantInterval / 2); got < wantAtLeast || (wantAtLeast == 0 && got != 0) {
				t.Errorf("%d renewals in 250ms at an interval of %s", got, tc.wantInterval)
			}
		})
	}
}
