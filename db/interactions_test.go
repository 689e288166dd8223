package db

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRememberInteraction(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		steps := []struct {
			id   string
			at   time.Time
			want bool
		}{
			{"1300000000000000001", t0, true},
			{"1300000000000000001", t0.Add(time.Second), false},
			{"1300000000000000002", t0, true},
		}
		for _, s := range steps {
			got, err := db.RememberInteraction(ctx, s.id, s.at)
			if err != nil || got != s.want {
				t.Fatalf("RememberInteraction(%s) = %v, %v; want %v", s.id, got, err, s.want)
			}
		}

		// Racing deliveries of one id: exactly one is new.
		var wg sync.WaitGroup
		var fresh atomic.Int32
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ok, err := db.RememberInteraction(ctx, "1300000000000000003", t0); err != nil {
					t.Error(err)
				} else if ok {
					fresh.Add(1)
				}
			}()
		}
		wg.Wait()
		if fresh.Load() != 1 {
			t.Errorf("%d of 8 racing deliveries were new, want 1", fresh.Load())
		}

		if _, err := db.RememberInteraction(ctx, "1300000000000000004", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		n, err := db.ForgetInteractions(ctx, t0.Add(time.Minute))
		if err != nil || n != 3 {
			t.Fatalf("ForgetInteractions = %d, %v; want 3", n, err)
		}
		if ok, _ := db.RememberInteraction(ctx, "1300000000000000004", t0.Add(time.Hour)); ok {
			t.Error("a recent id was forgotten")
		}
	})
}
