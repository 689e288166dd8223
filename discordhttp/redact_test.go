package discordhttp_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		in, secret string
	}{
		{`Patch "http://x/api/v10/webhooks/2/SECRET-INTERACTION-TOKEN/messages/@original": dial tcp`, "SECRET-INTERACTION-TOKEN"},
		{"/webhooks/2/aW50ZXJhY3Rpb246MTIz", "aW50ZXJhY3Rpb246MTIz"},
		{"/interactions/5/tok.en-x/callback", "tok.en-x"},
		// disgo's rate limiter logs bucket hashes at debug ("cleaning up bucket").
		{"PATCH+/webhooks/{application.id}/{interaction.token}/messages/@original+interaction.token=aW50ZXJhY3Rpb246MTIz", "aW50ZXJhY3Rpb246MTIz"},
		{"POST+/webhooks/{application.id}/{interaction.token}+webhook.id=1:interaction.token=itok-9-abc", "itok-9-abc"},
		{`{"type":2,"token":"itok-json-secret","id":"1"}`, "itok-json-secret"},
		{"GET /x?token=query-secret&y=1", "query-secret"},
		{"token: colon-secret", "colon-secret"},
		{"Authorization: Bot abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"},
		{"token MTE0NjY1NzY1NDM0NTY3ODkw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123 leaked", "MTE0NjY1NzY1NDM0NTY3ODkw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"},
	}
	for _, tt := range tests {
		if got := discordhttp.Redact(tt.in); strings.Contains(got, tt.secret) {
			t.Errorf("Redact(%q) = %q still holds the secret", tt.in, got)
		}
	}
	for _, clean := range []string{"PATCH /channels/1/messages/2", `{"token_issued_at":12}`, "tokens=3 issued"} {
		if got := discordhttp.Redact(clean); got != clean {
			t.Errorf("Redact changed token-free text %q to %q", clean, got)
		}
	}
}

// TestTokensNeverLogged forces 429s, 500s and network errors with debug
// logging on and checks neither token reaches a log line or an error.
func TestTokensNeverLogged(t *testing.T) {
	const token = "SECRET-INTERACTION-TOKEN-1234"
	// Anything logged through the process-wide logger is caught too.
	global := &discordtest.LogBuffer{}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(global, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	e := newEnv(t, discordtest.Options{})
	e.deferred(t, token)
	e.fake.FailNext(func(method, _ string) bool { return method == "PATCH" }, 429, 1)
	e.fake.FailNext(func(method, _ string) bool { return method == "PATCH" }, 500, 1)
	var errs []error
	_, err := e.client.EditOriginal(context.Background(), token, discord.NewMessageUpdate().WithContent("x"))
	if err != nil {
		t.Fatal(err)
	}
	e.fake.ExpireToken(token)
	_, err = e.client.EditOriginal(context.Background(), token, discord.NewMessageUpdate().WithContent("x"))
	errs = append(errs, err)

	dead := httptest.NewServer(nil)
	deadURL := dead.URL
	dead.Close()
	down := newEnvAt(t, e.fake, deadURL+"/api/v10", botToken)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = down.client.EditOriginal(ctx, token, discord.NewMessageUpdate().WithContent("x"))
	errs = append(errs, err)
	_, err = down.client.CreateMessage(ctx, 1, discord.NewMessageCreate().WithContent("x"))
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Fatalf("error %d is nil, want a failure", i)
		}
		if s := err.Error(); strings.Contains(s, token) || strings.Contains(s, botToken) {
			t.Errorf("error %d leaks a token: %s", i, s)
		}
	}
	logs := e.logs.String() + down.logs.String() + global.String()
	if !strings.Contains(logs, "rate limit") || !strings.Contains(logs, "retried") {
		t.Errorf("logs do not show the 429 and the retries:\n%s", logs)
	}
	if strings.Contains(logs, token) || strings.Contains(logs, botToken) {
		t.Errorf("logs leak a token:\n%s", logs)
	}
}
