package tf

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WorkingSessions lists the sessions that have a working directory under
// DATA_DIR/work, by guild, so that the cleanup loop can remove those of
// ended sessions (a crash may have left some behind).
func (e *Engine) WorkingSessions(ctx context.Context) (map[string][]string, error) {
	root := e.workRoot()
	guilds, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list working directories: %w", err)
	}
	out := map[string][]string{}
	for _, g := range guilds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !g.IsDir() {
			continue
		}
		sessions, err := os.ReadDir(filepath.Join(root, g.Name()))
		if err != nil {
			return nil, fmt.Errorf("list working directories of %s: %w", g.Name(), err)
		}
		for _, s := range sessions {
			if s.IsDir() {
				out[g.Name()] = append(out[g.Name()], s.Name())
			}
		}
	}
	return out, nil
}
