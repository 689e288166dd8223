package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

const (
	appID     = "1100000000000000001"
	botToken  = "bot-secret-token-app"
	guildID   = "2200000000000000001"
	channelID = "3300000000000000001"
	userID    = "4400000000000000002"
)

// terraformPath finds the terraform the tests run; make test provides it.
func terraformPath(t testing.TB) string {
	if p := os.Getenv("TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("no terraform: set TERRAFORM_PATH or run the tests with `make test`, which installs one")
	}
	return p
}

// testConfig is a complete serve configuration on loopback ports.
func testConfig(t testing.TB, discordURL string, pub ed25519.PublicKey) *config.Config {
	return &config.Config{
		ListenAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", PublicKey: pub,
		ApplicationID: appID, BotToken: botToken, DiscordAPIURL: discordURL,
		DataDir: t.TempDir(), TerraformPath: terraformPath(t),
		SessionTTL: 30 * time.Minute, CleanupInterval: time.Minute,
		PlanTimeout: time.Minute, ApplyTimeout: time.Minute,
		MaxConcurrentRuns: 2, ShutdownGrace: 5 * time.Second, LogFormat: "json", LogLevel: "debug",
	}
}

// startMain starts m with a debug JSON logger into logs; the caller closes it.
func startMain(t testing.TB, m *app.Main, logs io.Writer) {
	t.Helper()
	m.Version = "test"
	m.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
}

// signedPost sends body to url as Discord would, signed with key.
func signedPost(t testing.TB, url string, key ed25519.PrivateKey, body []byte) (int, []byte) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = discordtest.SignatureHeaders(key, ts, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	return resp.StatusCode, raw
}

// command is a slash command by a guild member, with a token of its own.
func command(name string) (body []byte, token string) {
	ms := uint64(time.Now().UnixMilli() - 1420070400000)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	// Random low bits: ids born in the same millisecond must differ, or
	// the engine refuses the second as a replay.
	id := strconv.FormatUint(ms<<22|uint64(binary.BigEndian.Uint32(b)&0x3fffff), 10)
	token = "aW50ZXJhY3Rpb246" + hex.EncodeToString(b)
	body, _ = json.Marshal(map[string]any{
		"id": id, "application_id": appID, "type": 2, "token": token, "version": 1,
		"guild_id": guildID, "channel_id": channelID,
		"channel": map[string]any{"id": channelID, "type": 0},
		"member": map[string]any{"user": map[string]any{"id": userID, "username": "alice"},
			"roles": []string{}, "permissions": "2147483648"},
		"data": map[string]any{"id": "5500000000000000001", "name": name, "type": 1},
	})
	return body, token
}

// eventually polls cond until it holds or d passes.
func eventually(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", d, what)
}
