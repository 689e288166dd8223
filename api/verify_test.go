package api_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/api"
)

// TestInteractionSignatures sends signed and unsigned requests to the
// real service: only Discord's signature over a fresh timestamp gets in.
func TestInteractionSignatures(t *testing.T) {
	s := startService(t, nil)
	_, otherKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	valid := func() http.Header { return sign(s.key, stamp(now), pingBody) }
	tests := []struct {
		name   string
		header http.Header
		body   []byte
		status int
	}{
		{"valid", valid(), pingBody, http.StatusOK},
		{"missing signature header", without(valid(), "X-Signature-Ed25519"), pingBody, http.StatusUnauthorized},
		{"missing timestamp", without(valid(), "X-Signature-Timestamp"), pingBody, http.StatusUnauthorized},
		{"signature not hex", with(valid(), "X-Signature-Ed25519", strings.Repeat("zz", ed25519.SignatureSize)), pingBody, http.StatusUnauthorized},
		{"signature of the wrong length", with(valid(), "X-Signature-Ed25519", "abcdef0123"), pingBody, http.StatusUnauthorized},
		{"signed by another key", sign(otherKey, stamp(now), pingBody), pingBody, http.StatusUnauthorized},
		{"body changed after signing", valid(), bytes.Replace(pingBody, []byte(`"type":1`), []byte(`"type":2`), 1), http.StatusUnauthorized},
		{"timestamp six minutes old", sign(s.key, stamp(now.Add(-6*time.Minute)), pingBody), pingBody, http.StatusUnauthorized},
		{"timestamp six minutes ahead", sign(s.key, stamp(now.Add(6*time.Minute)), pingBody), pingBody, http.StatusUnauthorized},
		{"timestamp not a number", sign(s.key, "yesterday", pingBody), pingBody, http.StatusUnauthorized},
		{"body over 1 MiB", sign(s.key, stamp(now), oversized()), oversized(), http.StatusRequestEntityTooLarge},
		{"malformed JSON, correctly signed", sign(s.key, stamp(now), []byte(`{"type":1,`)), []byte(`{"type":1,`), http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := do(t, http.MethodPost, s.url+"/interactions", tc.header, tc.body)
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d (body %q)", got.Status, tc.status, got.Body)
			}
		})
	}
}

// TestPing answers Discord's endpoint check exactly as Discord expects.
func TestPing(t *testing.T) {
	s := startService(t, nil)
	got := do(t, http.MethodPost, s.url+"/interactions", sign(s.key, stamp(time.Now()), pingBody), pingBody)
	if got.Status != http.StatusOK {
		t.Fatalf("status %d, body %q", got.Status, got.Body)
	}
	if ct := got.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatalf("answer %q is not JSON: %v", got.Body, err)
	}
	if len(body) != 1 || body["type"] != float64(1) {
		t.Errorf("answer %s, want {\"type\":1}", got.Body)
	}
}

// TestClockSkewBoundary pins the five-minute window with a fixed clock.
func TestClockSkewBoundary(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	reached := func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(b) // echo: proves the body was restored for the next handler
	}
	srv := httptest.NewServer(api.NewRouter(api.Options{PublicKey: pub, Interactions: http.HandlerFunc(reached),
		Now: func() time.Time { return now }}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name   string
		at     time.Time
		status int
	}{
		{"now", now, http.StatusOK},
		{"exactly five minutes old", now.Add(-api.MaxClockSkew), http.StatusOK},
		{"exactly five minutes ahead", now.Add(api.MaxClockSkew), http.StatusOK},
		{"one second too old", now.Add(-api.MaxClockSkew - time.Second), http.StatusUnauthorized},
		{"one second too far ahead", now.Add(api.MaxClockSkew + time.Second), http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := do(t, http.MethodPost, srv.URL+"/interactions", sign(priv, stamp(tc.at), pingBody), pingBody)
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d", got.Status, tc.status)
			}
			if tc.status == http.StatusOK && !bytes.Equal(got.Body, pingBody) {
				t.Errorf("handler read %q, want the signed body", got.Body)
			}
		})
	}
}

func without(h http.Header, key string) http.Header {
	h.Del(key)
	return h
}

func with(h http.Header, key, value string) http.Header {
	h.Set(key, value)
	return h
}

// oversized is a PING padded past MaxBodyBytes; still valid JSON.
func oversized() []byte {
	return []byte(`{"type":1,"pad":"` + strings.Repeat("x", api.MaxBodyBytes) + `"}`)
}
