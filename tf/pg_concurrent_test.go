package tf

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestPGBackendConcurrentDeployments: new deployments planning and applying
// at the same moment on the pg backend, whose workspace creations and locks
// contend for one advisory lock, all succeed.
func TestPGBackendConcurrentDeployments(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Fatal("TEST_DATABASE_URL is not set: run `bash scripts/with-postgres.sh go test ./tf/`")
	}
	const n = 8
	e := newTestEngine(t, func(c *Config) { c.DatabaseURL, c.MaxConcurrent = url, n })
	prefix := make([]byte, 3)
	_, _ = rand.Read(prefix)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			req := sandboxRequest("c"+hex.EncodeToString(prefix)+string(rune('a'+i)), vm("web"))
			_, art, err := e.Plan(context.Background(), req)
			if err == nil {
				_, err = e.Apply(context.Background(), deploy.ApplyRequest{PlanRequest: req, Artifact: art}, nil)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("deployment %d: %v", i, err)
		}
	}
}
