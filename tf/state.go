package tf

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// stateDir holds local state files, outside every working directory so
// that Cleanup never touches a deployment's state.
func (e *Engine) stateDir() string { return filepath.Join(e.cfg.DataDir, "state") }

// stateLink is a working directory's link to its deployment's state
// directory, and localStatePath the local backend's path through it. The
// backend configuration is thereby the same text in every working
// directory, so a new directory can start from an initialised template
// (inittemplate.go) instead of running init; and a saved plan, which
// carries its backend configuration, applies in any directory linked to
// the same deployment. Cleanup removes the link, never what it names.
const (
	stateLink      = "state"
	localStatePath = stateLink + "/terraform.tfstate"
)

// backendFor returns where the deployment named by stateKey keeps its
// state: a pg workspace, or DATA_DIR/state/<key>/terraform.tfstate reached
// through the working directory's stateLink.
func (e *Engine) backendFor(stateKey string) (backendConfig, error) {
	if !pathPart.MatchString(stateKey) {
		return backendConfig{}, fmt.Errorf("state key %q: invalid", stateKey)
	}
	if e.cfg.DatabaseURL != "" {
		return backendConfig{PG: true}, nil
	}
	return backendConfig{LocalPath: localStatePath}, nil // the directory comes with the link
}

// linkState points the working directory's stateLink at the deployment's
// state directory, replacing a link that names another one.
func (e *Engine) linkState(dir, stateKey string) error {
	if !pathPart.MatchString(stateKey) {
		return fmt.Errorf("state key %q: invalid", stateKey)
	}
	target := filepath.Join(e.stateDir(), stateKey)
	if err := os.MkdirAll(target, 0o700); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	link := filepath.Join(dir, stateLink)
	if old, err := os.Readlink(link); err == nil && old == target {
		return nil
	}
	if err := os.Remove(link); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state link: %w", err)
	}
	if err := os.Symlink(target, link); err != nil {
		return fmt.Errorf("state link: %w", err)
	}
	return nil
}

// LocalStatePath is where a deployment's state lives without PostgreSQL.
func (e *Engine) LocalStatePath(stateKey string) string {
	return filepath.Join(e.stateDir(), stateKey, "terraform.tfstate")
}

// stateLockTimeout is how long terraform waits for the state lock (plan,
// apply, workspace creation). The pg backend takes one advisory lock for
// every workspace creation and briefly for each lock, so runs of other
// deployments at the same moment contend for it: without a wait they fail.
const stateLockTimeout = "120s"

// workspaceAttempts bounds the retries of a workspace creation that met
// another one's lock (workspace new does not always honour the timeout).
const workspaceAttempts = 8

// selectWorkspace switches a pg-backed working directory to the
// deployment's workspace, creating it the first time.
func (e *Engine) selectWorkspace(ctx context.Context, tf *tfexec.Terraform, stateKey string) error {
	if e.cfg.DatabaseURL == "" {
		return nil
	}
	wait := 200 * time.Millisecond
	var errs []error
	for range workspaceAttempts {
		selErr := background(func() error { return tf.WorkspaceSelect(ctx, stateKey) })
		if selErr == nil {
			return nil
		}
		// terraform has no typed "no such workspace" error; creating it
		// tells the two cases apart (new fails when it exists, for example
		// when another run created it a moment ago).
		newErr := background(func() error { return tf.WorkspaceNew(ctx, stateKey, tfexec.LockTimeout(stateLockTimeout)) })
		if newErr == nil {
			return nil
		}
		errs = []error{selErr, newErr}
		if !strings.Contains(strings.ToLower(newErr.Error()), "lock") && !strings.Contains(newErr.Error(), "already exists") {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("workspace %s: %w", stateKey, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
	return fmt.Errorf("workspace %s: %w", stateKey, errors.Join(errs...))
}
