package api_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/api"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
	"github.com/cloudengine/cloud-engine/handlers"
)

// TestHandlerPanicIsAnswered wires the real interactions handler without a
// core service: the first command that reaches the service dereferences
// nil. The edge must answer with an ephemeral apology, log the panic, and
// keep serving.
func TestHandlerPanicIsAnswered(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	logs := &discordtest.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	reg := prometheus.NewRegistry()
	h := handlers.New(nil, nil, nil, log, handlers.NewMetrics(reg), nil)
	srv := httptest.NewServer(api.NewRouter(api.Options{PublicKey: pub, Interactions: h}))
	t.Cleanup(srv.Close)

	body := interaction(2, map[string]any{"id": "5500000000000000001", "name": "cloud-create-project", "type": 1,
		"options": []map[string]any{{"name": "project_id", "type": 3, "value": "dev"}}})
	got := do(t, http.MethodPost, srv.URL+"/interactions", sign(priv, stamp(time.Now()), body), body)
	if got.Status != http.StatusOK {
		t.Fatalf("status %d, body %q", got.Status, got.Body)
	}
	var r reply
	if err := json.Unmarshal(got.Body, &r); err != nil {
		t.Fatalf("answer %q: %v", got.Body, err)
	}
	if r.Type != 4 || r.Data.Flags&64 == 0 || !strings.HasPrefix(r.Data.Content, "Something went wrong") {
		t.Errorf("answer %s, want an ephemeral type-4 \"Something went wrong…\"", got.Body)
	}
	if !strings.Contains(logs.String(), "interaction handler panicked") {
		t.Errorf("no log line for the panic; logs:\n%s", logs)
	}
	m, ok := find(t, reg, "cloudengine_interactions_total",
		map[string]string{"type": "command", "name": "cloud-create-project", "outcome": "error"})
	if !ok || m.GetCounter().GetValue() != 1 {
		t.Errorf("cloudengine_interactions_total{type=command,name=cloud-create-project,outcome=error} = %v, want 1", m)
	}
	ping := do(t, http.MethodPost, srv.URL+"/interactions", sign(priv, stamp(time.Now()), pingBody), pingBody)
	if ping.Status != http.StatusOK {
		t.Errorf("after the panic, PING got %d", ping.Status)
	}
}
