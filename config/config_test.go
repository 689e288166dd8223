package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const goodKey = "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func serveEnv(extra map[string]string) map[string]string {
	m := map[string]string{
		"DISCORD_PUBLIC_KEY":     goodKey,
		"DISCORD_APPLICATION_ID": "1234567890",
		"DISCORD_BOT_TOKEN":      "bot-token",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(serveEnv(nil)), NeedServe)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"LISTEN_ADDR", c.ListenAddr, ":8080"},
		{"METRICS_ADDR", c.MetricsAddr, ":9090"},
		{"DISCORD_API_URL", c.DiscordAPIURL, "https://discord.com/api/v10"},
		{"DATA_DIR", c.DataDir, "./data"},
		{"SESSION_TTL", c.SessionTTL, 30 * time.Minute},
		{"CLEANUP_INTERVAL", c.CleanupInterval, 5 * time.Minute},
		{"PLAN_TIMEOUT", c.PlanTimeout, 30 * time.Minute},
		{"APPLY_TIMEOUT", c.ApplyTimeout, 2 * time.Hour},
		{"MAX_CONCURRENT_RUNS", c.MaxConcurrentRuns, 4},
		{"SHUTDOWN_GRACE", c.ShutdownGrace, 5 * time.Minute},
		{"INTERRUPT_GRACE", c.InterruptGrace, 10 * time.Minute},
		{"DRIFT_INTERVAL", c.DriftInterval, time.Duration(0)},
		{"LOG_FORMAT", c.LogFormat, "json"},
		{"LOG_LEVEL", c.LogLevel, "info"},
		{"public key length", len(c.PublicKey), 32},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		need    Need
		wantVar string
	}{
		{"missing public key", map[string]string{"DISCORD_APPLICATION_ID": "1", "DISCORD_BOT_TOKEN": "x"}, NeedServe, "DISCORD_PUBLIC_KEY"},
		{"missing bot token", map[string]string{"DISCORD_PUBLIC_KEY": goodKey, "DISCORD_APPLICATION_ID": "1"}, NeedServe, "DISCORD_BOT_TOKEN"},
		{"missing application id for register", map[string]string{"DISCORD_BOT_TOKEN": "x"}, NeedBot, "DISCORD_APPLICATION_ID"},
		{"bad hex key", serveEnv(map[string]string{"DISCORD_PUBLIC_KEY": "zz"}), NeedServe, "DISCORD_PUBLIC_KEY"},
		{"short key", serveEnv(map[string]string{"DISCORD_PUBLIC_KEY": "abcd"}), NeedServe, "DISCORD_PUBLIC_KEY"},
		{"bad duration", serveEnv(map[string]string{"SESSION_TTL": "soon"}), NeedServe, "SESSION_TTL"},
		{"negative duration", serveEnv(map[string]string{"PLAN_TIMEOUT": "-5m"}), NeedServe, "PLAN_TIMEOUT"},
		{"bad interrupt grace", serveEnv(map[string]string{"INTERRUPT_GRACE": "a while"}), NeedServe, "INTERRUPT_GRACE"},
		{"bad drift interval", serveEnv(map[string]string{"DRIFT_INTERVAL": "hourly"}), NeedServe, "DRIFT_INTERVAL"},
		{"negative drift interval", serveEnv(map[string]string{"DRIFT_INTERVAL": "-1h"}), NeedServe, "DRIFT_INTERVAL"},
		{"bad int", serveEnv(map[string]string{"MAX_CONCURRENT_RUNS": "many"}), NeedServe, "MAX_CONCURRENT_RUNS"},
		{"zero runs", serveEnv(map[string]string{"MAX_CONCURRENT_RUNS": "0"}), NeedServe, "MAX_CONCURRENT_RUNS"},
		{"bad database url", serveEnv(map[string]string{"DATABASE_URL": "mysql://x"}), NeedServe, "DATABASE_URL"},
		{"bad admin id", serveEnv(map[string]string{"ADMIN_USER_IDS": "12,abc"}), NeedServe, "ADMIN_USER_IDS"},
		{"bad log format", serveEnv(map[string]string{"LOG_FORMAT": "xml"}), NeedServe, "LOG_FORMAT"},
		{"bad application id", serveEnv(map[string]string{"DISCORD_APPLICATION_ID": "app"}), NeedServe, "DISCORD_APPLICATION_ID"},
		{"bad key even for migrate", map[string]string{"DISCORD_PUBLIC_KEY": "nothex"}, NeedDatabase, "DISCORD_PUBLIC_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env), tt.need)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if ce.Variable != tt.wantVar || !strings.HasPrefix(err.Error(), tt.wantVar+": ") {
				t.Errorf("error %q does not name %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestLoadValues(t *testing.T) {
	c, err := Load(env(serveEnv(map[string]string{
		"SESSION_TTL":      "7d",
		"ADMIN_USER_IDS":   " 11, 22 ,",
		"ADMIN_ROLE_IDS":   "33",
		"DATABASE_URL":     "postgresql://u@h/db",
		"DISCORD_API_URL":  "http://127.0.0.1:1/api/v10/",
		"LOG_LEVEL":        "DEBUG",
		"CLEANUP_INTERVAL": "90s",
		"DRIFT_INTERVAL":   "6h",
	})), NeedServe)
	if err != nil {
		t.Fatal(err)
	}
	if c.SessionTTL != 7*24*time.Hour || c.CleanupInterval != 90*time.Second || c.DriftInterval != 6*time.Hour {
		t.Errorf("durations = %v, %v, %v", c.SessionTTL, c.CleanupInterval, c.DriftInterval)
	}
	if strings.Join(c.AdminUserIDs, "|") != "11|22" || strings.Join(c.AdminRoleIDs, "|") != "33" {
		t.Errorf("admin ids = %v %v", c.AdminUserIDs, c.AdminRoleIDs)
	}
	if c.DiscordAPIURL != "http://127.0.0.1:1/api/v10" || c.LogLevel != "debug" {
		t.Errorf("url/level = %q %q", c.DiscordAPIURL, c.LogLevel)
	}
}

func TestPlaygroundNeedsNothing(t *testing.T) {
	if _, err := Load(env(nil), NeedPlayground); err != nil {
		t.Fatal(err)
	}
}

func TestDotEnv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".env")
	content := "# comment\nexport DATA_DIR=/from/file\nLOG_FORMAT=\"text\"\n\nCOMMON=file\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COMMON", "process")
	lookup, err := Lookup(path)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"DATA_DIR": "/from/file", "LOG_FORMAT": "text", "COMMON": "process"} {
		if got, _ := lookup(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if err := os.WriteFile(path, []byte("garbage line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Lookup(path); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("bad .env error = %v", err)
	}
	if _, err := Lookup(filepath.Join(dir, "missing")); err != nil {
		t.Errorf("missing .env should be fine: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		tooLong bool
		invalid bool
	}{
		{in: "90s", want: 90 * time.Second},
		{in: "7d", want: 7 * 24 * time.Hour},
		{in: "365d", want: MaxDuration},
		{in: "8760h", want: MaxDuration},
		{in: "366d", tooLong: true},
		{in: "8761h", tooLong: true},
		{in: "213504d", tooLong: true}, // wrapped to 25m26s before the cap
		{in: "99999999999999999999d", invalid: true},
		{in: "soon", invalid: true},
		{in: "-1d", invalid: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDuration(tc.in)
			switch {
			case tc.tooLong:
				if !errors.Is(err, ErrDurationTooLong) {
					t.Errorf("ParseDuration(%q) = %v, %v; want ErrDurationTooLong", tc.in, got, err)
				}
			case tc.invalid:
				if err == nil || errors.Is(err, ErrDurationTooLong) {
					t.Errorf("ParseDuration(%q) = %v, %v; want an invalid-duration error", tc.in, got, err)
				}
			case err != nil || got != tc.want:
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}
