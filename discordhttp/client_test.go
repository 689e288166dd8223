package discordhttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/omit"
	"github.com/disgoorg/snowflake/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

const (
	botToken = "test-bot-token-Zm9vYmFyYmF6"
	appID    = "1100000000000000001"
	guildID  = "1200000000000000001"
	channel  = "1300000000000000001"
)

type env struct {
	fake   *discordtest.Fake
	client *discordhttp.Client
	reg    *prometheus.Registry
	logs   *discordtest.LogBuffer
}

func newEnv(t *testing.T, opts discordtest.Options) env {
	t.Helper()
	opts.ApplicationID, opts.BotToken = appID, botToken
	fake := discordtest.NewServer(t, opts)
	return newEnvAt(t, fake, fake.URL(), botToken)
}

func newEnvAt(t *testing.T, fake *discordtest.Fake, url, token string) env {
	t.Helper()
	logs := &discordtest.LogBuffer{}
	reg := prometheus.NewRegistry()
	c, err := discordhttp.New(discordhttp.Config{
		BaseURL:       url,
		ApplicationID: snowflake.MustParse(appID),
		BotToken:      token,
		Version:       "test",
		Logger:        slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Registerer:    reg,
		MaxBackoff:    time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return env{fake: fake, client: c, reg: reg, logs: logs}
}

// deferred answers an interaction with a type-5 deferral, as the service does.
func (e env) deferred(t *testing.T, token string) {
	t.Helper()
	ic := discordtest.InteractionContext{Token: token, GuildID: guildID, ChannelID: channel, UserID: "42"}
	if err := e.fake.Respond(ic, []byte(`{"type":5}`)); err != nil {
		t.Fatal(err)
	}
}

func TestEditOriginalSendsSafeValidBody(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.deferred(t, "tok-edit")
	msg, err := e.client.EditOriginal(context.Background(), "tok-edit",
		discord.NewMessageUpdate().WithContent("plan ready @everyone"))
	if err != nil {
		t.Fatal(err)
	}
	orig, ok := e.fake.Original("tok-edit")
	if !ok || orig.Content != "plan ready @everyone" || orig.Thinking || msg.ID.String() != orig.ID {
		t.Fatalf("original = %+v (ok %v), returned id %s", orig, ok, msg.ID)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	if want := "DiscordBot (https://github.com/cloudengine/cloud-engine, test)"; reqs[0].UserAgent != want {
		t.Errorf("User-Agent %q, want %q", reqs[0].UserAgent, want)
	}
	var body struct {
		AllowedMentions struct {
			Parse *[]string `json:"parse"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if p := body.AllowedMentions.Parse; p == nil || len(*p) != 0 {
		t.Errorf("allowed_mentions.parse = %v in %s, want []", p, reqs[0].Body)
	}
	if !strings.Contains(string(reqs[0].Body), `"parse":[]`) {
		t.Errorf("body %s lacks \"parse\":[]", reqs[0].Body)
	}
}

func TestRetryPolicyRecovers(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		n        int
		minWait  time.Duration
		maxWait  time.Duration
		attempts int
	}{
		{"429 waits Retry-After", 429, 1, 900 * time.Millisecond, 3 * time.Second, 2},
		{"500s back off", 500, 2, 450 * time.Millisecond, 3 * time.Second, 3},
		{"502 once", 502, 1, 150 * time.Millisecond, 2 * time.Second, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, discordtest.Options{})
			e.deferred(t, "tok-retry")
			e.fake.FailNext(func(method, _ string) bool { return method == "PATCH" }, tt.status, tt.n)
			start := time.Now()
			_, err := e.client.EditOriginal(context.Background(), "tok-retry", discord.NewMessageUpdate().WithContent("x"))
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if took < tt.minWait || took > tt.maxWait {
				t.Errorf("took %v, want between %v and %v", took, tt.minWait, tt.maxWait)
			}
			if got := len(e.fake.Requests()); got != tt.attempts {
				t.Errorf("%d requests, want %d", got, tt.attempts)
			}
		})
	}
}

func TestClientErrorFailsAtOnce(t *testing.T) {
	var invalid []error
	var mu sync.Mutex
	e := newEnv(t, discordtest.Options{OnInvalid: func(err error) { mu.Lock(); invalid = append(invalid, err); mu.Unlock() }})
	e.deferred(t, "tok-400")
	_, err := e.client.EditOriginal(context.Background(), "tok-400",
		discord.NewMessageUpdate().WithContent(strings.Repeat("a", 2001)))
	var de *discordhttp.Error
	if !errors.As(err, &de) || de.Status != 400 || de.Code != 50035 {
		t.Fatalf("error %v, want a 400 with code 50035", err)
	}
	if got := len(e.fake.Requests()); got != 1 {
		t.Errorf("%d requests, want 1 (no retry)", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(invalid) != 1 {
		t.Errorf("fake reported %d invalid requests, want 1", len(invalid))
	}
}

func TestDeadlineStopsRetries(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.deferred(t, "tok-deadline")
	e.fake.FailNext(func(string, string) bool { return true }, 500, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.client.EditOriginal(ctx, "tok-deadline", discord.NewMessageUpdate().WithContent("x"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("gave up after %v, want about the 700ms deadline", took)
	}
}

func TestBotRoutesNeedToken(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	noBot := newEnvAt(t, e.fake, e.fake.URL(), "")
	if noBot.client.HasBotToken() || !e.client.HasBotToken() {
		t.Fatal("HasBotToken does not reflect the configuration")
	}
	ctx := context.Background()
	ch := snowflake.MustParse(channel)
	_, err := noBot.client.CreateMessage(ctx, ch, discord.NewMessageCreate().WithContent("x"))
	if !errors.Is(err, discordhttp.ErrNoBotToken) {
		t.Errorf("CreateMessage: %v, want ErrNoBotToken", err)
	}
	if _, err := noBot.client.StartThread(ctx, ch, ch, "t"); !errors.Is(err, discordhttp.ErrNoBotToken) {
		t.Errorf("StartThread: %v, want ErrNoBotToken", err)
	}
}

func TestTokenExpired(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.deferred(t, "tok-old")
	e.fake.ExpireToken("tok-old")
	for _, token := range []string{"tok-old", "tok-never-seen"} {
		_, err := e.client.EditOriginal(context.Background(), token, discord.NewMessageUpdate().WithContent("x"))
		if !discordhttp.IsTokenExpired(err) {
			t.Errorf("%s: %v, want IsTokenExpired", token, err)
		}
		if discordhttp.IsMissingAccess(err) {
			t.Errorf("%s: %v reported as missing access", token, err)
		}
	}
}

func TestCommandsOverwrite(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	cmds := []discord.ApplicationCommandCreate{discord.SlashCommandCreate{
		Name: "deploy", Description: "Plan a deployment",
		DefaultMemberPermissions: omit.NewPtr(discord.PermissionManageGuild),
	}}
	for _, g := range []string{guildID, "0"} {
		out, err := e.client.BulkOverwriteCommands(context.Background(), snowflake.MustParse(g), cmds)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0].Name() != "deploy" || len(e.fake.Commands(g)) != 1 {
			t.Errorf("guild %s: returned %v, fake holds %d", g, out, len(e.fake.Commands(g)))
		}
	}
}

// TestBurstRespectsRateLimit sends more edits than the bucket allows: the
// client must wait for the reset instead of failing or hammering Discord.
func TestBurstRespectsRateLimit(t *testing.T) {
	e := newEnv(t, discordtest.Options{RateLimit: 3})
	e.deferred(t, "tok-burst")
	for i := range 5 {
		if _, err := e.client.EditOriginal(context.Background(), "tok-burst", discord.NewMessageUpdate().WithContent(strings.Repeat("x", i+1))); err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
	}
	limited := 0
	for _, r := range e.fake.Requests() {
		if r.Status == 429 {
			limited++
		}
	}
	if orig, _ := e.fake.Original("tok-burst"); orig.Content != "xxxxx" || orig.Edits != 4 {
		t.Errorf("original %q after %d edits, want xxxxx after 4", orig.Content, orig.Edits)
	}
	if limited > 2 {
		t.Errorf("%d responses were 429, want the client to wait for the reset", limited)
	}
}
