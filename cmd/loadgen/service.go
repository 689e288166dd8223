package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/config"
)

const (
	appID     = "1100000000000000001"
	guildID   = "2200000000000000001"
	channelID = "3300000000000000001"
	adminID   = "4400000000000000001"
)

// startService runs the real engine in this process, as the binary does:
// SQLite in dataDir, Discord at discordURL, logs formatted and discarded.
func startService(ctx context.Context, key ed25519.PublicKey, discordURL, dataDir string) (*app.Main, error) {
	tfPath := os.Getenv("TERRAFORM_PATH")
	if tfPath == "" {
		tfPath, _ = exec.LookPath("terraform")
	}
	c := &config.Config{
		ListenAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", PublicKey: key,
		ApplicationID: appID, BotToken: "loadgen-bot-token", DiscordAPIURL: discordURL,
		DataDir: dataDir, TerraformPath: tfPath,
		SessionTTL: 30 * time.Minute, CleanupInterval: 5 * time.Minute,
		PlanTimeout: 30 * time.Minute, ApplyTimeout: 2 * time.Hour,
		MaxConcurrentRuns: 4, ShutdownGrace: 30 * time.Second, LogFormat: "json", LogLevel: "info",
	}
	m := &app.Main{Config: c, Version: "loadgen", Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}}
	if err := m.Start(ctx); err != nil {
		_ = m.Close()
		return nil, fmt.Errorf("start the engine: %w", err)
	}
	return m, nil
}

// pings are n distinct PING bodies.
func pings(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(`{"id":"` + strconv.Itoa(1000+i) + `","application_id":"` + appID + `","type":1,"token":"ping-` +
			strconv.Itoa(i) + `","version":1}`)
	}
	return out
}

// snowflakes numbers interaction ids so that no two requests of a run
// share one (the engine refuses a replayed id).
type snowflakes struct{ n atomic.Uint64 }

func (s *snowflakes) next() string {
	ms := uint64(time.Now().UnixMilli() - 1420070400000)
	return strconv.FormatUint(ms<<22|(s.n.Add(1)&0x3fffff), 10)
}

// commands are n distinct slash commands by an administrator of the
// guild, each with its own interaction id and token.
func commands(ids *snowflakes, name string, n int, options []map[string]any) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		id := ids.next()
		out[i], _ = json.Marshal(map[string]any{
			"id": id, "application_id": appID, "type": 2, "token": "loadgen-token-" + id, "version": 1,
			"guild_id": guildID, "channel_id": channelID,
			"channel": map[string]any{"id": channelID, "type": 0},
			"member": map[string]any{"user": map[string]any{"id": adminID, "username": "admin"},
				"roles": []string{}, "permissions": "8"},
			"data": map[string]any{"id": "5500000000000000001", "name": name, "type": 1, "options": options},
		})
	}
	return out
}

// seed creates a few projects so that /cloud-projects has a page to show.
func seed(ctx context.Context, url string, key ed25519.PrivateKey, ids *snowflakes) error {
	for i, provider := range []string{"sandbox", "gcp", "aws", "azure"} {
		body := commands(ids, "cloud-create-project", 1, []map[string]any{
			{"name": "project_id", "type": 3, "value": fmt.Sprintf("proj-%d", i)},
			{"name": "provider", "type": 3, "value": provider},
			{"name": "description", "type": 3, "value": "load test project"},
		})
		reqs, host, err := serialize(url, signAll(key, body))
		if err != nil {
			return err
		}
		c := &conn{addr: host}
		err = c.roundTrip(ctx, reqs[0])
		c.close()
		if err != nil {
			return fmt.Errorf("create project %d: %w", i, err)
		}
	}
	return nil
}
