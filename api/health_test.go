package api_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/config"
)

// TestHealthAndReadiness checks liveness and readiness against the real
// database and terraform, and that readiness names what is missing.
func TestHealthAndReadiness(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-terraform")
	tests := []struct {
		name      string
		configure func(c *config.Config)
		breakDB   bool
		path      string
		status    int
		want      string
	}{
		{"alive", nil, false, "/healthz", http.StatusOK, "ok"},
		{"ready", nil, false, "/readyz", http.StatusOK, "ready"},
		{"alive without its database", nil, true, "/healthz", http.StatusOK, "ok"},
		{"database closed", nil, true, "/readyz", http.StatusServiceUnavailable, "database"},
		{"terraform missing", func(c *config.Config) { c.TerraformPath = missing }, false, "/readyz",
			http.StatusServiceUnavailable, "Terraform not found at " + missing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startService(t, tc.configure)
			if tc.breakDB {
				if err := s.main.DB.Close(); err != nil {
					t.Fatalf("close database: %v", err)
				}
			}
			got := do(t, http.MethodGet, s.url+tc.path, nil, nil)
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d (body %q)", got.Status, tc.status, got.Body)
			}
			if !strings.Contains(string(got.Body), tc.want) {
				t.Errorf("body %q lacks %q", got.Body, tc.want)
			}
		})
	}
}
