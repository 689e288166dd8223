// Package discordhttp sends the service's messages, threads and commands to
// Discord's REST API through disgo, under one retry policy, with metrics,
// and without ever logging a token.
package discordhttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/disgo/rest"
	"github.com/disgoorg/snowflake/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultBaseURL is Discord's API, version included.
const DefaultBaseURL = "https://discord.com/api/v10"

const projectURL = "https://github.com/cloudengine/cloud-engine"

// Route templates: the metric label and the error text, never the URL.
const (
	routeEditOriginal   = "PATCH /webhooks/{application_id}/{token}/messages/@original"
	routeFollowup       = "POST /webhooks/{application_id}/{token}"
	routeStartThread    = "POST /channels/{channel_id}/messages/{message_id}/threads"
	routeCreateMessage  = "POST /channels/{channel_id}/messages"
	routeEditMessage    = "PATCH /channels/{channel_id}/messages/{message_id}"
	routeGlobalCommands = "PUT /applications/{application_id}/commands"
	routeGuildCommands  = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
)

// Discord's documented thread name limit.
// https://discord.com/developers/docs/resources/channel#start-thread-from-message
const maxThreadName = 100

// Config configures a Client.
type Config struct {
	BaseURL       string // DISCORD_API_URL, default DefaultBaseURL
	ApplicationID snowflake.ID
	BotToken      string // may be empty: bot-token routes then fail with ErrNoBotToken
	Version       string // for the User-Agent
	Logger        *slog.Logger
	Registerer    prometheus.Registerer // metrics are registered here
	HTTPClient    *http.Client          // optional
	MaxBackoff    time.Duration         // optional cap for 5xx backoff, default 10s
	// MaxAttempts and RetryBudget bound every call (requests, and time
	// with waits); 0 means MaxAttempts and DefaultRetryBudget.
	MaxAttempts int
	RetryBudget time.Duration
	// BucketCleanup is how often disgo drops expired rate-limit buckets
	// (logging each at debug); 0 keeps disgo's 10 s.
	BucketCleanup time.Duration
}

// Client talks to Discord's REST API. It is safe for concurrent use.
type Client struct {
	rest       rest.Rest
	appID      snowflake.ID
	hasBot     bool
	redact     redactor
	log        *slog.Logger
	maxBackoff time.Duration
	attempts   int
	budget     time.Duration
}

// Discord is one host, and every deferred answer edits it from its own
// goroutine. Go's default transport keeps only two idle connections per
// host, so under a burst of interactions nearly every edit dialed (and, on
// discord.com, handshook TLS) anew; measured with cmd/loadgen, dialing was
// a tenth of the engine's CPU time.
const (
	idleConns   = 64
	httpTimeout = 20 * time.Second
)

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = idleConns, idleConns
	return &http.Client{Transport: t, Timeout: httpTimeout}
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.ApplicationID == 0 {
		return nil, errors.New("discordhttp: application id is required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = defaultMaxBackoff
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = MaxAttempts
	}
	if cfg.RetryBudget <= 0 {
		cfg.RetryBudget = DefaultRetryBudget
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	httpClient := defaultHTTPClient()
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		httpClient = &copied
	}
	next := httpClient.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	httpClient.Transport = countingTransport{next: next, metrics: m}

	red := redactor{botToken: cfg.BotToken}
	// Both disgo loggers print endpoint URLs and rate-limit bucket hashes,
	// the interaction token included.
	disgoLog := slog.New(redactHandler{inner: cfg.Logger.Handler(), r: red})
	restClient := rest.NewClient(cfg.BotToken,
		rest.WithURL(cfg.BaseURL),
		rest.WithHTTPClient(httpClient),
		rest.WithUserAgent(fmt.Sprintf("DiscordBot (%s, %s)", projectURL, cfg.Version)),
		rest.WithLogger(disgoLog),
		// disgo's buckets wait pre-emptively; 429s come back to do() (one
		// retry policy, counted and logged there) instead of being retried
		// inside disgo.
		rest.WithRateLimiterConfigOpts(limiterOpts(cfg, disgoLog)...),
	)
	return &Client{
		rest: rest.New(restClient, rest.WithDefaultAllowedMentions(discord.AllowedMentions{
			Parse: []discord.AllowedMentionType{},
			Roles: []snowflake.ID{},
			Users: []snowflake.ID{},
		})),
		appID:      cfg.ApplicationID,
		hasBot:     cfg.BotToken != "",
		redact:     red,
		log:        cfg.Logger,
		maxBackoff: cfg.MaxBackoff,
		attempts:   cfg.MaxAttempts,
		budget:     cfg.RetryBudget,
	}, nil
}

func limiterOpts(cfg Config, log *slog.Logger) []rest.RateLimiterConfigOpt {
	opts := []rest.RateLimiterConfigOpt{rest.WithMaxRetries(1), rest.WithRateLimiterLogger(log)}
	if cfg.BucketCleanup > 0 {
		opts = append(opts, rest.WithCleanupInterval(cfg.BucketCleanup))
	}
	return opts
}

// HasBotToken reports whether bot-token routes can be used.
func (c *Client) HasBotToken() bool { return c.hasBot }

// EditOriginal edits the interaction's original response.
func (c *Client) EditOriginal(ctx context.Context, interactionToken string, u discord.MessageUpdate) (*discord.Message, error) {
	files, err := bufferFiles(u.Files)
	if err != nil {
		return nil, err
	}
	var msg *discord.Message
	err = c.do(ctx, routeEditOriginal, func(opt rest.RequestOpt) (err error) {
		u.Files = files.fresh()
		msg, err = c.rest.UpdateInteractionResponse(c.appID, interactionToken, u, opt)
		return err
	})
	return msg, err
}

// CreateFollowup posts a follow-up message with the interaction token.
// Webhook messages take no nonce, so a follow-up retried after a lost
// answer may show twice.
func (c *Client) CreateFollowup(ctx context.Context, interactionToken string, m discord.MessageCreate) (*discord.Message, error) {
	m.Nonce, m.EnforceNonce = "", false
	files, err := bufferFiles(m.Files)
	if err != nil {
		return nil, err
	}
	var msg *discord.Message
	err = c.do(ctx, routeFollowup, func(opt rest.RequestOpt) (err error) {
		m.Files = files.fresh()
		msg, err = c.rest.CreateFollowupMessage(c.appID, interactionToken, m, opt)
		return err
	})
	return msg, err
}

// StartThread starts a public thread from a message, archived after a day
// of inactivity.
func (c *Client) StartThread(ctx context.Context, channelID, messageID snowflake.ID, name string) (*discord.GuildThread, error) {
	if !c.hasBot {
		return nil, ErrNoBotToken
	}
	if r := []rune(name); len(r) > maxThreadName {
		name = string(r[:maxThreadName])
	}
	body := discord.ThreadCreateFromMessage{Name: name, AutoArchiveDuration: discord.AutoArchiveDuration24h}
	var thread *discord.GuildThread
	err := c.do(ctx, routeStartThread, func(opt rest.RequestOpt) (err error) {
		thread, err = c.rest.CreateThreadFromMessage(channelID, messageID, body, opt)
		return err
	})
	return thread, err
}

// CreateMessage posts a message with the bot token; m.Files are uploaded.
// The message carries a nonce that Discord enforces (m's own, or a fresh
// one), so that sending it again after a 5xx or a lost answer returns the
// message created the first time instead of a second one.
func (c *Client) CreateMessage(ctx context.Context, channelID snowflake.ID, m discord.MessageCreate) (*discord.Message, error) {
	if !c.hasBot {
		return nil, ErrNoBotToken
	}
	if m.Nonce == "" {
		m.Nonce = NewNonce()
	}
	m.EnforceNonce = true
	files, err := bufferFiles(m.Files)
	if err != nil {
		return nil, err
	}
	var msg *discord.Message
	err = c.do(ctx, routeCreateMessage, func(opt rest.RequestOpt) (err error) {
		m.Files = files.fresh()
		msg, err = c.rest.CreateMessage(channelID, m, opt)
		return err
	})
	return msg, err
}

// EditMessage edits a message with the bot token, which outlives the
// 15-minute interaction token.
func (c *Client) EditMessage(ctx context.Context, channelID, messageID snowflake.ID, u discord.MessageUpdate) (*discord.Message, error) {
	if !c.hasBot {
		return nil, ErrNoBotToken
	}
	files, err := bufferFiles(u.Files)
	if err != nil {
		return nil, err
	}
	var msg *discord.Message
	err = c.do(ctx, routeEditMessage, func(opt rest.RequestOpt) (err error) {
		u.Files = files.fresh()
		msg, err = c.rest.UpdateMessage(channelID, messageID, u, opt)
		return err
	})
	return msg, err
}

// BulkOverwriteCommands replaces the application's commands in one guild,
// or globally when guildID is 0.
func (c *Client) BulkOverwriteCommands(ctx context.Context, guildID snowflake.ID, cmds []discord.ApplicationCommandCreate) ([]discord.ApplicationCommand, error) {
	if !c.hasBot {
		return nil, ErrNoBotToken
	}
	var out []discord.ApplicationCommand
	if guildID == 0 {
		err := c.do(ctx, routeGlobalCommands, func(opt rest.RequestOpt) (err error) {
			out, err = c.rest.SetGlobalCommands(c.appID, cmds, opt)
			return err
		})
		return out, err
	}
	err := c.do(ctx, routeGuildCommands, func(opt rest.RequestOpt) (err error) {
		out, err = c.rest.SetGuildCommands(c.appID, guildID, cmds, opt)
		return err
	})
	return out, err
}
