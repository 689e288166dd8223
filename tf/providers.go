package tf

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// providerStore is the engine's one installation of each provider version,
// shared by every working directory (SPEC §3).
//
// Terraform installs providers the operator's way (registry, mirror,
// proxy: TF_CLI_CONFIG_FILE) once per provider set — the required_providers
// of a generated configuration — in a private staging directory; each
// version it got is then moved into root, laid out as an unpacked
// filesystem mirror, and never written again. Working directories init
// with -plugin-dir=root and the set's lock file, so terraform links their
// providers to root instead of installing them, contacts no registry, and
// cannot write into a directory another run executes from (the "text file
// busy" of a shared TF_PLUGIN_CACHE_DIR that init re-extracted beside a
// running apply).
type providerStore struct {
	root    string        // DATA_DIR/providers: host/namespace/type/version/os_arch
	sets    string        // DATA_DIR/provider-sets: one installation record per set
	staging string        // DATA_DIR/provider-staging: installs in progress
	slot    chan struct{} // one installation at a time: they are rare and download
	newTF   func(dir, execPath string) (*tfexec.Terraform, error)
}

// installation records an installed provider set: the lock file that pins
// it and the packages under root it needs.
type installation struct {
	Lock     string   `json:"lock"`
	Packages []string `json:"packages"`
}

func newProviderStore(dataDir string, newTF func(dir, execPath string) (*tfexec.Terraform, error)) *providerStore {
	return &providerStore{
		root:    filepath.Join(dataDir, "providers"),
		sets:    filepath.Join(dataDir, "provider-sets"),
		staging: filepath.Join(dataDir, "provider-staging"),
		slot:    make(chan struct{}, 1),
		newTF:   newTF,
	}
}

// ensure installs the provider set once and returns the lock file a working
// directory should use. lock, when given (an apply of a saved plan), pins
// the versions; without one the set's own lock is reused.
func (s *providerStore) ensure(ctx context.Context, execPath string, set, lock []byte) ([]byte, error) {
	if len(set) == 0 {
		return lock, nil
	}
	keys := []string{setKey(set, nil)}
	if len(lock) > 0 {
		keys = append(keys, setKey(set, lock))
	}
	if inst, ok := s.installed(keys, lock); ok {
		return []byte(inst.Lock), nil
	}
	select {
	case s.slot <- struct{}{}:
		defer func() { <-s.slot }()
	case <-ctx.Done():
		return nil, ctxError(ctx, "waiting for the provider installation")
	}
	if inst, ok := s.installed(keys, lock); ok { // installed while this run waited
		return []byte(inst.Lock), nil
	}
	inst, err := s.install(ctx, execPath, set, lock)
	if err != nil {
		return nil, err
	}
	if err := s.record(keys[len(keys)-1], inst); err != nil {
		return nil, err
	}
	return []byte(inst.Lock), nil
}

// installed finds a complete installation under one of keys. The set's
// own record serves a given lock only when it is that very lock.
func (s *providerStore) installed(keys []string, lock []byte) (installation, bool) {
	for i, key := range keys {
		data, err := os.ReadFile(filepath.Join(s.sets, key+".json"))
		if err != nil {
			continue
		}
		var inst installation
		if json.Unmarshal(data, &inst) != nil || (i == 0 && len(lock) > 0 && inst.Lock != string(lock)) {
			continue
		}
		if s.complete(inst) {
			return inst, true
		}
	}
	return installation{}, false
}

func (s *providerStore) complete(inst installation) bool {
	for _, p := range inst.Packages {
		if _, err := os.Stat(filepath.Join(s.root, p)); err != nil {
			return false
		}
	}
	return true
}

// install runs terraform init for the set alone in a staging directory,
// the operator's CLI configuration deciding where providers come from,
// then moves what it installed into root.
func (s *providerStore) install(ctx context.Context, execPath string, set, lock []byte) (installation, error) {
	if err := os.MkdirAll(s.staging, 0o700); err != nil {
		return installation{}, fmt.Errorf("provider staging: %w", err)
	}
	dir, err := os.MkdirTemp(s.staging, "install-")
	if err != nil {
		return installation{}, fmt.Errorf("provider staging: %w", err)
	}
	defer os.RemoveAll(dir)
	config := fmt.Appendf(nil, `{"terraform": {"required_providers": %s}}`, set)
	if err := writeFile(dir, ConfigFile, config); err != nil {
		return installation{}, err
	}
	if len(lock) > 0 {
		if err := writeFile(dir, lockFile, lock); err != nil {
			return installation{}, err
		}
	}
	tf, err := s.newTF(dir, execPath)
	if err != nil {
		return installation{}, err
	}
	if err := background(func() error { return tf.Init(ctx, tfexec.Backend(false), tfexec.Upgrade(false)) }); err != nil {
		return installation{}, runError(ctx, "init", err, nil)
	}
	packages, err := s.adopt(filepath.Join(dir, ".terraform", "providers"))
	if err != nil {
		return installation{}, err
	}
	pinned, err := os.ReadFile(filepath.Join(dir, lockFile))
	if err != nil {
		return installation{}, fmt.Errorf("provider lock file: %w", err)
	}
	return installation{Lock: string(pinned), Packages: packages}, nil
}

// adopt moves every package of a staging install into root, unless root
// has that version already: an installed package is never replaced, since
// a run may be executing it.
func (s *providerStore) adopt(providers string) ([]string, error) {
	found, err := filepath.Glob(filepath.Join(providers, "*", "*", "*", "*", "*"))
	if err != nil {
		return nil, fmt.Errorf("list installed providers: %w", err)
	}
	var packages []string
	for _, src := range found {
		rel, err := filepath.Rel(providers, src)
		if err != nil {
			return nil, fmt.Errorf("installed provider %s: %w", src, err)
		}
		if err := s.place(src, filepath.Join(s.root, rel)); err != nil {
			return nil, err
		}
		packages = append(packages, rel)
	}
	return packages, nil
}

// place puts one package at dst: renamed when terraform extracted it, or
// copied when terraform linked it to an operator's unpacked mirror (whose
// volume the engine does not own), with its files made read-only.
func (s *providerStore) place(src, dst string) error {
	if _, err := os.Lstat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("provider directory: %w", err)
	}
	info, err := os.Lstat(src)
	if err != nil {
		return fmt.Errorf("installed provider: %w", err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(src)
		if err != nil {
			return fmt.Errorf("installed provider %s: %w", src, err)
		}
		copied := src + ".copy"
		if err := copyTree(target, copied, treeCopy{followLinks: true}); err != nil {
			return err
		}
		src = copied
	}
	if err := readOnlyFiles(src); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		if _, statErr := os.Lstat(dst); statErr == nil {
			return nil // another engine process placed the same version first
		}
		return fmt.Errorf("install provider %s: %w", dst, err)
	}
	return nil
}

// record saves an installation atomically: a reader sees all of it or none.
func (s *providerStore) record(key string, inst installation) error {
	if err := os.MkdirAll(s.sets, 0o700); err != nil {
		return fmt.Errorf("provider sets: %w", err)
	}
	data, err := json.Marshal(inst)
	if err != nil {
		return fmt.Errorf("provider set record: %w", err)
	}
	tmp, err := os.CreateTemp(s.sets, key+".*.tmp")
	if err != nil {
		return fmt.Errorf("provider set record: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("provider set record: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.sets, key+".json")); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("provider set record: %w", err)
	}
	return nil
}

// setKey names a provider set, and a set pinned by a given lock file.
func setKey(set, lock []byte) string {
	h := sha256.New()
	h.Write(set)
	if len(lock) > 0 {
		h.Write([]byte{0})
		h.Write(lock)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// providerSet reads the required_providers of a generated configuration,
// re-encoded so that equal sets read the same (encoding/json sorts map
// keys); nil when the configuration needs no provider.
func providerSet(config []byte) ([]byte, error) {
	var c struct {
		Terraform struct {
			RequiredProviders map[string]providerRequirement `json:"required_providers"`
		} `json:"terraform"`
	}
	if err := json.Unmarshal(config, &c); err != nil {
		return nil, fmt.Errorf("read generated config: %w", err)
	}
	if len(c.Terraform.RequiredProviders) == 0 {
		return nil, nil
	}
	out, err := json.Marshal(c.Terraform.RequiredProviders)
	if err != nil {
		return nil, fmt.Errorf("provider set: %w", err)
	}
	return out, nil
}
