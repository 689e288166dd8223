package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/deploy"
)

// SessionsCollector reports cloudengine_sessions{state} from the database
// at scrape time, so that every replica reports the same numbers.
type SessionsCollector struct {
	count func(ctx context.Context) (map[deploy.State]int, error)
	desc  *prometheus.Desc
	log   *slog.Logger
}

// NewSessionsCollector reads the counts through count.
func NewSessionsCollector(count func(ctx context.Context) (map[deploy.State]int, error), log *slog.Logger) *SessionsCollector {
	return &SessionsCollector{count: count, log: log,
		desc: prometheus.NewDesc("cloudengine_sessions", "Sessions by state, read from the database.", []string{"state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *SessionsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector; every state is reported, zeros too.
func (c *SessionsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		c.log.Warn("session counts unavailable", "err", err)
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, s := range deploy.AllStates() {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[s]), string(s))
	}
}
