package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/deploy"
)

// CountsCollector reports a gauge of counts read from the database at
// scrape time, so that every replica reports the same numbers; every key is
// reported, zeros too.
type CountsCollector struct {
	count func(ctx context.Context) (map[string]int, error)
	keys  []string
	desc  *prometheus.Desc
	log   *slog.Logger
}

// Describe implements prometheus.Collector.
func (c *CountsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c *CountsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		c.log.Warn("counts unavailable", "metric", c.desc.String(), "err", err)
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, k := range c.keys {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[k]), k)
	}
}

// NewSessionsCollector reports cloudengine_sessions{state}.
func NewSessionsCollector(count func(ctx context.Context) (map[deploy.State]int, error), log *slog.Logger) *CountsCollector {
	var keys []string
	for _, s := range deploy.AllStates() {
		keys = append(keys, string(s))
	}
	byName := func(ctx context.Context) (map[string]int, error) {
		m, err := count(ctx)
		out := make(map[string]int, len(m))
		for k, v := range m {
			out[string(k)] = v
		}
		return out, err
	}
	return &CountsCollector{count: byName, keys: keys, log: log,
		desc: prometheus.NewDesc("cloudengine_sessions", "Sessions by state, read from the database.", []string{"state"}, nil)}
}

// NewDeploymentsCollector reports cloudengine_deployments{status}: each
// deployment once, as live (in sync or never checked), drifted or destroyed.
func NewDeploymentsCollector(count func(ctx context.Context) (map[string]int, error), log *slog.Logger) *CountsCollector {
	return &CountsCollector{count: count, log: log,
		keys: []string{deploy.DeploymentLive, deploy.DriftDrifted, deploy.DeploymentDestroyed},
		desc: prometheus.NewDesc("cloudengine_deployments", "Deployments by status (live, drifted, destroyed), read from the database.", []string{"status"}, nil)}
}
