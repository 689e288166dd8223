package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"time"
)

// sink is a stand-in for Discord's REST API that answers every request at
// once with a plausible message and rate-limit headers that never throttle,
// so the benchmark measures the engine and not a fake's validation.
type sink struct {
	srv      *httptest.Server
	requests atomic.Int64
}

func newSink() *sink {
	s := &sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the API base URL to give DISCORD_API_URL.
func (s *sink) URL() string { return s.srv.URL + "/api/v10" }

func (s *sink) Close() { s.srv.Close() }

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-RateLimit-Limit", "50")
	h.Set("X-RateLimit-Remaining", "49")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(time.Second).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", "1.000")
	h.Set("X-RateLimit-Bucket", "loadgen")
	if r.Method == http.MethodDelete {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	id := strconv.FormatInt(1300000000000000000+n, 10)
	_, _ = w.Write([]byte(`{"id":"` + id + `","type":0,"channel_id":"3300000000000000001",` +
		`"content":"","embeds":[],"components":[],"attachments":[],"mentions":[],"mention_roles":[],` +
		`"pinned":false,"mention_everyone":false,"tts":false,"flags":64,` +
		`"timestamp":"` + time.Now().UTC().Format(time.RFC3339) + `",` +
		`"author":{"id":"1100000000000000001","username":"Cloud Engine","discriminator":"0","bot":true}}`))
}
