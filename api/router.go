// Package api is the HTTP edge: signature verification, the interactions
// endpoint, health and readiness, and the separate metrics listener.
package api

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Options wires the public router.
type Options struct {
	PublicKey    ed25519.PublicKey
	Interactions http.Handler
	// Ready reports why the service cannot serve (database, terraform), or
	// nil; its deploy.Error message is what /readyz shows.
	Ready func(ctx context.Context) error
	Now   func() time.Time
	// Logger gets the causes /readyz does not show; nil discards them.
	Logger *slog.Logger
	// Extra mounts more routes on the public listener (the playground page).
	Extra func(r chi.Router)
}

// NewRouter returns the public listener's handler.
func NewRouter(o Options) http.Handler {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := chi.NewRouter()
	r.With(VerifySignature(o.PublicKey, now)).Post("/interactions", o.Interactions.ServeHTTP)
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := o.Ready(ctx); err != nil {
			// The probe is public: it names what is down, never the cause
			// (a driver error can hold the database's address or more).
			log.Warn("not ready", "err", err)
			writeText(w, http.StatusServiceUnavailable, "not ready: "+deploy.ErrorMessage(err))
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
	if o.Extra != nil {
		o.Extra(r)
	}
	return r
}

// NewMetricsRouter serves /metrics from g on its own listener, so the
// public one never exposes it.
func NewMetricsRouter(g prometheus.Gatherer) http.Handler {
	r := chi.NewRouter()
	r.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	return r
}

func writeText(w http.ResponseWriter, code int, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(s + "\n"))
}
