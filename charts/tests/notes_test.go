package charttest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// renderNotes renders NOTES.txt, which helm template leaves out: a copy of
// the chart gets a template that evaluates the notes with tpl and prints them
// as one YAML string.
func renderNotes(t *testing.T, files, sets []string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cloud-engine")
	if err := os.CopyFS(dir, os.DirFS(chartDir)); err != nil {
		t.Fatalf("copy chart: %v", err)
	}
	notes, err := fs.ReadFile(os.DirFS(chartDir), "templates/NOTES.txt")
	if err != nil {
		t.Fatalf("read NOTES.txt: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes-source.txt"), notes, 0o644); err != nil {
		t.Fatal(err)
	}
	probe := `notes: {{ tpl (.Files.Get "notes-source.txt") . | toJson }}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "templates", "zz-notes.yaml"), []byte(probe), 0o644); err != nil {
		t.Fatal(err)
	}
	args := templateArgs(files, sets)
	args[2] = dir
	args = append(args, "--show-only", "templates/zz-notes.yaml")
	out, err := runHelm(t, args...)
	if err != nil {
		t.Fatalf("render notes: %v", err)
	}
	var doc struct {
		Notes string `json:"notes"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decode notes: %v\n%s", err, out)
	}
	return doc.Notes
}

func TestNotesNameTheInteractionsURL(t *testing.T) {
	cases := []struct {
		name    string
		files   []string
		sets    []string
		want    []string
		notWant []string
	}{
		{
			name:    "ingress with TLS",
			files:   []string{"postgres.yaml"},
			want:    []string{"https://cloud-engine.chart-test.example/interactions", "Interactions Endpoint URL", "register-commands", "PostgreSQL, 3 replica(s)"},
			notWant: []string{"port-forward", "WARNING"},
		},
		{
			name: "no ingress and no credentials",
			want: []string{"port-forward svc/ce-cloud-engine 8080:80", "/interactions", "WARNING: discord.publicKey", "SQLite in /data (PersistentVolumeClaim)"},
		},
		{
			name:    "credentials from an existing Secret",
			sets:    []string{"existingSecret=creds"},
			notWant: []string{"WARNING"},
		},
		{
			name:  "ingress without TLS",
			files: []string{"sqlite.yaml"},
			sets:  []string{"ingress.enabled=true", "ingress.tls.enabled=false", "persistence.enabled=false"},
			want:  []string{"http://cloud-engine.example.com/interactions", "Discord accepts only https", "DATA IS LOST"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			notes := renderNotes(t, tc.files, tc.sets)
			for _, s := range tc.want {
				if !strings.Contains(notes, s) {
					t.Errorf("notes lack %q:\n%s", s, notes)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(notes, s) {
					t.Errorf("notes contain %q:\n%s", s, notes)
				}
			}
		})
	}
}
