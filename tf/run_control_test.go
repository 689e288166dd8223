package tf

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cloudengine/cloud-engine/deploy"
)

// slowConfig is a test-only configuration: a quick resource, then one whose
// local-exec provisioner sleeps, so that an apply can be interrupted midway.
func slowConfig(statePath string) []byte {
	cfg := map[string]any{
		"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": statePath}}},
		"resource": map[string]any{"terraform_data": map[string]any{
			"fast": map[string]any{"input": "fast"},
			"slow": map[string]any{
				"input":       "slow",
				"depends_on":  []string{"terraform_data.fast"},
				"provisioner": []any{map[string]any{"local-exec": map[string]any{"command": "sleep 20"}}},
			},
		}},
	}
	out, _ := json.Marshal(cfg)
	return out
}

func TestCancelDuringApply(t *testing.T) {
	e := newTestEngine(t, nil)
	dir := t.TempDir()
	statePath := filepath.Join(e.stateDir(), "cancel01", "terraform.tfstate")
	if err := os.MkdirAll(filepath.Dir(statePath), 0o700); err != nil {
		t.Fatal(err)
	}
	config := slowConfig(statePath)
	if err := writeFile(dir, ConfigFile, config); err != nil {
		t.Fatal(err)
	}
	tf, err := e.newTerraform(dir, terraformBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	ws := &workspace{dir: dir, tf: tf, release: func() {}}
	bg := context.Background()
	if err := e.init(bg, ws, config, nil); err != nil {
		t.Fatalf("init: %v", err)
	}
	if _, _, err := e.plan(bg, ws, false, time.Now()); err != nil {
		t.Fatalf("plan: %v", err)
	}

	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	start := time.Now()
	res, err := e.apply(ctx, ws, planFile, func(line string) {
		if strings.Contains(line, "terraform_data.slow: Provisioning with 'local-exec'") {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("apply error = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("interrupt took %v: terraform was not interrupted gracefully", took)
	}
	if !strings.Contains(res.Log, "terraform_data.fast: Creation complete") {
		t.Errorf("log %q", res.Log)
	}
	got := stateResources(t, statePath)
	if !slices.Contains(got, "terraform_data.fast") {
		t.Errorf("state after interrupt holds %v, want terraform_data.fast", got)
	}
}

func TestMaxConcurrentQueues(t *testing.T) {
	e := newTestEngine(t, func(c *Config) { c.MaxConcurrent = 1 })
	ctx := context.Background()
	hold, err := e.acquire(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var queued atomic.Int32
	done := make(chan error, 1)
	req := sandboxRequest("queue001", vm("web"))
	req.Queued = func() { queued.Add(1) }
	go func() {
		_, _, err := e.Plan(ctx, req)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for queued.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if queued.Load() != 1 {
		t.Fatalf("Queued called %d times while the only slot was taken", queued.Load())
	}
	select {
	case err := <-done:
		t.Fatalf("plan ran while the only slot was taken: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	hold()
	if err := <-done; err != nil {
		t.Fatalf("queued plan: %v", err)
	}

	// A queued run whose context ends gives up waiting and counts nothing.
	hold, _ = e.acquire(ctx, nil)
	defer hold()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, _, err := e.Plan(short, req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("queued plan past its deadline: %v", err)
	}
}

func TestMissingBinary(t *testing.T) {
	emptyDir := t.TempDir()
	cases := []struct {
		name, path, want string
		env              []string
	}{
		{"configured path", "/opt/none/terraform", "Terraform not found at /opt/none/terraform", nil},
		{"not on PATH", "", "Terraform not found at terraform", []string{"PATH=" + emptyDir, "HOME=" + emptyDir}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := New(Config{Path: c.path, DataDir: t.TempDir(), Env: c.env})
			if err != nil {
				t.Fatalf("New must not fail without terraform: %v", err)
			}
			for _, err := range []error{e.Check(), planErr(e)} {
				var de *deploy.Error
				if !errors.As(err, &de) || de.Code != ECodeMissing || de.Message != c.want {
					t.Errorf("error %#v, want %q", err, c.want)
				}
			}
		})
	}
}

func planErr(e *Engine) error {
	_, _, err := e.Plan(context.Background(), sandboxRequest("missing1", vm("web")))
	return err
}

// TestValidationBeforeTerraform: bad input is refused with the rule named,
// before terraform is even looked for.
func TestValidationBeforeTerraform(t *testing.T) {
	e, err := New(Config{Path: "/opt/none/terraform", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		res  deploy.Resource
		want string
	}{
		{"bad name", deploy.Resource{Type: typeComputeVM, Name: "Web_1"},
			`Invalid name "Web_1": use lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, 2–40 characters.`},
		{"bad size", deploy.Resource{Type: typeComputeVM, Name: "web", Params: map[string]string{"size": "huge"}},
			`Invalid size "huge": use small, medium or large.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := e.Plan(context.Background(), sandboxRequest("invalid1", c.res))
			var de *deploy.Error
			if !errors.As(err, &de) || de.Code != deploy.EINVALID || de.Message != c.want {
				t.Fatalf("error %v, want EINVALID %q", err, c.want)
			}
		})
	}
	if n := testutil.CollectAndCount(e.metrics.runs); n != 0 {
		t.Errorf("validation errors counted as %d terraform runs", n)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.DataDir, "work")); !os.IsNotExist(err) {
		t.Errorf("a working directory was made for invalid input")
	}
}
