// Package playground runs the whole product on one machine without a
// Discord account: the real service is wired to the recording fake Discord
// of the tests, and a web page shows one server and one channel the way
// Discord does. Every command and click on the page becomes a real signed
// interaction POSTed to the service's own /interactions endpoint.
package playground

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// The stand-in's fixed identity. Data in DATA_DIR is scoped by guild, so a
// fixed guild keeps the playground's projects across restarts.
const (
	ApplicationID = "1300000000000000001"
	BotToken      = "playground-bot-token"
	GuildID       = "1300000000000000002"
	ChannelID     = "1300000000000000003"
	GuildName     = "Cloud Engine Playground"
	ChannelName   = "deployments"
)

// defaultRateLimit keeps Discord's rate-limit machinery in play while
// letting the page feel instant.
const defaultRateLimit = 1000

// Options configures a Playground.
type Options struct {
	Logger    *slog.Logger
	RateLimit int    // requests per bucket per 2 s window; ≤0 means defaultRateLimit
	SpecPath  string // Discord's OpenAPI file; "" finds it at the module root
}

// Playground is the Discord stand-in, its signing key and the page.
type Playground struct {
	log     *slog.Logger
	fake    *discordtest.Fake
	srv     *http.Server
	fakeURL string
	pub     ed25519.PublicKey
	key     ed25519.PrivateKey
	seq     seq
	done    <-chan struct{} // ends the page's event streams

	mu      sync.Mutex
	service string                // base URL of the service's public listener
	invoked map[string]invocation // interaction token → who triggered it
}

// invocation is what the page shows above a reply: who used which command.
type invocation struct {
	UserID  string `json:"user_id"`
	Command string `json:"command,omitempty"`
}

// New starts the fake Discord on its own 127.0.0.1 listener. When ctx ends,
// the page's event streams end too, so the service can shut down promptly.
func New(ctx context.Context, o Options) (*Playground, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.RateLimit <= 0 {
		o.RateLimit = defaultRateLimit
	}
	log := o.Logger.With("component", "playground")
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	fake, err := discordtest.New(discordtest.Options{
		ApplicationID: ApplicationID, BotToken: BotToken, SpecPath: o.SpecPath, RateLimit: o.RateLimit,
		// Discord would reject these requests: say so loudly, it is a bug.
		OnInvalid: func(err error) { log.Error("DISCORD WOULD REJECT THIS REQUEST", "err", err) },
	})
	if err != nil {
		return nil, fmt.Errorf("start the Discord stand-in: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake discord listener: %w", err)
	}
	p := &Playground{log: log, fake: fake, pub: pub, key: key, invoked: map[string]invocation{}, done: ctx.Done(),
		fakeURL: "http://" + ln.Addr().String() + "/api/v10"}
	fake.SetURL(p.fakeURL)
	p.srv = &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("fake discord stopped", "err", err)
		}
	}()
	return p, nil
}

// Configure points the service at the stand-in: its URL, identity, the
// public key the playground signs with, and its one server.
func (p *Playground) Configure(c *config.Config) {
	c.PublicKey = p.pub
	c.ApplicationID = ApplicationID
	c.BotToken = BotToken
	c.DiscordAPIURL = p.fakeURL
	// The stand-in has one server; serving only it also keeps an operator's
	// ALLOWED_GUILD_IDS in .env from locking the page out.
	c.AllowedGuildIDs = []string{GuildID}
}

// Connect tells the playground where the service's public listener is.
func (p *Playground) Connect(serviceAddr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.service = "http://" + serviceAddr
}

// Fake is the Discord stand-in, for tests that look behind the page.
func (p *Playground) Fake() *discordtest.Fake { return p.fake }

// Close stops the stand-in.
func (p *Playground) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("stop fake discord: %w", err)
	}
	return nil
}

func (p *Playground) serviceURL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.service
}

func (p *Playground) remember(token string, in invocation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.invoked[token] = in
}

func (p *Playground) invocation(token string) (invocation, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	in, ok := p.invoked[token]
	return in, ok
}
