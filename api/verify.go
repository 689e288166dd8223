package api

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// MaxBodyBytes caps an interaction body; Discord's are a few KiB.
const MaxBodyBytes = 1 << 20

// MaxClockSkew is how far a signed timestamp may be from now. Discord does
// not document freshness; five minutes stops replays of captured requests.
const MaxClockSkew = 5 * time.Minute

// VerifySignature rejects every request that is not signed by Discord with
// key over timestamp + raw body, before anything else reads it. The body is
// restored for the next handler.
func VerifySignature(key ed25519.PublicKey, now func() time.Time) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
					return
				}
				http.Error(w, "cannot read body", http.StatusBadRequest)
				return
			}
			if !signed(key, r.Header, body, now()) {
				http.Error(w, "invalid request signature", http.StatusUnauthorized)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		})
	}
}

func signed(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) bool {
	ts := h.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if ts == "" || err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(key, msg, sig) {
		return false
	}
	// Checked after the signature so that the timestamp is Discord's own.
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	skew := now.Sub(time.Unix(secs, 0))
	return skew <= MaxClockSkew && skew >= -MaxClockSkew
}
