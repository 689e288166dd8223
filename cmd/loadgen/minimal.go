package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"
)

// newMinimal is the floor to compare against: chi and crypto/ed25519
// answering PONG, with no size cap, no clock check, no decoding beyond the
// signature and no metrics.
func newMinimal(key ed25519.PublicKey) *httptest.Server {
	r := chi.NewRouter()
	r.Post("/interactions", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		ts := r.Header.Get("X-Signature-Timestamp")
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		if err != nil || len(sig) != ed25519.SignatureSize ||
			!ed25519.Verify(key, append([]byte(ts), body...), sig) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"type":1}`))
	})
	return httptest.NewServer(r)
}
