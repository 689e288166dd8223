// Package discordtest is a recording fake of Discord's REST API. It
// validates every body against Discord's OpenAPI description and documented
// limits, enforces rate limits with Discord's headers, and keeps messages,
// edits and threads as a user would see them. It serves tests and the
// playground's web page, so it needs no testing.T and is safe for
// concurrent use.
package discordtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/disgoorg/snowflake/v2"
)

// Options configures a Fake.
type Options struct {
	ApplicationID string
	BotToken      string           // expected in "Authorization: Bot <token>" on bot routes
	SpecPath      string           // default: the embedded copy of Discord's OpenAPI file
	OnInvalid     func(error)      // called for every request Discord would reject as malformed
	RateLimit     int              // requests per bucket per 2 s window; ≤0 means 5
	Now           func() time.Time // optional clock for message timestamps
}

// DefaultApplicationID is used when Options.ApplicationID is empty.
const DefaultApplicationID = "1100000000000000001"

// Fake is the fake Discord.
type Fake struct {
	opts      Options
	validator *validator
	handler   http.Handler

	mu           sync.Mutex
	url          string
	lastID       uint64
	limiter      *limiter
	messages     map[string]*Message
	channels     map[string][]string // channel id → message ids in order
	interactions map[string]*interaction
	threads      []Thread
	deniedThread map[string]bool
	failures     []failure
	outages      []outage
	lost         []failure
	nonces       map[string]nonceSeen // channel/nonce → the message it created
	requests     []Request
	commands     map[string][]json.RawMessage
	subs         map[int]chan Event
	nextSub      int
}

// interaction is what the fake knows of a token once it was answered.
type interaction struct {
	ctx          InteractionContext
	originalID   string
	followups    []string
	expired      bool
	choices      json.RawMessage
	modal        json.RawMessage
	acknowledged bool
}

type failure struct {
	match  func(method, path string) bool
	status int
	left   int
}

// New builds a Fake; serve its Handler under any address.
func New(opts Options) (*Fake, error) {
	if opts.ApplicationID == "" {
		opts.ApplicationID = DefaultApplicationID
	}
	if opts.OnInvalid == nil {
		opts.OnInvalid = func(error) {}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	v, err := newValidator(opts.SpecPath)
	if err != nil {
		return nil, err
	}
	f := &Fake{
		opts:         opts,
		validator:    v,
		limiter:      newLimiter(opts.RateLimit),
		messages:     map[string]*Message{},
		channels:     map[string][]string{},
		interactions: map[string]*interaction{},
		deniedThread: map[string]bool{},
		commands:     map[string][]json.RawMessage{},
		nonces:       map[string]nonceSeen{},
		subs:         map[int]chan Event{},
	}
	f.handler = f.routes()
	return f, nil
}

// NewServer starts the fake on a local httptest server for the test's
// lifetime; invalid requests fail the test unless opts.OnInvalid is set.
func NewServer(t testing.TB, opts Options) *Fake {
	t.Helper()
	if opts.OnInvalid == nil {
		opts.OnInvalid = func(err error) { t.Errorf("fake discord: invalid request: %v", err) }
	}
	f, err := New(opts)
	if err != nil {
		t.Fatalf("fake discord: %v", err)
	}
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	f.SetURL(srv.URL + apiPrefix)
	return f
}

// Handler serves /api/v10/....
func (f *Fake) Handler() http.Handler { return f.handler }

// URL is the API base URL, /api/v10 included.
func (f *Fake) URL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.url
}

// SetURL records where the Handler is served (attachment URLs use it).
func (f *Fake) SetURL(u string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.url = u
}

// ApplicationID is the application the fake expects in routes.
func (f *Fake) ApplicationID() string { return f.opts.ApplicationID }

// ExpireToken makes later webhook calls with token fail with 401/50027.
func (f *Fake) ExpireToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if in, ok := f.interactions[token]; ok {
		in.expired = true
		return
	}
	f.interactions[token] = &interaction{ctx: InteractionContext{Token: token}, expired: true}
}

// DenyThreads makes thread creation in channelID fail with 403/50001.
func (f *Fake) DenyThreads(channelID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deniedThread[channelID] = true
}

// FailNext answers the next n requests that match with status: 429 (with
// Retry-After: 1 and Discord's headers) or a 5xx.
func (f *Fake) FailNext(match func(method, path string) bool, status int, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, failure{match: match, status: status, left: n})
}

// Messages lists the channel's messages in order, as a user sees them now.
func (f *Fake) Messages(channelID string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Message
	for _, id := range f.channels[channelID] {
		if m, ok := f.messages[id]; ok {
			out = append(out, m.clone())
		}
	}
	return out
}

// Message returns one message by id.
func (f *Fake) Message(id string) (Message, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return Message{}, false
	}
	return m.clone(), true
}

// Original returns the response message of the interaction token.
func (f *Fake) Original(token string) (Message, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in, ok := f.interactions[token]
	if !ok {
		return Message{}, false
	}
	m, ok := f.messages[in.originalID]
	if !ok {
		return Message{}, false
	}
	return m.clone(), true
}

// Autocomplete returns the choices last offered for the token.
func (f *Fake) Autocomplete(token string) (json.RawMessage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in, ok := f.interactions[token]
	if !ok || in.choices == nil {
		return nil, false
	}
	return in.choices, true
}

// Modal returns the modal opened in answer to the token.
func (f *Fake) Modal(token string) (json.RawMessage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in, ok := f.interactions[token]
	if !ok || in.modal == nil {
		return nil, false
	}
	return in.modal, true
}

// Threads lists the threads in creation order.
func (f *Fake) Threads() []Thread {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.threads)
}

// Requests lists every request received, in order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// Commands returns the commands of a guild ("" or "0" for global ones).
func (f *Fake) Commands(guildID string) []json.RawMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.commands[normGuild(guildID)])
}

func normGuild(id string) string {
	if id == "0" {
		return ""
	}
	return id
}

// newID returns a fresh snowflake; callers hold f.mu.
func (f *Fake) newID() string {
	id := max(uint64(snowflake.New(f.opts.Now())), f.lastID+1)
	f.lastID = id
	return itoa(id)
}
