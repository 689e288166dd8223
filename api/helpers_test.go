package api_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
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
	botToken  = "bot-secret-token-api"
	guildID   = "2200000000000000001"
	channelID = "3300000000000000001"
	userID    = "4400000000000000002"
)

// service is the whole engine started as the binary starts it, on :0.
type service struct {
	main *app.Main
	url  string
	key  ed25519.PrivateKey
	logs *discordtest.LogBuffer
}

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

func startService(t testing.TB, configure func(c *config.Config)) *service {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	c := &config.Config{
		ListenAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", PublicKey: pub,
		ApplicationID: appID, BotToken: botToken, DiscordAPIURL: fake.URL(),
		DataDir: t.TempDir(), TerraformPath: terraformPath(t),
		SessionTTL: 30 * time.Minute, CleanupInterval: time.Minute,
		PlanTimeout: time.Minute, ApplyTimeout: time.Minute,
		MaxConcurrentRuns: 2, ShutdownGrace: 5 * time.Second, LogFormat: "json", LogLevel: "debug",
	}
	if configure != nil {
		configure(c)
	}
	logs := &discordtest.LogBuffer{}
	m := &app.Main{Config: c, Version: "test",
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Env:    []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}}
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &service{main: m, url: "http://" + m.Addr(), key: priv, logs: logs}
}

// sign returns Discord's signature headers for body at ts.
func sign(key ed25519.PrivateKey, ts string, body []byte) http.Header {
	return discordtest.SignatureHeaders(key, ts, body)
}

func stamp(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// answer is an HTTP response read in full.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func do(t testing.TB, method, url string, h http.Header, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// interaction is the JSON of an interaction of typ sent by a guild member
// without the ADMINISTRATOR bit.
func interaction(typ int, data any) []byte {
	id := snowflakeNow()
	b, _ := json.Marshal(map[string]any{
		"id": id, "application_id": appID, "type": typ, "token": "itok-" + id, "version": 1,
		"guild_id": guildID, "channel_id": channelID,
		"member": map[string]any{"user": map[string]any{"id": userID, "username": "alice"},
			"roles": []string{}, "permissions": "2147483648"},
		"data": data,
	})
	return b
}

// snowflakeNow is a Discord id born now, so that tokens have a real age.
func snowflakeNow() string {
	// Random low bits: ids born in the same millisecond must differ, or
	// the engine refuses the second as a replay.
	ms := uint64(time.Now().UnixMilli() - 1420070400000)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return strconv.FormatUint(ms<<22|uint64(binary.BigEndian.Uint32(b)&0x3fffff), 10)
}

var pingBody = []byte(`{"id":"1","application_id":"` + appID + `","type":1,"token":"t","version":1}`)

// reply is the JSON answer to an interaction.
type reply struct {
	Type int `json:"type"`
	Data struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	} `json:"data"`
}
