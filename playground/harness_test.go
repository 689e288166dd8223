package playground

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// running is a playground started as the binary starts it, on :0.
type running struct {
	pg   *Playground
	main *app.Main
	url  string
	logs *discordtest.LogBuffer
}

// startPlayground runs the real service wired to the stand-in, bootstrapped.
// dataDir may be shared between two starts to test a restart.
func startPlayground(t *testing.T, dataDir string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &discordtest.LogBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	pg, err := New(ctx, Options{Logger: log})
	if err != nil {
		t.Fatalf("playground: %v", err)
	}
	c := &config.Config{
		ListenAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", DataDir: dataDir, TerraformPath: terraformPath(t),
		SessionTTL: 30 * time.Minute, CleanupInterval: time.Minute, PlanTimeout: 2 * time.Minute,
		ApplyTimeout: 2 * time.Minute, MaxConcurrentRuns: 2, ShutdownGrace: 10 * time.Second,
		LogFormat: "text", LogLevel: "debug",
	}
	pg.Configure(c)
	m := &app.Main{Config: c, Logger: log, Version: "test", Extra: pg.Routes,
		Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}}
	if err := m.Start(ctx); err != nil {
		cancel()
		t.Fatalf("start: %v", err)
	}
	pg.Connect(m.Addr())
	r := &running{pg: pg, main: m, url: "http://" + m.Addr(), logs: logs}
	t.Cleanup(func() {
		cancel() // ends the page's event streams first
		if err := m.Close(); err != nil {
			t.Errorf("close service: %v", err)
		}
		if err := pg.Close(); err != nil {
			t.Errorf("close playground: %v", err)
		}
		if strings.Contains(logs.String(), "DISCORD WOULD REJECT") || strings.Contains(logs.String(), "Discord would reject") {
			t.Errorf("the fake Discord saw requests Discord would reject:\n%s", grepLines(logs.String(), "ould reject"))
		}
	})
	if err := pg.Bootstrap(ctx); err != nil {
		t.Fatalf("bootstrap: %v\nlogs:\n%s", err, logs.String())
	}
	return r
}

// terraformPath finds the terraform the tests run; make test provides it.
func terraformPath(t *testing.T) string {
	if p := os.Getenv("TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no terraform: set TERRAFORM_PATH or run the tests with `make test`, which installs one")
	}
	return p
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
