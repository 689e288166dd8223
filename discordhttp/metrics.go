package discordhttp

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests    *prometheus.CounterVec
	rateLimited prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cloudengine_discord_requests_total",
			Help: "HTTP requests sent to Discord, by route template and response status (\"error\" when no response arrived).",
		}, []string{"route", "code"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cloudengine_discord_rate_limited_total",
			Help: "Responses from Discord with status 429 Too Many Requests.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.requests, m.rateLimited} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register discord metrics: %w", err)
		}
	}
	return m, nil
}

type routeKey struct{}

// withRoute tags the context with the route template; disgo hands the
// context to the HTTP request, where the transport reads it.
func withRoute(ctx context.Context, route string) context.Context {
	return context.WithValue(ctx, routeKey{}, route)
}

// countingTransport counts every HTTP attempt, including the ones disgo
// makes on its own, with the status Discord really answered.
type countingTransport struct {
	next    http.RoundTripper
	metrics *metrics
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	route, _ := r.Context().Value(routeKey{}).(string)
	if route == "" {
		route = "other"
	}
	rs, err := t.next.RoundTrip(r)
	if err != nil {
		t.metrics.requests.WithLabelValues(route, "error").Inc()
		return nil, err
	}
	t.metrics.requests.WithLabelValues(route, strconv.Itoa(rs.StatusCode)).Inc()
	if rs.StatusCode == http.StatusTooManyRequests {
		t.metrics.rateLimited.Inc()
	}
	return rs, nil
}
