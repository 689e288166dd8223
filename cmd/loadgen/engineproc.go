package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// buildEngine builds the cloud-engine binary into dir, as `make build`
// does. The deployments scenario runs the engine as a child process so
// that its memory is its own: in-process, the fake Discord and the load
// generator would count in the engine's peak RSS.
func buildEngine(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "cloud-engine")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "github.com/cloudengine/cloud-engine/cmd/cloud-engine")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build cloud-engine (run loadgen from the repository): %w\n%s", err, out)
	}
	return bin, nil
}

// engineSpec is how one replica is started.
type engineSpec struct {
	bin, terraform, discordURL, databaseURL, dir string
	key                                          ed25519.PublicKey
	maxRuns                                      int
}

// engineProc is one running replica: `cloud-engine serve` in its own
// process group, so that stopping it stops the terraform it started.
type engineProc struct {
	cmd     *exec.Cmd
	url     string
	logPath string
	exited  chan struct{}
}

func startEngine(ctx context.Context, s engineSpec) (*engineProc, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	metrics, err := freeAddr()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(s.dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(s.dir, "engine.log"))
	if err != nil {
		return nil, err
	}
	defer log.Close()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=",
		"DISCORD_PUBLIC_KEY=" + hex.EncodeToString(s.key), "DISCORD_APPLICATION_ID=" + appID,
		"DISCORD_BOT_TOKEN=loadgen-bot-token", "DISCORD_API_URL=" + s.discordURL, "ALLOWED_GUILD_IDS=" + guildID,
		"DATA_DIR=" + data, "TERRAFORM_PATH=" + s.terraform, "LISTEN_ADDR=" + addr, "METRICS_ADDR=" + metrics,
		"MAX_CONCURRENT_RUNS=" + strconv.Itoa(s.maxRuns), "SHUTDOWN_GRACE=30s", "LOG_LEVEL=info", "LOG_FORMAT=json",
	}
	if s.databaseURL != "" {
		env = append(env, "DATABASE_URL="+s.databaseURL)
	}
	p := &engineProc{url: "http://" + addr, logPath: log.Name(), exited: make(chan struct{})}
	p.cmd = exec.Command(s.bin, "serve")
	p.cmd.Env, p.cmd.Dir, p.cmd.Stdout, p.cmd.Stderr = env, s.dir, log, log
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start cloud-engine: %w", err)
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	if err := p.waitHealthy(ctx); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

func (p *engineProc) pid() int { return p.cmd.Process.Pid }

func (p *engineProc) waitHealthy(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return fmt.Errorf("cloud-engine exited at start; see %s", p.logPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := http.Get(p.url + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("cloud-engine did not answer /healthz within 30 s; see %s", p.logPath)
}

// stop sends SIGTERM as Kubernetes would, then ends what is left of the
// process group.
func (p *engineProc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(40 * time.Second):
	}
	if err := syscall.Kill(-p.pid(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		fmt.Fprintln(os.Stderr, "loadgen: kill the engine's group:", err)
	}
	<-p.exited
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
