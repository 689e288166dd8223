package discordhttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// budgetClient is a client of url with the given backoff cap and time
// budget (and the default attempt budget).
func budgetClient(t *testing.T, url string, maxBackoff, budget time.Duration) *discordhttp.Client {
	t.Helper()
	c, err := discordhttp.New(discordhttp.Config{
		BaseURL: url, ApplicationID: snowflake.MustParse(appID), BotToken: botToken, Version: "test",
		Logger: slog.New(slog.DiscardHandler), Registerer: prometheus.NewRegistry(),
		MaxBackoff: maxBackoff, RetryBudget: budget,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hangUp is a server that closes every connection without answering, the
// way a failing load balancer drops them; it counts the requests.
func hangUp(t *testing.T) (url string, requests *atomic.Int32) {
	requests = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v10", requests
}

func TestRetryBudget(t *testing.T) {
	posts := func(method, path string) bool { return method == "POST" && strings.HasSuffix(path, "/messages") }
	tests := []struct {
		name       string
		status     int // injected n times; 0: connections are dropped
		n          int
		maxBackoff time.Duration
		budget     time.Duration
		requests   int
		gaveUp     bool // ErrGaveUp; otherwise success, or a *discordhttp.Error with wantStatus
		wantStatus int
		minTook    time.Duration
		maxTook    time.Duration
	}{
		{name: "5xx: every attempt, then it gives up", status: 503, n: 100, maxBackoff: 20 * time.Millisecond, budget: 10 * time.Second,
			requests: discordhttp.MaxAttempts, gaveUp: true, maxTook: 2 * time.Second},
		{name: "5xx: the time budget ends first", status: 500, n: 100, maxBackoff: 10 * time.Second, budget: 700 * time.Millisecond,
			requests: 3, gaveUp: true, minTook: 450 * time.Millisecond, maxTook: 700 * time.Millisecond},
		{name: "5xx: Discord is back within the budget", status: 502, n: 3, maxBackoff: 10 * time.Second, budget: 10 * time.Second,
			requests: 4, minTook: 1100 * time.Millisecond, maxTook: 3 * time.Second},
		{name: "network error: every attempt, then it gives up", status: 0, maxBackoff: 20 * time.Millisecond, budget: 10 * time.Second,
			requests: discordhttp.MaxAttempts, gaveUp: true, maxTook: 3 * time.Second},
		{name: "429 waits Retry-After within the budget", status: 429, n: 1, maxBackoff: 10 * time.Second, budget: 5 * time.Second,
			requests: 2, minTook: 900 * time.Millisecond, maxTook: 3 * time.Second},
		{name: "429 beyond the budget is not waited", status: 429, n: 1, maxBackoff: 10 * time.Second, budget: 500 * time.Millisecond,
			requests: 1, gaveUp: true, maxTook: 300 * time.Millisecond},
		{name: "4xx: no retry", status: 403, n: 1, maxBackoff: 10 * time.Second, budget: 10 * time.Second,
			requests: 1, wantStatus: 403, maxTook: 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var fake *discordtest.Fake
			url, dropped := hangUp(t)
			if tt.status != 0 {
				fake = discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken, RateLimit: 1000})
				fake.FailNext(posts, tt.status, tt.n)
				url = fake.URL()
			}
			c := budgetClient(t, url, tt.maxBackoff, tt.budget)
			start := time.Now()
			_, err := c.CreateMessage(context.Background(), snowflake.MustParse(channel), discord.NewMessageCreate().WithContent("x"))
			took := time.Since(start)
			var de *discordhttp.Error
			switch {
			case tt.gaveUp && !errors.Is(err, discordhttp.ErrGaveUp):
				t.Errorf("error %v, want ErrGaveUp", err)
			case tt.wantStatus != 0 && (!errors.As(err, &de) || de.Status != tt.wantStatus || errors.Is(err, discordhttp.ErrGaveUp)):
				t.Errorf("error %v, want a %d at once", err, tt.wantStatus)
			case !tt.gaveUp && tt.wantStatus == 0 && err != nil:
				t.Errorf("error %v, want success", err)
			}
			got := int(dropped.Load())
			if fake != nil {
				got = len(fake.Requests())
			}
			if got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if took < tt.minTook || took > tt.maxTook {
				t.Errorf("took %s, want %s to %s", took, tt.minTook, tt.maxTook)
			}
		})
	}
}

// TestMessageSentAgainIsNotDuplicated loses the answer to a message that
// Discord created: the client sends it again with the same nonce and gets
// the first message back.
func TestMessageSentAgainIsNotDuplicated(t *testing.T) {
	e := newEnv(t, discordtest.Options{RateLimit: 1000})
	e.fake.LoseAnswers(func(method, _ string) bool { return method == "POST" }, http.StatusBadGateway, 1)
	msg, err := e.client.CreateMessage(context.Background(), snowflake.MustParse(channel), discord.NewMessageCreate().WithContent("once"))
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(channel)
	if len(msgs) != 1 || msgs[0].ID != msg.ID.String() {
		t.Fatalf("messages %+v, returned %s: want the one message created the first time", msgs, msg.ID)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 2 || reqs[0].Status != http.StatusBadGateway {
		t.Fatalf("%d requests (first %d), want a lost answer and one retry", len(reqs), reqs[0].Status)
	}
	var nonces []string
	for _, r := range reqs {
		var body struct {
			Nonce   string `json:"nonce"`
			Enforce bool   `json:"enforce_nonce"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || body.Nonce == "" || !body.Enforce {
			t.Fatalf("body %s: want a nonce with enforce_nonce", r.Body)
		}
		nonces = append(nonces, body.Nonce)
	}
	if nonces[0] != nonces[1] {
		t.Errorf("nonces %v: the retry must send the same one", nonces)
	}
}
