package tf

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/deploy"
)

type metrics struct {
	runs     *prometheus.CounterVec
	duration *prometheus.HistogramVec
	drift    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	runs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cloudengine_terraform_runs_total",
		Help: "Terraform runs by operation (plan, apply, destroy, drift) and outcome (success, failure, cancelled).",
	}, []string{"operation", "outcome"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cloudengine_terraform_run_seconds",
		Help:    "Duration of terraform runs, from validation to the end of terraform.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200},
	}, []string{"operation"})
	drift := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cloudengine_drift_checks_total",
		Help: "Drift checks of deployments by outcome (in_sync, drifted, error).",
	}, []string{"outcome"})
	var err error
	if runs, err = register(reg, runs); err != nil {
		return nil, err
	}
	if duration, err = register(reg, duration); err != nil {
		return nil, err
	}
	if drift, err = register(reg, drift); err != nil {
		return nil, err
	}
	return &metrics{runs: runs, duration: duration, drift: drift}, nil
}

// register reuses a collector already registered under the same name, so
// that two engines may share one registry.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, fmt.Errorf("register terraform metrics: %w", err)
	}
	return c, nil
}

// outcome classifies a run: an ended context counts as cancelled, whether
// by a cancel or a timeout.
func outcome(ctx context.Context, err error) string {
	switch {
	case err == nil:
		return deploy.OutcomeSuccess
	case ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return deploy.OutcomeCancelled
	}
	return deploy.OutcomeFailure
}

// observe records one run's metrics and its log line.
func (e *Engine) observe(ctx context.Context, op string, req deploy.PlanRequest, start time.Time, err error) {
	d := time.Since(start)
	out := outcome(ctx, err)
	e.metrics.runs.WithLabelValues(op, out).Inc()
	e.metrics.duration.WithLabelValues(op).Observe(d.Seconds())
	attrs := []slog.Attr{
		slog.String("operation", op), slog.String("guild", req.GuildID), slog.String("session", req.SessionID),
		slog.String("state_key", req.StateKey), slog.String("provider", req.Provider),
		slog.String("outcome", out), slog.Int64("duration_ms", d.Milliseconds()),
	}
	level := slog.LevelInfo
	if err != nil {
		// The error never holds credentials: terraform's environment is not in it.
		attrs = append(attrs, slog.String("error", err.Error()))
		if out == deploy.OutcomeFailure {
			level = slog.LevelWarn
		}
	}
	e.log.LogAttrs(context.WithoutCancel(ctx), level, "terraform run", attrs...)
}
