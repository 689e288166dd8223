package tf

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// readOnlyFiles takes the write bits off every file under dir, so that
// nothing rewrites a provider binary that a run may be executing.
// Directories stay writable: removing DATA_DIR must still work.
func readOnlyFiles(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.Chmod(path, info.Mode().Perm()&^0o222)
	})
	if err != nil {
		return fmt.Errorf("provider files read-only: %w", err)
	}
	return nil
}

// treeCopy says how copyTree treats links and what it leaves out.
type treeCopy struct {
	// followLinks copies what a link names (a mirror's package may itself
	// be linked); otherwise a link is copied as a link.
	followLinks bool
	// skip, when set, leaves out a path relative to the source.
	skip func(rel string) bool
}

// copyTree copies the directories, regular files and (as how says) links
// under src to dst; files keep their permission bits, owner-writable.
func copyTree(src, dst string, how treeCopy) error {
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if how.skip != nil && how.skip(rel) {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.Type()&fs.ModeSymlink != 0 && !how.followLinks {
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		switch {
		case info.IsDir():
			return os.MkdirAll(target, 0o700)
		case info.Mode().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil // neither terraform nor a mirror makes other kinds
	})
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return nil
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
