package db

import (
	"context"
	"testing"
	"time"
)

// TestLockProjectExcludes: while one holder (one replica on PostgreSQL)
// has a project's quota lock, another waits; other projects do not.
func TestLockProjectExcludes(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			a := newStore(t, d)
			b := a
			if d == DialectPostgres {
				// Two replicas: a pool each on the same schema.
				url := newPostgresURL(t)
				a, b = openMigrated(t, url, ""), openMigrated(t, url, "")
			}
			unlock, err := a.LockProject(ctx, "g1", "dev")
			if err != nil {
				t.Fatal(err)
			}
			other, err := b.LockProject(ctx, "g1", "prod")
			if err != nil {
				t.Fatalf("another project is blocked: %v", err)
			}
			other()
			wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			if again, err := b.LockProject(wctx, "g1", "dev"); err == nil {
				again()
				t.Fatal("a second holder took the lock")
			}
			got := make(chan error, 1)
			go func() {
				u, err := b.LockProject(ctx, "g1", "dev")
				if err == nil {
					u()
				}
				got <- err
			}()
			time.Sleep(50 * time.Millisecond)
			unlock()
			select {
			case err := <-got:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the waiter never got the lock after unlock")
			}
		})
	}
}
