package discordtest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"sync"
)

// SignatureHeaders returns the headers Discord sends with an interaction:
// the hex ed25519 signature of timestamp + body, the timestamp, and the
// JSON content type. Tests and the playground sign with it.
func SignatureHeaders(key ed25519.PrivateKey, timestamp string, body []byte) http.Header {
	msg := make([]byte, 0, len(timestamp)+len(body))
	msg = append(append(msg, timestamp...), body...)
	h := http.Header{}
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, msg)))
	h.Set("X-Signature-Timestamp", timestamp)
	h.Set("Content-Type", "application/json")
	return h
}

// LogBuffer collects log output written from many goroutines, for tests
// that read the logs back (to look for a token, say).
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
