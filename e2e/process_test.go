package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// engineProc is cloud-engine running as its own process group, as an
// operator runs it: the test can kill it, and everything it started, at once.
type engineProc struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when the engine has exited
	stderr bytes.Buffer
}

// procSetup is what a service process is started with; a restart reuses it.
type procSetup struct {
	bin       string
	key       ed25519.PrivateKey
	fake      *discordtest.Fake
	dataDir   string
	terraform string
	env       []string // more variables, e.g. DATABASE_URL
}

// buildEngine builds ./cmd/cloud-engine for the test.
func buildEngine(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cloud-engine")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/cloud-engine")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build cloud-engine: %v\n%s", err, out)
	}
	return bin
}

func newProcSetup(t *testing.T, fake *discordtest.Fake, env ...string) *procSetup {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &procSetup{bin: buildEngine(t), key: priv, fake: fake, dataDir: t.TempDir(), terraform: terraformPath(t), env: env}
}

// startProcess starts serve and returns a harness that talks to it; the
// test reads the service's database through its own connection.
func startProcess(t *testing.T, ps *procSetup) (*harness, *engineProc) {
	t.Helper()
	addr := freeAddr(t)
	env := append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=",
		"DISCORD_PUBLIC_KEY=" + hex.EncodeToString(ps.key.Public().(ed25519.PublicKey)),
		"DISCORD_APPLICATION_ID=" + appID, "DISCORD_BOT_TOKEN=" + botToken, "DISCORD_API_URL=" + ps.fake.URL(),
		"DATA_DIR=" + ps.dataDir, "TERRAFORM_PATH=" + ps.terraform, "LISTEN_ADDR=" + addr, "METRICS_ADDR=" + freeAddr(t),
		"CLEANUP_INTERVAL=2s", "LOG_LEVEL=info",
	}, ps.env...)
	p := &engineProc{exited: make(chan struct{})}
	p.cmd = exec.Command(ps.bin, "serve")
	p.cmd.Env, p.cmd.Dir, p.cmd.Stderr, p.cmd.Stdout = env, t.TempDir(), &p.stderr, io.Discard
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { p.kill(t) })
	h := &harness{t: t, fake: ps.fake, url: "http://" + addr, key: ps.key, logs: &discordtest.LogBuffer{}, guild: guildID, channel: channelID}
	h.eventually("the engine to answer", 30*time.Second, func() bool {
		resp, err := http.Get(h.url + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
	dbURL := ""
	for _, kv := range ps.env {
		if v, ok := cutPrefix(kv, "DATABASE_URL="); ok {
			dbURL = v
		}
	}
	store, err := db.Open(context.Background(), dbURL, ps.dataDir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	h.store = store
	return h, p
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// kill ends the whole process group with SIGKILL (kill -9): the engine and
// the terraform it runs, with no chance to clean up.
func (p *engineProc) kill(t *testing.T) {
	t.Helper()
	if p.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Errorf("the engine outlived SIGKILL")
	}
}

// groupGone reports whether no process of the group is left.
func (p *engineProc) groupGone() bool {
	return errors.Is(syscall.Kill(-p.cmd.Process.Pid, 0), syscall.ESRCH)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
