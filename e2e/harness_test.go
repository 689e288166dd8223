package e2e

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

const (
	appID     = "1100000000000000001"
	botToken  = "bot-secret-token-e2e"
	guildID   = "2200000000000000001"
	channelID = "3300000000000000001"
)

// user is a member of the test guild.
type user struct {
	ID    string
	Perms string
	Roles []string
	Guild string // default: the harness's guild
}

var (
	admin = user{ID: "4400000000000000001", Perms: "8"}
	alice = user{ID: "4400000000000000002", Perms: "2147483648"}
	bob   = user{ID: "4400000000000000003", Perms: "2147483648"}
	carol = user{ID: "4400000000000000004", Perms: "2147483648"}
)

type harness struct {
	t       testing.TB
	fake    *discordtest.Fake
	main    *app.Main // nil when the service runs as a separate process
	store   *db.DB    // the service's database, as the test reads it
	url     string
	key     ed25519.PrivateKey
	logs    *discordtest.LogBuffer
	seq     atomic.Uint64
	guild   string
	channel string
	stopped atomic.Bool

	tokensMu sync.Mutex
	tokens   []string // every interaction token the test issued
}

type options struct {
	configure func(c *config.Config)
	rateLimit int
	fake      *discordtest.Fake // share a fake Discord between two services
}

// terraformPath finds the terraform the tests run; make test provides it.
func terraformPath(t testing.TB) string {
	if p := os.Getenv("TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no terraform: set TERRAFORM_PATH or run the tests with `make test`, which installs one")
	}
	return p
}

func start(t testing.TB, o options) *harness {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := o.fake
	if fake == nil {
		fake = discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken, RateLimit: o.rateLimit})
	}
	c := &config.Config{
		ListenAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", PublicKey: pub,
		ApplicationID: appID, BotToken: botToken, DiscordAPIURL: fake.URL(),
		DataDir: t.TempDir(), TerraformPath: terraformPath(t),
		SessionTTL: 30 * time.Minute, CleanupInterval: time.Minute,
		PlanTimeout: 5 * time.Minute, ApplyTimeout: 5 * time.Minute,
		MaxConcurrentRuns: 4, ShutdownGrace: 30 * time.Second, LogFormat: "json", LogLevel: "debug",
	}
	if o.configure != nil {
		o.configure(c)
	}
	logs := &discordtest.LogBuffer{}
	m := &app.Main{Config: c, Version: "test", Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")},
		// Often, so that its debug lines (bucket hashes hold interaction
		// tokens) reach the logs every test scans.
		DiscordBucketCleanup: 250 * time.Millisecond}
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	h := &harness{t: t, fake: fake, main: m, store: m.DB, url: "http://" + m.Addr(), key: priv, logs: logs, guild: guildID, channel: channelID}
	t.Cleanup(func() {
		h.stop()
		h.checkNoTokenLogged()
	})
	return h
}

// checkNoTokenLogged fails the test when the bot token or any interaction
// token it issued appears in the service's logs (SPEC §5).
func (h *harness) checkNoTokenLogged() {
	out := h.logs.String()
	if strings.Contains(out, botToken) {
		h.t.Errorf("the bot token appears in the logs")
	}
	h.tokensMu.Lock()
	defer h.tokensMu.Unlock()
	for _, tok := range h.tokens {
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, tok) {
				h.t.Errorf("interaction token %s appears in the logs: %s", tok, line)
				break
			}
		}
	}
}

// stop closes the service (once); later requests fail.
func (h *harness) stop() {
	if h.stopped.Swap(true) || h.main == nil {
		return
	}
	if err := h.main.Close(); err != nil {
		h.t.Errorf("close: %v", err)
	}
}

// reply is the service's HTTP answer to an interaction.
type reply struct {
	Status int
	Type   int
	Data   map[string]any
	Token  string
	Raw    []byte
	Body   []byte    // the signed request, for replaying it
	Sent   time.Time // its signed timestamp
}

// Content is the answer's message text.
func (r reply) Content() string { s, _ := r.Data["content"].(string); return s }

// Ephemeral reports whether the answer is only for the invoker.
func (r reply) Ephemeral() bool {
	f, _ := r.Data["flags"].(float64)
	return int(f)&64 != 0
}

// snowflake returns a fresh id born now, so tokens have a real age.
func (h *harness) snowflake() string {
	ms := uint64(time.Now().UnixMilli() - 1420070400000)
	return strconv.FormatUint(ms<<22|(h.seq.Add(1)&0x3fffff), 10)
}

// post signs and sends an interaction, then hands the answer to the fake
// the way Discord would apply it.
func (h *harness) post(u user, typ int, data any, message map[string]any) reply {
	h.t.Helper()
	id := h.snowflake()
	token := "itok-" + id + "-" + hex.EncodeToString(randBytes(8))
	h.tokensMu.Lock()
	h.tokens = append(h.tokens, token)
	h.tokensMu.Unlock()
	guild := h.guild
	if u.Guild != "" {
		guild = u.Guild
	}
	in := map[string]any{
		"id": id, "application_id": appID, "type": typ, "token": token, "version": 1,
		"guild_id": guild, "channel_id": h.channel,
		"channel": map[string]any{"id": h.channel, "type": 0},
		"member":  map[string]any{"user": map[string]any{"id": u.ID, "username": "user" + u.ID[len(u.ID)-2:]}, "roles": nonNil(u.Roles), "permissions": u.Perms},
		"data":    data, "app_permissions": "309237730304", "locale": "en-US",
	}
	if message != nil {
		in["message"] = message
	}
	body, _ := json.Marshal(in)
	sent := time.Now()
	r := h.postRaw(body, sent)
	r.Token, r.Body, r.Sent = token, body, sent
	if r.Status == http.StatusOK && typ != 1 {
		src := ""
		if message != nil {
			src, _ = message["id"].(string)
		}
		ic := discordtest.InteractionContext{Token: token, GuildID: guild, ChannelID: h.channel, SourceMessageID: src, UserID: u.ID}
		if err := h.fake.Respond(ic, r.Raw); err != nil {
			h.t.Errorf("Discord would reject the answer %s: %v", r.Raw, err)
		}
	}
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// postRaw signs body with a timestamp and POSTs it.
func (h *harness) postRaw(body []byte, ts time.Time) reply {
	h.t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, h.url+"/interactions", bytes.NewReader(body))
	req.Header = discordtest.SignatureHeaders(h.key, stamp, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("POST /interactions: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{Status: resp.StatusCode, Raw: raw}
	var parsed struct {
		Type int            `json:"type"`
		Data map[string]any `json:"data"`
	}
	if json.Unmarshal(raw, &parsed) == nil {
		r.Type, r.Data = parsed.Type, parsed.Data
	}
	return r
}

// opt is one slash-command option.
type opt struct {
	Name  string
	Value any
}

func (h *harness) command(u user, name string, opts ...opt) reply {
	h.t.Helper()
	var os []map[string]any
	for _, o := range opts {
		t := 3
		switch o.Value.(type) {
		case int:
			t = 4
		case user:
			t, o.Value = 6, o.Value.(user).ID
		}
		os = append(os, map[string]any{"name": o.Name, "type": t, "value": o.Value})
	}
	return h.post(u, 2, map[string]any{"id": "5500000000000000001", "name": name, "type": 1, "options": os}, nil)
}

func (h *harness) autocomplete(u user, name, focused, value string) reply {
	h.t.Helper()
	return h.post(u, 4, map[string]any{"id": "5500000000000000001", "name": name, "type": 1,
		"options": []map[string]any{{"name": focused, "type": 3, "value": value, "focused": true}}}, nil)
}

func (h *harness) message(msgID string) map[string]any {
	return map[string]any{"id": msgID, "channel_id": h.channel, "flags": 0}
}

func (h *harness) click(u user, msgID, customID string) reply {
	h.t.Helper()
	return h.post(u, 3, map[string]any{"custom_id": customID, "component_type": 2}, h.message(msgID))
}

func (h *harness) choose(u user, msgID, customID string, values ...string) reply {
	h.t.Helper()
	return h.post(u, 3, map[string]any{"custom_id": customID, "component_type": 3, "values": values}, h.message(msgID))
}

// submit sends a modal submit with the label layout Discord uses today.
func (h *harness) submit(u user, msgID, customID string, values map[string]string) reply {
	h.t.Helper()
	var comps []map[string]any
	for k, v := range values {
		comps = append(comps, map[string]any{"type": 18, "component": map[string]any{"type": 4, "custom_id": k, "value": v}})
	}
	return h.post(u, 5, map[string]any{"custom_id": customID, "components": comps}, h.message(msgID))
}

// eventually polls cond until it holds or the deadline passes.
func (h *harness) eventually(what string, d time.Duration, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("timed out after %s waiting for %s", d, what)
}

func fmtJSON(v any) string { b, _ := json.MarshalIndent(v, "", "  "); return string(b) }
