// Package config reads the service's settings from the environment once,
// validates them, and hands a plain struct to whoever needs them.
package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Config holds every setting of SPEC §3.
type Config struct {
	ListenAddr        string
	MetricsAddr       string
	PublicKey         ed25519.PublicKey
	ApplicationID     string
	BotToken          string
	DiscordAPIURL     string
	DatabaseURL       string
	DataDir           string
	TerraformPath     string
	SessionTTL        time.Duration
	CleanupInterval   time.Duration
	PlanTimeout       time.Duration
	ApplyTimeout      time.Duration
	MaxConcurrentRuns int
	ShutdownGrace     time.Duration
	InterruptGrace    time.Duration // how long an interrupted terraform may finish what is in flight
	DriftInterval     time.Duration // how often each live deployment is checked for drift; 0: never
	// LeaseInterval and LeaseTimeout are fixed by SPEC §1 and not read from
	// the environment; zero means SPEC's 10 s and 60 s. Tests shorten them.
	LeaseInterval time.Duration
	LeaseTimeout  time.Duration
	AdminUserIDs  []string
	AdminRoleIDs  []string
	LogFormat     string
	LogLevel      string

	// Whose cloud (SPEC §2): the servers served (empty: every one) and the
	// accounts projects may use.
	AllowedGuildIDs []string
	AllowedAccounts deploy.AllowedAccounts
}

// Need says which of the Discord credentials a subcommand requires.
type Need int

// What a subcommand needs.
const (
	NeedServe      Need = iota // public key, application id, bot token
	NeedBot                    // application id, bot token
	NeedDatabase               // only the database settings
	NeedPlayground             // nothing: the playground makes its own credentials
)

// Error names the variable that stopped the process.
type Error struct {
	Variable string
	Problem  string
}

func (e *Error) Error() string { return e.Variable + ": " + e.Problem }

// Load parses the environment through lookup (os.LookupEnv, or a map in
// tests) and validates it for what the subcommand needs.
func Load(lookup func(string) (string, bool), need Need) (*Config, error) {
	p := parser{lookup: lookup}
	c := &Config{
		ListenAddr:        p.str("LISTEN_ADDR", ":8080"),
		MetricsAddr:       p.str("METRICS_ADDR", ":9090"),
		ApplicationID:     p.str("DISCORD_APPLICATION_ID", ""),
		BotToken:          p.str("DISCORD_BOT_TOKEN", ""),
		DiscordAPIURL:     strings.TrimRight(p.str("DISCORD_API_URL", "https://discord.com/api/v10"), "/"),
		DatabaseURL:       p.str("DATABASE_URL", ""),
		DataDir:           p.str("DATA_DIR", "./data"),
		TerraformPath:     p.str("TERRAFORM_PATH", ""),
		SessionTTL:        p.duration("SESSION_TTL", 30*time.Minute),
		CleanupInterval:   p.duration("CLEANUP_INTERVAL", 5*time.Minute),
		PlanTimeout:       p.duration("PLAN_TIMEOUT", 30*time.Minute),
		ApplyTimeout:      p.duration("APPLY_TIMEOUT", 2*time.Hour),
		MaxConcurrentRuns: p.positiveInt("MAX_CONCURRENT_RUNS", 4),
		ShutdownGrace:     p.duration("SHUTDOWN_GRACE", 5*time.Minute),
		InterruptGrace:    p.duration("INTERRUPT_GRACE", 10*time.Minute),
		DriftInterval:     p.durationOrOff("DRIFT_INTERVAL"),
		AdminUserIDs:      p.ids("ADMIN_USER_IDS"),
		AdminRoleIDs:      p.ids("ADMIN_ROLE_IDS"),
		LogFormat:         p.oneOf("LOG_FORMAT", "json", "json", "text"),
		LogLevel:          p.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"),
	}
	c.AllowedGuildIDs = p.ids("ALLOWED_GUILD_IDS")
	c.AllowedAccounts = p.accounts("ALLOWED_ACCOUNTS")
	c.PublicKey = p.publicKey("DISCORD_PUBLIC_KEY")
	p.databaseURL("DATABASE_URL", c.DatabaseURL)
	if c.ApplicationID != "" {
		p.snowflake("DISCORD_APPLICATION_ID", c.ApplicationID)
	}
	switch need {
	case NeedServe:
		p.require("DISCORD_PUBLIC_KEY", "DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN")
	case NeedBot:
		p.require("DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN")
	}
	if p.err != nil {
		return nil, p.err
	}
	return c, nil
}

// parser collects the first problem so that Load reads as a list.
type parser struct {
	lookup func(string) (string, bool)
	err    *Error
}

func (p *parser) fail(name, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{Variable: name, Problem: fmt.Sprintf(format, args...)}
	}
}

func (p *parser) get(name string) (string, bool) {
	v, ok := p.lookup(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

func (p *parser) str(name, def string) string {
	if v, ok := p.get(name); ok {
		return v
	}
	return def
}

func (p *parser) require(names ...string) {
	for _, n := range names {
		if _, ok := p.get(n); !ok {
			p.fail(n, "is required but not set")
		}
	}
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	d, err := ParseDuration(v)
	if errors.Is(err, ErrDurationTooLong) {
		p.fail(name, "%q is %v", v, ErrDurationTooLong)
		return def
	}
	if err != nil || d <= 0 {
		p.fail(name, "%q is not a positive duration such as 90s, 30m or 2h", v)
		return def
	}
	return d
}

// durationOrOff is a duration where "0" (the default) turns the feature off.
func (p *parser) durationOrOff(name string) time.Duration {
	if v, ok := p.get(name); !ok || strings.TrimSpace(v) == "0" {
		return 0
	}
	return p.duration(name, 0)
}

func (p *parser) positiveInt(name string, def int) int {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		p.fail(name, "%q is not a positive whole number", v)
		return def
	}
	return n
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return def
}

func (p *parser) ids(name string) []string {
	v, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if _, err := strconv.ParseUint(f, 10, 64); err != nil {
			p.fail(name, "%q is not a Discord id", f)
			return nil
		}
		out = append(out, f)
	}
	return out
}

// accounts reads provider:account pairs with the core's parser, whose rules
// they are.
func (p *parser) accounts(name string) deploy.AllowedAccounts {
	v, _ := p.get(name)
	a, err := deploy.ParseAllowedAccounts(v)
	if err != nil {
		p.fail(name, "%v", err)
		return nil
	}
	return a
}

func (p *parser) snowflake(name, v string) {
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		p.fail(name, "%q is not a Discord id", v)
	}
}

func (p *parser) publicKey(name string) ed25519.PublicKey {
	v, ok := p.get(name)
	if !ok {
		return nil
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) != ed25519.PublicKeySize {
		p.fail(name, "is not a hex-encoded ed25519 public key (64 hex characters)")
		return nil
	}
	return ed25519.PublicKey(k)
}

func (p *parser) databaseURL(name, v string) {
	if v == "" || strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://") {
		return
	}
	p.fail(name, "must start with postgres:// or postgresql:// (leave it unset for SQLite)")
}

// MaxDuration is the longest duration ParseDuration accepts (the core's rule).
const MaxDuration = deploy.MaxDuration

// ErrDurationTooLong is wrapped by ParseDuration's error for a duration past
// MaxDuration, so that callers can say so rather than "invalid".
var ErrDurationTooLong = deploy.ErrDurationTooLong

// ParseDuration accepts Go durations and whole days such as "7d", up to
// MaxDuration; the core owns the rule, because grants and TTLs use it too.
func ParseDuration(s string) (time.Duration, error) {
	return deploy.ParseDuration(s)
}
