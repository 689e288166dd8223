package tf

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// The test provider of tf/testdata/testprovider, as terraform knows it.
const (
	cetestVersion = "0.1.0"
	cetestSource  = "cloudengine/cetest"
	cetestAddress = "registry.terraform.io/" + cetestSource
)

// cetestMirror is a filesystem mirror holding the test provider packed as
// the registry ships it, and a CLI configuration that installs from it.
type cetestMirror struct {
	dir       string // the mirror: registry.terraform.io/cloudengine/cetest/*.zip
	cliConfig string // provider_installation { filesystem_mirror { path = dir } }
}

// buildCetest builds the test provider (its own module; Go's build cache
// keeps a rebuild to a link) and packs it into a new mirror.
func buildCetest(t testing.TB) cetestMirror {
	t.Helper()
	work := t.TempDir()
	bin := filepath.Join(work, "terraform-provider-cetest_v"+cetestVersion)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join("testdata", "testprovider")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the test provider: %v\n%s", err, out)
	}
	m := cetestMirror{dir: filepath.Join(work, "mirror"), cliConfig: filepath.Join(work, "cli.tfrc")}
	pkg := filepath.Join(m.dir, cetestAddress,
		fmt.Sprintf("terraform-provider-cetest_%s_%s_%s.zip", cetestVersion, runtime.GOOS, runtime.GOARCH))
	if err := packZip(bin, pkg); err != nil {
		t.Fatal(err)
	}
	cli := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", m.dir)
	if err := os.WriteFile(m.cliConfig, []byte(cli), 0o600); err != nil {
		t.Fatal(err)
	}
	return m
}

// packZip writes a registry-style package: a zip holding the executable.
func packZip(bin, pkg string) error {
	if err := os.MkdirAll(filepath.Dir(pkg), 0o700); err != nil {
		return err
	}
	out, err := os.Create(pkg)
	if err != nil {
		return err
	}
	defer out.Close()
	in, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer in.Close()
	zw := zip.NewWriter(out)
	h := &zip.FileHeader{Name: filepath.Base(bin), Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return out.Close()
}

// newCetestEngine is a test engine whose terraform installs providers
// from the mirror, through TF_CLI_CONFIG_FILE as an operator would set it.
func newCetestEngine(t testing.TB, m cetestMirror, mod func(*Config)) *testEngine {
	t.Helper()
	return newTestEngine(t, func(c *Config) {
		c.Env = append(withoutVar(os.Environ(), "TF_CLI_CONFIG_FILE"), "TF_CLI_CONFIG_FILE="+m.cliConfig)
		if mod != nil {
			mod(c)
		}
	})
}

func withoutVar(environ []string, name string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// cetestFile is one cetest_file resource.
type cetestFile struct {
	Directory string `json:"directory"`
	Name      string `json:"name"`
	Content   string `json:"content"`
	Delay     string `json:"delay,omitempty"`
}

// cetestConfig is a configuration that requires the test provider, with
// the engine's own backend for the deployment stateKey. The catalog has no
// cetest types: tests hand it to the engine where a generated one goes.
func cetestConfig(t testing.TB, e *testEngine, stateKey string, files map[string]cetestFile) []byte {
	t.Helper()
	if _, err := e.backendFor(stateKey); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{
		"terraform": map[string]any{
			"required_version":   requiredTerraform,
			"required_providers": map[string]providerRequirement{"cetest": {Source: cetestSource, Version: cetestVersion}},
			"backend":            map[string]any{"local": localBackend{Path: localStatePath}},
		},
		"resource": map[string]any{"cetest_file": files},
	}
	out, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// planConfig runs the engine's plan of a session whose configuration is
// config, through the same open (write, install, init) as Plan.
func planConfig(ctx context.Context, e *testEngine, session string, config []byte) (*deploy.Plan, *deploy.Artifact, error) {
	ws, err := e.openSession(ctx, session, config, nil)
	if err != nil {
		return nil, nil, err
	}
	defer ws.release()
	return e.plan(ctx, ws, false, time.Now())
}

// applyConfig applies a saved plan in the session's directory, rebuilt
// from config and the artifact's lock file as Apply does.
func applyConfig(ctx context.Context, e *testEngine, session string, config []byte, art *deploy.Artifact, onLine func(string)) (*deploy.ApplyResult, error) {
	ws, err := e.openSession(ctx, session, config, art.LockFile)
	if err != nil {
		return nil, err
	}
	defer ws.release()
	if err := writeFile(ws.dir, applyFile, art.PlanFile); err != nil {
		return nil, err
	}
	return e.apply(ctx, ws, applyFile, onLine)
}

func (e *testEngine) openSession(ctx context.Context, session string, config, lock []byte) (*workspace, error) {
	dir, err := e.workDir(testGuild, session)
	if err != nil {
		return nil, err
	}
	path, err := e.execPath()
	if err != nil {
		return nil, err
	}
	return e.open(ctx, dir, path, config, lock, session)
}

const testGuild = "100200300"

// providerLink is where a working directory's terraform finds the test
// provider for this platform.
func providerLink(e *testEngine, session string) string {
	return filepath.Join(workPath(e, testGuild, session), ".terraform", "providers", cetestAddress, cetestVersion,
		runtime.GOOS+"_"+runtime.GOARCH)
}

// diskUsage sums the sizes of the regular files under dir, not following
// links: what a working directory costs on disk.
func diskUsage(t testing.TB, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
