package tf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// stateDir holds local state files, outside every working directory so
// that Cleanup never touches a deployment's state.
func (e *Engine) stateDir() string { return filepath.Join(e.cfg.DataDir, "state") }

// backendFor returns where the deployment named by stateKey keeps its
// state: a pg workspace, or DATA_DIR/state/<key>/terraform.tfstate.
func (e *Engine) backendFor(stateKey string) (backendConfig, error) {
	if !pathPart.MatchString(stateKey) {
		return backendConfig{}, fmt.Errorf("state key %q: invalid", stateKey)
	}
	if e.cfg.DatabaseURL != "" {
		return backendConfig{PG: true}, nil
	}
	dir := filepath.Join(e.stateDir(), stateKey)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return backendConfig{}, fmt.Errorf("state directory: %w", err)
	}
	return backendConfig{LocalPath: filepath.Join(dir, "terraform.tfstate")}, nil
}

// LocalStatePath is where a deployment's state lives without PostgreSQL.
func (e *Engine) LocalStatePath(stateKey string) string {
	return filepath.Join(e.stateDir(), stateKey, "terraform.tfstate")
}

// selectWorkspace switches a pg-backed working directory to the
// deployment's workspace, creating it the first time.
func (e *Engine) selectWorkspace(ctx context.Context, tf *tfexec.Terraform, stateKey string) error {
	if e.cfg.DatabaseURL == "" {
		return nil
	}
	selErr := tf.WorkspaceSelect(ctx, stateKey)
	if selErr == nil {
		return nil
	}
	// terraform has no typed "no such workspace" error; creating it tells
	// the two cases apart (new fails when it exists).
	if err := tf.WorkspaceNew(ctx, stateKey); err != nil {
		return fmt.Errorf("workspace %s: %w", stateKey, errors.Join(selErr, err))
	}
	return nil
}
