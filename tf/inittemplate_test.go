package tf

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inits counts the terraform init runs logged so far.
func inits(t *testing.T, log string) int {
	t.Helper()
	data, err := os.ReadFile(log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Count(string(data), "init\n")
}

// TestInitTemplate: the first working directory of a provider set runs
// terraform init (after the set's own installation) and leaves a template;
// later new directories start from it without an init, each on its own
// deployment's state, and a template whose provider links no longer
// resolve is not used.
func TestInitTemplate(t *testing.T) {
	m := buildCetest(t)
	tfPath, log := loggingTerraform(t, "")
	e := newCetestEngine(t, m, func(c *Config) { c.Path = tfPath })
	ctx := context.Background()
	out := t.TempDir()
	session := func(s string) (int, error) {
		before := inits(t, log)
		config := cetestConfig(t, e, s, map[string]cetestFile{"f": {Directory: out, Name: s, Content: s}})
		_, art, err := planConfig(ctx, e, s, config)
		if err == nil {
			_, err = applyConfig(ctx, e, s, config, art, nil)
		}
		return inits(t, log) - before, err
	}

	if n, err := session("tmpl0001"); err != nil || n != 2 {
		t.Fatalf("first session: %d inits (want the installation's and its own), %v", n, err)
	}
	for _, s := range []string{"tmpl0002", "tmpl0003"} {
		if n, err := session(s); err != nil || n != 0 {
			t.Fatalf("%s: %d inits, %v; want none: its directory starts from the template", s, n, err)
		}
		if got := stateResources(t, e.LocalStatePath(s)); len(got) != 1 {
			t.Errorf("%s: its own state holds %v, want its one file", s, got)
		}
		if _, err := os.Stat(filepath.Join(out, s)); err != nil {
			t.Errorf("%s: the provider's file was not created: %v", s, err)
		}
		if _, err := os.Stat(filepath.Join(workPath(e, testGuild, s), ".terraform", "environment")); err == nil {
			t.Errorf("%s: a template carried a selected workspace", s)
		}
	}

	templates, err := filepath.Glob(filepath.Join(e.templateRoot(), "*", templateDotTerraform, "providers", cetestAddress, cetestVersion, "*"))
	if err != nil || len(templates) != 1 {
		t.Fatalf("templates' provider links: %v, %v; want one", templates, err)
	}
	if err := os.Remove(templates[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(t.TempDir(), "gone"), templates[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := session("tmpl0004"); err != nil || n != 1 {
		t.Fatalf("with a broken template: %d inits, %v; want init to run instead", n, err)
	}
}

// TestInitOfDirectoryConfiguredElsewhere: a working directory initialised
// by an older engine, whose backend named the state by an absolute path,
// is initialised afresh rather than failing on a changed backend.
func TestInitOfDirectoryConfiguredElsewhere(t *testing.T) {
	m := buildCetest(t)
	e := newCetestEngine(t, m, nil)
	ctx := context.Background()
	out := t.TempDir()
	files := map[string]cetestFile{"f": {Directory: out, Name: "f", Content: "f"}}
	old := cetestConfig(t, e, "older001", files)
	old = []byte(strings.Replace(string(old), localStatePath, e.LocalStatePath("older001"), 1))
	if _, _, err := planConfig(ctx, e, "older001", old); err != nil {
		t.Fatalf("plan with the older backend: %v", err)
	}
	p, _, err := planConfig(ctx, e, "older001", cetestConfig(t, e, "older001", files))
	if err != nil {
		t.Fatalf("plan after the backend moved: %v", err)
	}
	if p.Add != 1 {
		t.Errorf("plan %q", p.Line)
	}
}
