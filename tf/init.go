package tf

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Files of a working directory.
const (
	lockFile     = ".terraform.lock.hcl"
	planFile     = "plan.tfplan"
	applyFile    = "apply.tfplan"
	initStampRel = ".terraform/cloud-engine-init.sum"
)

// workspace is a prepared working directory: configuration written,
// initialised, on the deployment's workspace.
type workspace struct {
	dir     string
	tf      *tfexec.Terraform
	release func()            // ends the run's hold on the directory
	owners  map[string]string // resource address → the catalog resource's name
}

// prepare writes the configuration (and a lock file to restore) into the
// session's working directory, then initialises it. A directory may be
// fresh on this replica: everything it needs comes from the request.
func (e *Engine) prepare(ctx context.Context, req deploy.PlanRequest, resources []deploy.Resource, execPath string, lock []byte) (*workspace, error) {
	dir, err := e.workDir(req.GuildID, req.SessionID)
	if err != nil {
		return nil, err
	}
	backend, err := e.backendFor(req.StateKey)
	if err != nil {
		return nil, err
	}
	in := configInput{Provider: req.Provider, Region: e.regionOr(req), Account: req.Account, Resources: resources, Backend: backend}
	config, owners, err := generate(e.Catalog, in)
	if err != nil {
		return nil, err
	}
	e.knownOwners(in, req.Known, owners)
	ws, err := e.open(ctx, dir, execPath, config, lock, req.StateKey)
	if err != nil {
		return nil, err
	}
	ws.owners = owners
	return ws, nil
}

// open holds the working directory dir and fills it with a configuration:
// everything prepare does once the configuration is generated.
func (e *Engine) open(ctx context.Context, dir, execPath string, config, lock []byte, stateKey string) (*workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("working directory: %w", err)
	}
	ws, err := e.hold(dir, execPath)
	if err != nil {
		return nil, err
	}
	if err := e.fill(ctx, ws, config, lock, stateKey); err != nil {
		ws.release()
		return nil, err
	}
	return ws, nil
}

// knownOwners adds the addresses of resources the state may hold that the
// configuration no longer has (an update removes them), so that after an
// apply every address in the state can be named.
func (e *Engine) knownOwners(in configInput, known []deploy.Resource, owners map[string]string) {
	for _, r := range known {
		in.Resources = withNetwork(r, known)
		_, more, err := generate(e.Catalog, in)
		if err != nil {
			continue // a resource the catalog refuses today was never applied by it
		}
		for addr, name := range more {
			if _, taken := owners[addr]; !taken {
				owners[addr] = name
			}
		}
	}
}

// fill writes the files of a held directory, initialises it and selects
// the deployment's workspace. lock, when given, pins the providers (an
// apply of a saved plan); otherwise the provider set's own lock is used.
func (e *Engine) fill(ctx context.Context, ws *workspace, config, lock []byte, stateKey string) error {
	set, err := providerSet(config)
	if err != nil {
		return err
	}
	lock, err = e.providers.ensure(ctx, ws.tf.ExecPath(), set, lock)
	if err != nil {
		return err
	}
	if err := writeFile(ws.dir, ConfigFile, config); err != nil {
		return err
	}
	if e.cfg.DatabaseURL == "" {
		if err := e.linkState(ws.dir, stateKey); err != nil {
			return err
		}
	}
	if len(lock) > 0 {
		if err := writeFile(ws.dir, lockFile, lock); err != nil {
			return err
		}
	}
	if err := e.init(ctx, ws, config, lock); err != nil {
		return err
	}
	if err := e.selectWorkspace(ctx, ws.tf, stateKey); err != nil {
		return runError(ctx, "workspace", err, nil)
	}
	return nil
}

func (e *Engine) regionOr(req deploy.PlanRequest) string {
	if req.Region != "" {
		return req.Region
	}
	return e.DefaultRegion(req.Provider)
}

// init runs terraform init unless the directory was already initialised
// for the same providers, lock and backend, or a template of that
// initialisation can be copied in. The providers come from the engine's
// installation only (-plugin-dir): init links them, never downloads or
// writes them, so inits of many directories run at once.
func (e *Engine) init(ctx context.Context, ws *workspace, config, lock []byte) error {
	stamp, err := initStamp(config, lock)
	if err != nil {
		return err
	}
	stampPath := filepath.Join(ws.dir, initStampRel)
	if old, err := os.ReadFile(stampPath); err == nil && string(old) == stamp {
		return nil
	}
	// Whatever an older initialisation left (other providers, a backend
	// configured elsewhere) is not migrated: the engine alone decides where
	// state lives, so the directory starts afresh.
	if err := os.RemoveAll(filepath.Join(ws.dir, ".terraform")); err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	template, known := templateKey(ctx, ws.tf, stamp)
	if !known || !e.restoreTemplate(ws.dir, template) {
		if err := os.MkdirAll(e.providers.root, 0o700); err != nil {
			return fmt.Errorf("provider directory: %w", err)
		}
		if err := background(func() error {
			return ws.tf.Init(ctx, tfexec.Upgrade(false), tfexec.PluginDir(e.providers.root))
		}); err != nil {
			return runError(ctx, "init", err, nil)
		}
		if known {
			e.saveTemplate(ws.dir, template)
		}
	}
	if err := os.WriteFile(stampPath, []byte(stamp), 0o600); err != nil {
		return fmt.Errorf("init stamp: %w", err)
	}
	return nil
}

// initStamp digests what init depends on: the terraform block (required
// providers and backend) and the lock file.
func initStamp(config, lock []byte) (string, error) {
	var c struct {
		Terraform json.RawMessage `json:"terraform"`
	}
	if err := json.Unmarshal(config, &c); err != nil {
		return "", fmt.Errorf("read generated config: %w", err)
	}
	h := sha256.New()
	h.Write(c.Terraform)
	h.Write([]byte{0})
	h.Write(lock)
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeFile(dir, name string, data []byte) error {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
