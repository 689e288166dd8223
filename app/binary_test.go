package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// TestBinary builds cloud-engine once and runs it as an operator would.
func TestBinary(t *testing.T) {
	bin := buildBinary(t, "v9.8.7", "abc1234")
	t.Run("version", func(t *testing.T) {
		out, errOut, code := runBinary(t, bin, baseEnv(t), "version")
		if code != 0 || out != "cloud-engine v9.8.7 (abc1234)\n" {
			t.Errorf("version: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("bad configuration", func(t *testing.T) { testBadConfig(t, bin) })
	t.Run("SIGTERM", func(t *testing.T) { testSigterm(t, bin) })
	t.Run("register-commands", func(t *testing.T) { testRegister(t, bin) })
	t.Run("migrate sqlite", func(t *testing.T) {
		env := append(baseEnv(t), "DATA_DIR="+t.TempDir())
		testMigrate(t, bin, env, "sqlite")
	})
	t.Run("migrate postgres", func(t *testing.T) {
		env := append(baseEnv(t), "DATA_DIR="+t.TempDir(), "DATABASE_URL="+postgresURL(t))
		testMigrate(t, bin, env, "postgres")
	})
}

// testBadConfig: one missing or malformed variable stops serve with one
// line on stderr that names it.
func testBadConfig(t *testing.T, bin string) {
	tests := []struct {
		name     string
		drop     string
		extra    string
		variable string
	}{
		{"public key missing", "DISCORD_PUBLIC_KEY", "", "DISCORD_PUBLIC_KEY"},
		{"application id missing", "DISCORD_APPLICATION_ID", "", "DISCORD_APPLICATION_ID"},
		{"bot token missing", "DISCORD_BOT_TOKEN", "", "DISCORD_BOT_TOKEN"},
		{"public key not hex", "", "DISCORD_PUBLIC_KEY=not-a-key", "DISCORD_PUBLIC_KEY"},
		{"bad duration", "", "SESSION_TTL=soon", "SESSION_TTL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := serveEnv(t, "http://127.0.0.1:1/api/v10")
			env = dropVar(env, tc.drop)
			if tc.extra != "" {
				env = append(env, tc.extra)
			}
			_, errOut, code := runBinary(t, bin, env, "serve")
			if code == 0 {
				t.Fatal("serve started without a valid configuration")
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tc.variable) {
				t.Errorf("stderr %q: want one line naming %s", errOut, tc.variable)
			}
		})
	}
}

// testSigterm starts serve against a fake Discord and stops it.
func testSigterm(t *testing.T, bin string) {
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	env := serveEnv(t, fake.URL())
	addr := freeAddr(t)
	env = append(env, "LISTEN_ADDR="+addr, "METRICS_ADDR="+freeAddr(t))
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Dir, cmd.Stderr = env, t.TempDir(), &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	eventually(t, "GET /healthz to answer", 20*time.Second, func() bool {
		return get("http://"+addr+"/healthz") == "200 ok\n"
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, &stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM; stderr:\n%s", &stderr)
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
		t.Errorf("no \"stopped\" log line; stderr:\n%s", &stderr)
	}
}

// testRegister: register-commands bulk-overwrites the commands of
// one guild (the fake validates the body against Discord's OpenAPI file).
func testRegister(t *testing.T, bin string) {
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	env := serveEnv(t, fake.URL())
	out, errOut, code := runBinary(t, bin, env, "register-commands", "--guild", "2200000000000000001")
	if code != 0 || out != "registered 17 commands in guild 2200000000000000001\n" {
		t.Fatalf("register-commands: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if n := len(fake.Commands("2200000000000000001")); n != 17 {
		t.Errorf("the fake holds %d commands, want 17", n)
	}
	_, errOut, code = runBinary(t, bin, env, "register-commands", "--guild", "not-an-id")
	if code == 0 || !strings.Contains(errOut, "--guild") {
		t.Errorf("a bad --guild: exit %d, stderr %q", code, errOut)
	}
}

func testMigrate(t *testing.T, bin string, env []string, dialect string) {
	for i := range 2 { // the second run finds nothing to do
		out, errOut, code := runBinary(t, bin, env, "migrate")
		if code != 0 || !strings.Contains(out, "migrations applied ("+dialect+")") {
			t.Fatalf("migrate run %d: exit %d, stdout %q, stderr %q", i+1, code, out, errOut)
		}
	}
}

func buildBinary(t *testing.T, version, commit string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cloud-engine")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+version+" -X main.commit="+commit,
		"-o", bin, "./cmd/cloud-engine")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build cloud-engine: %v\n%s", err, out)
	}
	return bin
}

// runBinary runs bin in an empty directory (no .env) and returns its
// stdout, stderr and exit code.
func runBinary(t *testing.T, bin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, t.TempDir(), &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	}
	t.Fatalf("run %v: %v", args, err)
	return "", "", -1
}

// baseEnv is the environment of the process without any SPEC variable.
func baseEnv(t *testing.T) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=", "TERRAFORM_PATH=" + terraformPath(t)}
}

// serveEnv is everything serve needs, on loopback, with a throwaway DATA_DIR.
func serveEnv(t *testing.T, discordURL string) []string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return append(baseEnv(t),
		"DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub), "DISCORD_APPLICATION_ID="+appID,
		"DISCORD_BOT_TOKEN="+botToken, "DISCORD_API_URL="+discordURL, "DATA_DIR="+t.TempDir(),
		"LISTEN_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0")
}

func dropVar(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if name == "" || !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
