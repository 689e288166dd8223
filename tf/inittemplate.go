package tf

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Initialised templates: what terraform init leaves in a working directory
// (.terraform: the backend's memo and links to the shared providers, and
// the lock file as init rewrote it) depends only on the init stamp — the
// terraform block and the lock — and terraform's version, once every
// directory's backend reads alike (stateLink). The first directory of a
// key runs init and keeps a copy as DATA_DIR/init-templates/<key>; later
// ones copy it (a few KiB, links kept as links) instead of spending a
// terraform init.

// Parts of a template.
const (
	templateDotTerraform = "dot-terraform"
	templateLock         = "lock.hcl"
)

// skippedInTemplate tells the files of .terraform a template leaves out:
// the selected workspace belongs to one deployment, the stamp is written
// anew.
func skippedInTemplate(rel string) bool {
	return rel == "environment" || rel == filepath.Base(initStampRel)
}

// templateKey names the template of an init stamp for the terraform that
// runs it: another terraform version (a new image on the same data volume)
// makes its own. The version is the one terraform-exec asks a handle once
// anyway; false when terraform cannot say, and init runs.
func templateKey(ctx context.Context, tf *tfexec.Terraform, stamp string) (string, bool) {
	var v string
	err := background(func() error {
		ver, _, err := tf.Version(ctx, false)
		if err == nil {
			v = ver.String()
		}
		return err
	})
	if err != nil {
		return "", false
	}
	h := sha256.Sum256([]byte(stamp + "\x00" + v))
	return hex.EncodeToString(h[:]), true
}

func (e *Engine) templateRoot() string { return filepath.Join(e.cfg.DataDir, "init-templates") }

// restoreTemplate fills dir's .terraform and lock file from the key's
// template; false when there is none or it no longer holds (a provider
// it links to was removed), and the caller runs init.
func (e *Engine) restoreTemplate(dir, key string) bool {
	src := filepath.Join(e.templateRoot(), key)
	lock, err := os.ReadFile(filepath.Join(src, templateLock))
	if err != nil || !linksResolve(filepath.Join(src, templateDotTerraform)) {
		return false
	}
	dst := filepath.Join(dir, ".terraform")
	if err := copyTree(filepath.Join(src, templateDotTerraform), dst, treeCopy{skip: skippedInTemplate}); err != nil {
		e.log.Warn("init template not restored; running init", "template", key, "err", err)
		_ = os.RemoveAll(dst)
		return false
	}
	if len(lock) > 0 {
		if err := writeFile(dir, lockFile, lock); err != nil {
			_ = os.RemoveAll(dst)
			return false
		}
	}
	return true
}

// saveTemplate keeps dir's fresh initialisation as the key's template,
// written aside and renamed into place so a reader sees all of it or none.
// It is an optimisation: a failure is logged, the run goes on.
func (e *Engine) saveTemplate(dir, key string) {
	root := e.templateRoot()
	if _, err := os.Stat(filepath.Join(root, key)); err == nil {
		return
	}
	if err := e.writeTemplate(root, dir, key); err != nil {
		e.log.Warn("init template not saved", "template", key, "err", err)
	}
}

func (e *Engine) writeTemplate(root, dir, key string) error {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return fmt.Errorf("init templates: %w", err)
	}
	tmp, err := os.MkdirTemp(root, "new-")
	if err != nil {
		return fmt.Errorf("init templates: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename, or a failed attempt
	if err := copyTree(filepath.Join(dir, ".terraform"), filepath.Join(tmp, templateDotTerraform), treeCopy{skip: skippedInTemplate}); err != nil {
		return err
	}
	lock, err := os.ReadFile(filepath.Join(dir, lockFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read lock file: %w", err)
	}
	if err := writeFile(tmp, templateLock, lock); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(root, key)); err != nil {
		if _, statErr := os.Stat(filepath.Join(root, key)); statErr == nil {
			return nil // another run saved the same template first
		}
		return fmt.Errorf("init template: %w", err)
	}
	return nil
}

// linksResolve reports whether every link under dir names something that
// exists. Links are kept verbatim, so a template is only valid while the
// packages they name are installed.
func linksResolve(dir string) bool {
	ok := true
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if _, err := os.Stat(path); err != nil {
				ok = false
				return fs.SkipAll
			}
		}
		return nil
	})
	return err == nil && ok
}
