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
		wantLog   string // the cause, kept for the operator
	}{
		{"alive", nil, false, "/healthz", http.StatusOK, "ok\n", ""},
		{"ready", nil, false, "/readyz", http.StatusOK, "ready\n", ""},
		{"alive without its database", nil, true, "/healthz", http.StatusOK, "ok\n", ""},
		{"database closed", nil, true, "/readyz", http.StatusServiceUnavailable, "not ready: database unreachable\n", "database is closed"},
		{"terraform missing", func(c *config.Config) { c.TerraformPath = missing }, false, "/readyz",
			http.StatusServiceUnavailable, "not ready: Terraform not found at " + missing + "\n", ""},
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
			// Exactly the text: a driver's error (address, DSN) must not follow.
			if string(got.Body) != tc.want {
				t.Errorf("body %q, want %q", got.Body, tc.want)
			}
			if tc.wantLog != "" && !strings.Contains(s.logs.String(), tc.wantLog) {
				t.Errorf("the log lacks the cause %q:\n%s", tc.wantLog, s.logs.String())
			}
		})
	}
}
