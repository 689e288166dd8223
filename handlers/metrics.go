package handlers

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the interactions endpoint.
type Metrics struct {
	interactions *prometheus.CounterVec
	latency      prometheus.Histogram
}

// NewMetrics registers the endpoint's metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudengine_interactions_total",
			Help: "Interactions received, by type, command or custom-id prefix, and outcome.",
		}, []string{"type", "name", "outcome"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cloudengine_interaction_response_seconds",
			Help:    "Time from receiving an interaction to its HTTP answer.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
	}
	reg.MustRegister(m.interactions, m.latency)
	return m
}
