package tf

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Error codes this package adds to deploy's.
const (
	// ECodeMissing: no terraform binary at the configured path or on PATH.
	ECodeMissing = "terraform_missing"
	// ECodeTerraform: terraform ran and failed; Message is its cleaned error.
	ECodeTerraform = "terraform"
)

// DefaultMaxConcurrent is MAX_CONCURRENT_RUNS' default.
const DefaultMaxConcurrent = 4

// DefaultInterruptGrace is INTERRUPT_GRACE's default (SPEC §3): long enough
// for a create in flight (a SQL instance takes minutes) to reach the state.
const DefaultInterruptGrace = 10 * time.Minute

// Config configures an Engine.
type Config struct {
	Path          string // TERRAFORM_PATH; "" looks up "terraform" on PATH
	DataDir       string // DATA_DIR
	DatabaseURL   string // postgres → pg backend; "" → local state files
	MaxConcurrent int    // MAX_CONCURRENT_RUNS (default 4)
	// InterruptGrace (INTERRUPT_GRACE, default DefaultInterruptGrace) is how
	// long an interrupted terraform may take to finish the operations in
	// flight and save its state before it is killed.
	InterruptGrace time.Duration
	// Env is the engine's environment (os.Environ()); only the variables
	// terraformEnv lists reach terraform.
	Env        []string
	Logger     *slog.Logger
	Registerer prometheus.Registerer
}

// Engine runs terraform for sessions. It implements deploy.Terraform.
type Engine struct {
	*Catalog
	cfg       Config
	env       map[string]string
	slots     chan struct{}
	providers *providerStore // the engine's one installation of each provider version
	dirsMu    sync.Mutex
	dirs      map[string]*dirHandle // working directory → its terraform handle
	log       *slog.Logger
	metrics   *metrics
	prices    *PriceTable
}

var _ deploy.Terraform = (*Engine)(nil)

// New builds an Engine. A missing terraform is not an error here: Check,
// Plan and Apply report it, so the service can start and say what is wrong.
func New(cfg Config) (*Engine, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("terraform engine: DataDir is required")
	}
	abs, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("terraform engine: data dir: %w", err)
	}
	cfg.DataDir = abs
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.InterruptGrace <= 0 {
		cfg.InterruptGrace = DefaultInterruptGrace
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registerer == nil {
		cfg.Registerer = prometheus.NewRegistry()
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	prices, err := LoadPrices()
	if err != nil {
		return nil, err
	}
	e := &Engine{
		Catalog: NewCatalog(), cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrent),
		log: cfg.Logger, metrics: m, prices: prices, dirs: map[string]*dirHandle{},
	}
	if e.env, err = e.terraformEnv(cfg.Env); err != nil {
		return nil, err
	}
	e.providers = newProviderStore(cfg.DataDir, e.newTerraform)
	return e, nil
}

// Check reports whether the terraform binary can be found.
func (e *Engine) Check() error {
	_, err := e.execPath()
	return err
}

// execPath resolves terraform on every call, so that installing it later
// needs no restart.
func (e *Engine) execPath() (string, error) {
	shown, look := e.cfg.Path, e.cfg.Path
	if look == "" {
		shown, look = "terraform", "terraform"
	}
	if !strings.ContainsRune(look, os.PathSeparator) {
		if p, ok := lookPath(look, e.env["PATH"]); ok {
			return p, nil
		}
	} else if st, err := os.Stat(look); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return look, nil
	}
	return "", &deploy.Error{Code: ECodeMissing, Message: "Terraform not found at " + shown}
}

// lookPath searches the PATH terraform will get, which is the engine's.
func lookPath(name, path string) (string, bool) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, true
		}
	}
	if path == "" {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// acquire takes a run slot, calling queued first when none is free.
func (e *Engine) acquire(ctx context.Context, queued func()) (release func(), err error) {
	select {
	case e.slots <- struct{}{}:
		return func() { <-e.slots }, nil
	default:
	}
	if queued != nil {
		queued()
	}
	select {
	case e.slots <- struct{}{}:
		return func() { <-e.slots }, nil
	case <-ctx.Done():
		return nil, ctxError(ctx, "waiting for a free terraform slot")
	}
}

var pathPart = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// workDir is DATA_DIR/work/<guild>/<session>; ids are checked so that they
// cannot leave it.
func (e *Engine) workDir(guildID, sessionID string) (string, error) {
	if !pathPart.MatchString(guildID) || !pathPart.MatchString(sessionID) {
		return "", fmt.Errorf("working directory for guild %q session %q: invalid id", guildID, sessionID)
	}
	return filepath.Join(e.workRoot(), guildID, sessionID), nil
}

// workRoot holds every session's working directory, by guild.
func (e *Engine) workRoot() string { return filepath.Join(e.cfg.DataDir, "work") }

// Cleanup removes a session's working files, never a deployment's state.
// It waits for a run still using the directory.
func (e *Engine) Cleanup(ctx context.Context, guildID, sessionID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dir, err := e.workDir(guildID, sessionID)
	if err != nil {
		return err
	}
	e.dirsMu.Lock()
	h := e.dirs[dir]
	delete(e.dirs, dir)
	e.dirsMu.Unlock()
	if h != nil {
		h.mu.Lock()
		defer h.mu.Unlock()
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("cleanup %s: %w", dir, err)
	}
	return nil
}

// dirHandle keeps one terraform-exec handle per working directory, so that
// terraform's version is asked once per directory rather than once per
// run, and lets one run at a time use the directory.
type dirHandle struct {
	mu sync.Mutex
	tf *tfexec.Terraform
}

// hold returns the directory's handle, locked until release is called.
func (e *Engine) hold(dir, execPath string) (*workspace, error) {
	e.dirsMu.Lock()
	h := e.dirs[dir]
	if h == nil || h.tf.ExecPath() != execPath {
		tf, err := e.newTerraform(dir, execPath)
		if err != nil {
			e.dirsMu.Unlock()
			return nil, err
		}
		h = &dirHandle{tf: tf}
		e.dirs[dir] = h
	}
	e.dirsMu.Unlock()
	h.mu.Lock()
	return &workspace{dir: dir, tf: h.tf, release: h.mu.Unlock}, nil
}

// newTerraform prepares a tfexec handle on dir with the engine's environment.
func (e *Engine) newTerraform(dir, execPath string) (*tfexec.Terraform, error) {
	tf, err := tfexec.NewTerraform(dir, execPath)
	if err != nil {
		return nil, fmt.Errorf("terraform in %s: %w", dir, err)
	}
	if err := tf.SetEnv(e.env); err != nil {
		return nil, fmt.Errorf("terraform environment: %w", err)
	}
	if err := tf.SetWaitDelay(e.cfg.InterruptGrace); err != nil {
		return nil, fmt.Errorf("terraform interrupt grace: %w", err)
	}
	return tf, nil
}

// ctxError wraps the context's error and its cause, so that both
// errors.Is(err, context.Canceled) and the cause's own text survive.
func ctxError(ctx context.Context, doing string) error {
	cause := context.Cause(ctx)
	if cause == nil || errors.Is(cause, ctx.Err()) {
		return fmt.Errorf("%s: %w", doing, ctx.Err())
	}
	return fmt.Errorf("%s: %w: %w", doing, cause, ctx.Err())
}
