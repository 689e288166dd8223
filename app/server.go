package app

import (
	"net/http"
	"time"
)

// How long a client may take over a request. Discord sends an interaction
// in one go and wants the answer within 3 s, so a request still arriving
// after requestReadTimeout is useless; without a bound on the whole read, a
// client trickling its body would hold a goroutine and up to a MiB of
// unauthenticated buffer for as long as it liked.
const (
	requestReadTimeout = 5 * time.Second
	idleTimeout        = 2 * time.Minute // keep-alive connections between requests
)

// boundedServer serves h with every read bounded in time.
func boundedServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: requestReadTimeout,
		ReadTimeout: requestReadTimeout, IdleTimeout: idleTimeout}
}
