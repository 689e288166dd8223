package app_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// TestNoTokenInLogs runs deferred commands while Discord misbehaves in
// every way the retry policy handles (dropped connections, 429, 5xx) and
// in one it does not (a token Discord no longer knows), and then searches
// every log line for the interaction tokens and the bot token.
func TestNoTokenInLogs(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	flaky := dropFirst(t, fake.URL(), 2)
	webhook := func(method, path string) bool {
		return method == http.MethodPatch && strings.Contains(path, "/webhooks/")
	}
	fake.FailNext(webhook, http.StatusTooManyRequests, 1)
	fake.FailNext(webhook, http.StatusInternalServerError, 1)
	fake.FailNext(webhook, http.StatusBadGateway, 1)

	logs := &discordtest.LogBuffer{}
	m := &app.Main{Config: testConfig(t, flaky, pub)}
	startMain(t, m, logs)
	url := "http://" + m.Addr() + "/interactions"

	body, token := command("cloud-projects")
	status, raw := signedPost(t, url, priv, body)
	if status != http.StatusOK {
		t.Fatalf("/cloud-projects: %d %s", status, raw)
	}
	ic := discordtest.InteractionContext{Token: token, GuildID: guildID, ChannelID: channelID, UserID: userID}
	if err := fake.Respond(ic, raw); err != nil {
		t.Fatalf("Discord would reject the answer %s: %v", raw, err)
	}
	eventually(t, "the project list to replace the deferral", 30*time.Second, func() bool {
		msg, ok := fake.Original(token)
		return ok && !msg.Thinking
	})

	// Discord never saw this answer, so the edit fails for good.
	lostBody, lostToken := command("cloud-projects")
	if status, raw := signedPost(t, url, priv, lostBody); status != http.StatusOK {
		t.Fatalf("/cloud-projects: %d %s", status, raw)
	}
	eventually(t, "the failed edit to be logged", 10*time.Second, func() bool {
		return strings.Contains(logs.String(), "Unknown Webhook")
	})
	if err := m.Close(); err != nil {
		t.Errorf("close: %v", err)
	}

	out := logs.String()
	if n := strings.Count(out, "discord request will be retried"); n < 5 {
		t.Errorf("%d retries logged, want 5 (two dropped connections, 429, 500, 502)", n)
	}
	for name, secret := range map[string]string{"interaction token": token, "lost interaction token": lostToken, "bot token": botToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the %s appears in the logs:\n%s", name, lines(out, secret))
		}
	}
	if n := strings.Count(out, "\n"); n < 5 {
		t.Errorf("only %d log lines: the test saw too little to be meaningful", n)
	}
}

// dropFirst serves a reverse proxy to the Discord API at api that closes
// the first n connections without an answer, and returns its API URL.
func dropFirst(t *testing.T, api string, n int64) string {
	t.Helper()
	target, err := url.Parse(api)
	if err != nil {
		t.Fatal(err)
	}
	origin := *target
	origin.Path = ""
	proxy := httputil.NewSingleHostReverseProxy(&origin)
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) > n {
			proxy.ServeHTTP(w, r)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv.URL + target.Path
}

// lines returns the log lines that contain s, for the failure message.
func lines(out, s string) string {
	var hits []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			var v map[string]any
			if json.Unmarshal([]byte(l), &v) == nil {
				hits = append(hits, l)
			}
		}
	}
	return strings.Join(hits, "\n")
}
