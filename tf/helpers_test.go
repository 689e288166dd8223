package tf

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/deploy"
)

// terraformBinary finds the terraform the tests run: TERRAFORM_PATH, else
// PATH. A missing binary fails the test; `make test` provides one through
// scripts/ensure-terraform.sh.
func terraformBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("TERRAFORM_PATH=%s: %v (run scripts/ensure-terraform.sh)", p, err)
		}
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no terraform: set TERRAFORM_PATH or put terraform on PATH (scripts/ensure-terraform.sh builds one)")
	}
	return p
}

type testEngine struct {
	*Engine
	reg *prometheus.Registry
	dir string
}

func newTestEngine(t testing.TB, mod func(*Config)) *testEngine {
	t.Helper()
	reg := prometheus.NewRegistry()
	cfg := Config{Path: terraformBinary(t), DataDir: t.TempDir(), Env: os.Environ(), Registerer: reg}
	if mod != nil {
		mod(&cfg)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &testEngine{Engine: e, reg: reg, dir: cfg.DataDir}
}

func sandboxRequest(session string, rs ...deploy.Resource) deploy.PlanRequest {
	return deploy.PlanRequest{GuildID: "100200300", SessionID: session, StateKey: session,
		Provider: deploy.ProviderSandbox, Region: "us-central1", Resources: rs}
}

func vm(name string) deploy.Resource {
	return deploy.Resource{Type: typeComputeVM, Name: name, Params: map[string]string{"size": "medium"}}
}

func network(name string) deploy.Resource {
	return deploy.Resource{Type: typeNetwork, Name: name}
}

// stateResources reads a local state file and returns its resource addresses.
func stateResources(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read state: %v", err)
	}
	var st struct {
		Resources []struct {
			Mode, Type, Name string
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("state %s is not readable JSON: %v", path, err)
	}
	var out []string
	for _, r := range st.Resources {
		out = append(out, r.Type+"."+r.Name)
	}
	return out
}

func workPath(e *testEngine, guild, session string) string {
	return filepath.Join(e.dir, "work", guild, session)
}

// loggingTerraform wraps the real terraform in a script that appends, for
// each run, a line of its subcommand and then what the shell word extra
// gives (if any) to a log, so a test can tell what terraform was run and
// how. The shell then becomes terraform, which keeps its process.
func loggingTerraform(t *testing.T, extra string) (path, log string) {
	t.Helper()
	dir := t.TempDir()
	log = filepath.Join(dir, "commands.log")
	line := `$1`
	if extra != "" {
		line += " " + extra
	}
	script := fmt.Sprintf("#!/bin/sh\necho \"%s\" >> %q\nexec %q \"$@\"\n", line, log, terraformBinary(t))
	path = filepath.Join(dir, "terraform")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, log
}
