package discordtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

const (
	defaultRateLimit = 5
	rateWindow       = 2 * time.Second
)

// limiter is a fixed-window limit per bucket (route + top-level resource),
// the shape Discord reports for webhook and channel routes. Guarded by the
// Fake's mutex.
type limiter struct {
	limit   int
	buckets map[string]*window
}

type window struct {
	reset time.Time
	used  int
}

// verdict is what the limiter decided for one request.
type verdict struct {
	bucket    string
	limit     int
	remaining int
	reset     time.Time
	limited   bool
}

func newLimiter(limit int) *limiter {
	if limit <= 0 {
		limit = defaultRateLimit
	}
	return &limiter{limit: limit, buckets: map[string]*window{}}
}

func (l *limiter) take(route, resource string, now time.Time) verdict {
	key := route + "|" + resource
	w, ok := l.buckets[key]
	if !ok || !now.Before(w.reset) {
		w = &window{reset: now.Add(rateWindow)}
		l.buckets[key] = w
	}
	v := verdict{bucket: bucketID(route), limit: l.limit, reset: w.reset}
	if w.used >= l.limit {
		v.limited = true
		return v
	}
	w.used++
	v.remaining = l.limit - w.used
	return v
}

// bucketID is opaque and shared by every resource of a route, as Discord's.
func bucketID(route string) string {
	sum := sha256.Sum256([]byte(route))
	return hex.EncodeToString(sum[:8])
}

// writeHeaders sets the complete rate-limit headers; disgo ignores them all
// without X-RateLimit-Bucket and fails a 2xx that lacks a reset.
func (v verdict) writeHeaders(h http.Header, now time.Time) {
	after := max(v.reset.Sub(now), 0)
	h.Set("X-RateLimit-Limit", strconv.Itoa(v.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(v.remaining))
	h.Set("X-RateLimit-Reset", fmt.Sprintf("%.3f", float64(v.reset.UnixMilli())/1000))
	h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", after.Seconds()))
	h.Set("X-RateLimit-Bucket", v.bucket)
}

// tooMany writes a route-scoped 429 the way Discord sends it: integer
// Retry-After, the Via header (without it disgo assumes a Cloudflare ban of
// every route) and the JSON body.
func tooMany(w http.ResponseWriter, v verdict, retryAfter time.Duration, now time.Time) {
	v.remaining = 0
	v.writeHeaders(w.Header(), now)
	secs := retryAfter.Seconds()
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Max(1, math.Ceil(secs)))))
	w.Header().Set("Via", "1.1 google")
	w.Header().Set("X-RateLimit-Scope", "user")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": math.Round(secs*1000) / 1000, "global": false,
	})
}
