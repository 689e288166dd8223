package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/deploy"
)

// tokenLifetime is how long Discord accepts an interaction token; edits
// switch to the bot token a minute before it ends.
const tokenLifetime = 14 * time.Minute

// Reporter implements deploy.Reporter on Discord's REST API.
type Reporter struct {
	d   Discord
	log *slog.Logger
	now func() time.Time

	mu    sync.Mutex
	locks map[string]*lobbyLock // one per session with a pending edit
}

// lobbyLock serializes a lobby's edits and remembers the newest version
// shown, so that a late edit never replaces a newer one.
type lobbyLock struct {
	sync.Mutex
	version int64
	users   int
	created string // the lobby message this reporter created, for sessions without a token
}

var _ deploy.Reporter = (*Reporter)(nil)

// NewReporter returns a reporter sending through d.
func NewReporter(d Discord, log *slog.Logger, now func() time.Time) *Reporter {
	if now == nil {
		now = time.Now
	}
	return &Reporter{d: d, log: log, now: now, locks: map[string]*lobbyLock{}}
}

func (r *Reporter) lock(id string) *lobbyLock {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.locks[id]
	if !ok {
		l = &lobbyLock{}
		r.locks[id] = l
	}
	l.users++
	return l
}

func (r *Reporter) unlock(id string, l *lobbyLock) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l.users--
	if l.users == 0 && l.version == 0 {
		delete(r.locks, id)
	}
}

// Lobby edits the lobby message; within the interaction token's life it
// uses the token, afterwards the bot token on the channel message.
func (r *Reporter) Lobby(ctx context.Context, v deploy.LobbyView) (string, error) {
	s := v.Session
	l := r.lock(s.ID)
	defer r.unlock(s.ID, l)
	l.Lock()
	defer l.Unlock()
	if s.Version < l.version {
		return "", nil // a newer state is already shown
	}
	s = l.withCreated(s)
	msg, err := r.editLobby(ctx, s, renderLobby(v))
	if err != nil {
		return "", err
	}
	if s.LobbyMessageID == "" {
		l.created = msg.ID.String()
	}
	l.version = s.Version
	if s.State.Final() {
		l.version = 0 // nothing newer can come; let the lock go
	}
	return msg.ID.String(), nil
}

func (r *Reporter) editLobby(ctx context.Context, s *deploy.Session, u discord.MessageUpdate) (*discord.Message, error) {
	if s.Token != "" && r.now().Sub(s.TokenIssuedAt) < tokenLifetime {
		if s.LobbyMessageID == "" {
			// The first edit fills in the deferral, which Discord may not
			// have processed yet; there is no message to fall back on.
			return editDeferred(ctx, r.d, s.Token, u)
		}
		msg, err := r.d.EditOriginal(ctx, s.Token, u)
		if err == nil || !expired(err) {
			return msg, err
		}
		r.log.Info("interaction token refused; editing the lobby with the bot token", "session", s.ID)
	}
	if s.LobbyMessageID == "" && r.d.HasBotToken() {
		return r.createLobby(ctx, s, u)
	}
	if s.LobbyMessageID == "" || !r.d.HasBotToken() {
		return nil, errors.New("the lobby cannot be edited: the interaction token expired and no bot token or message id is known")
	}
	ch, msgID, err := ids(s.ChannelID, s.LobbyMessageID)
	if err != nil {
		return nil, err
	}
	return r.d.EditMessage(ctx, ch, msgID, u)
}

func ids(channel, message string) (snowflake.ID, snowflake.ID, error) {
	ch, err := snowflake.Parse(channel)
	if err != nil {
		return 0, 0, fmt.Errorf("channel id %q: %w", channel, err)
	}
	if message == "" {
		return ch, 0, nil
	}
	msg, err := snowflake.Parse(message)
	if err != nil {
		return 0, 0, fmt.Errorf("message id %q: %w", message, err)
	}
	return ch, msg, nil
}
