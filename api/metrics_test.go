package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestMetricsListener keeps /metrics off the public listener.
func TestMetricsListener(t *testing.T) {
	s := startService(t, nil)
	tests := []struct {
		name   string
		url    string
		status int
		want   string
	}{
		{"metrics listener", "http://" + s.main.MetricsAddr() + "/metrics", http.StatusOK, "cloudengine_sessions"},
		{"public listener", s.url + "/metrics", http.StatusNotFound, ""},
		{"interactions not on the metrics listener", "http://" + s.main.MetricsAddr() + "/healthz", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := do(t, http.MethodGet, tc.url, nil, nil)
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d", got.Status, tc.status)
			}
			if !strings.Contains(string(got.Body), tc.want) {
				t.Errorf("body lacks %q", tc.want)
			}
		})
	}
}

// TestMetricsAfterTraffic checks the registry after a few interactions:
// lint-clean, and the SPEC §5 series present with the right labels.
func TestMetricsAfterTraffic(t *testing.T) {
	s := startService(t, nil)
	for range 3 {
		got := do(t, http.MethodPost, s.url+"/interactions", sign(s.key, stamp(time.Now()), pingBody), pingBody)
		if got.Status != http.StatusOK {
			t.Fatalf("PING: %d", got.Status)
		}
	}
	problems, err := testutil.GatherAndLint(s.main.Registry)
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, p := range problems {
		t.Errorf("metric %s: %s", p.Metric, p.Text)
	}
	ping, ok := find(t, s.main.Registry, "cloudengine_interactions_total",
		map[string]string{"type": "ping", "name": "ping", "outcome": "ok"})
	if !ok || ping.GetCounter().GetValue() != 3 {
		t.Errorf("cloudengine_interactions_total{type=ping,name=ping,outcome=ok} = %v, want 3", ping)
	}
	lat, ok := find(t, s.main.Registry, "cloudengine_interaction_response_seconds", nil)
	if !ok || lat.GetHistogram().GetSampleCount() != 3 {
		t.Errorf("cloudengine_interaction_response_seconds = %v, want 3 observations", lat)
	}
	for _, st := range deploy.AllStates() {
		if _, ok := find(t, s.main.Registry, "cloudengine_sessions", map[string]string{"state": string(st)}); !ok {
			t.Errorf("cloudengine_sessions{state=%q} missing", st)
		}
	}
	for _, status := range []string{"live", "drifted", "destroyed"} {
		if m, ok := find(t, s.main.Registry, "cloudengine_deployments", map[string]string{"status": status}); !ok || m.GetGauge().GetValue() != 0 {
			t.Errorf("cloudengine_deployments{status=%q} = %v, want 0 on a new database", status, m)
		}
	}
	if n := len(deploy.AllStates()); n != 10 {
		t.Errorf("%d session states, SPEC has ten", n)
	}
}

// find returns the sample of the metric family name whose labels include
// all of labels.
func find(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) (*dto.Metric, bool) {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				return m, true
			}
		}
	}
	return nil, false
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, l := range m.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}
