package app

import (
	"net/http"
	"time"
)

// Discord is one host, and every deferred answer edits it from its own
// goroutine. The default transport keeps only two idle connections per
// host, so under a burst of interactions nearly every edit dialed (and, on
// discord.com, handshook TLS) anew; measured with cmd/loadgen, dialing was
// a tenth of the engine's CPU time.
const (
	discordIdleConns   = 64
	discordHTTPTimeout = 20 * time.Second
)

// discordHTTPClient is the HTTP client of the Discord REST adapter.
func discordHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = discordIdleConns
	t.MaxIdleConnsPerHost = discordIdleConns
	return &http.Client{Transport: t, Timeout: discordHTTPTimeout}
}
