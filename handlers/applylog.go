package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/deploy"
	"github.com/cloudengine/cloud-engine/discordhttp"
)

// threadName is deploy-<project>-<session> (destroy-… for a destroy).
func threadName(s *deploy.Session) string {
	return clip(string(s.Kind)+"-"+s.ProjectID+"-"+s.ID, maxThreadName)
}

// OpenLog starts the public thread on the lobby message; where no thread
// can be started it falls back to messages beside the lobby and logs why.
func (r *Reporter) OpenLog(ctx context.Context, s *deploy.Session) (deploy.LogSink, error) {
	p, err := r.threadPoster(ctx, s)
	if err != nil {
		r.log.Warn("no thread for the apply output; posting beside the lobby instead",
			"session", s.ID, "reason", err.Error())
		p = r.fallbackPoster(s)
		// The output lives beside the lobby; recording where keeps the
		// session marked as having reached the apply.
		s.ThreadID = s.ChannelID
	}
	head := fmt.Sprintf("Applying the approved plan of session %s (%s).", s.ID, s.ProjectID)
	if _, err := p.post(ctx, discord.NewMessageCreate().WithContent(head).WithAllowedMentions(noMentions())); err != nil {
		r.log.Warn("apply header not posted", "session", s.ID, "err", err)
	}
	logf := func(msg string, args ...any) { r.log.Warn(msg, append(args, "session", s.ID)...) }
	return &applyLog{r: r, p: p, stream: newStreamSink(ctx, p, logf), session: s.ID}, nil
}

func (r *Reporter) threadPoster(ctx context.Context, s *deploy.Session) (poster, error) {
	if !r.d.HasBotToken() {
		return nil, fmt.Errorf("no bot token is configured")
	}
	if s.LobbyMessageID == "" {
		return nil, fmt.Errorf("the lobby message id is unknown")
	}
	ch, msg, err := ids(s.ChannelID, s.LobbyMessageID)
	if err != nil {
		return nil, err
	}
	th, err := r.d.StartThread(ctx, ch, msg, threadName(s))
	if err != nil {
		return nil, fmt.Errorf("starting the thread failed: %w", err)
	}
	s.ThreadID = th.ID().String()
	return &channelPoster{d: r.d, channel: th.ID()}, nil
}

// fallbackPoster posts follow-ups while the interaction token lives, and
// channel messages with the bot token afterwards.
func (r *Reporter) fallbackPoster(s *deploy.Session) poster {
	return &followupPoster{d: r.d, s: s, now: r.now}
}

// ThreadNotice posts a line into the apply's thread or, without one,
// beside the lobby.
func (r *Reporter) ThreadNotice(ctx context.Context, s *deploy.Session, text string) error {
	var p poster = r.fallbackPoster(s)
	if s.ThreadID != "" && s.ThreadID != s.ChannelID {
		ch, _, err := ids(s.ThreadID, "")
		if err != nil {
			return err
		}
		p = &channelPoster{d: r.d, channel: ch}
	}
	_, err := p.post(ctx, discord.NewMessageCreate().WithContent(clip(text, maxContent)).WithAllowedMentions(noMentions()))
	return err
}

// applyLog is the deploy.LogSink of one apply.
type applyLog struct {
	r       *Reporter
	p       poster
	stream  *streamSink
	session string
}

func (a *applyLog) Line(line string) { a.stream.Line(line) }

// How long an apply's end may wait for Discord, after terraform ended:
// the rest of the output (maxPendingBytes at a channel's pace, plus a
// retry budget for a blip), then the closing message with the log file,
// sent again across calls (with one nonce, so never twice). With the
// lobby's last edit (one call) that is under 4 minutes, within
// SHUTDOWN_GRACE (5 m by default).
const (
	streamCatchUp = 2 * time.Minute
	closingBudget = 2 * discordhttp.DefaultRetryBudget
)

// Close flushes the output, then posts the final state with terraform's
// closing line and the whole log as a file.
func (a *applyLog) Close(ctx context.Context, s *deploy.Session, closing, log string) error {
	fctx, cancel := context.WithTimeout(ctx, streamCatchUp)
	defer cancel()
	text := fmt.Sprintf("**%s**\n%s", s.State, closing)
	if left := a.stream.finish(fctx); left > 0 {
		text += fmt.Sprintf("\n%d lines of output could not be shown here; they are in the attached log.", left)
	}
	nonce := discordhttp.NewNonce()
	message := func() discord.MessageCreate {
		m := discord.NewMessageCreate().WithContent(clip(text, maxContent)).WithAllowedMentions(noMentions()).WithNonce(nonce)
		if log != "" {
			// No description: disgo would then send attachments[].id as a
			// number, which Discord's schema (a snowflake string) refuses.
			name := fmt.Sprintf("%s-%s.log", s.Kind, s.ID)
			m = m.WithFiles(discord.NewFile(name, "", strings.NewReader(log)))
		}
		return m
	}
	cctx, cancel := context.WithTimeout(ctx, closingBudget)
	defer cancel()
	if err := postPersistently(cctx, a.p, message); err != nil {
		return fmt.Errorf("closing message and log file given up (the run record keeps the log's tail): %w", err)
	}
	return nil
}

// postPersistently posts a message, calling again (after editInterval,
// as a call may give up at once on a rate limit past its budget) while
// calls spend their budget and ctx allows; message builds the same message
// (nonce included) with fresh file readers each time.
func postPersistently(ctx context.Context, p poster, message func() discord.MessageCreate) error {
	for {
		_, err := p.post(ctx, message())
		if err == nil || !errors.Is(err, discordhttp.ErrGaveUp) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(editInterval):
		}
	}
}

// channelPoster posts into a channel or thread with the bot token.
type channelPoster struct {
	d       Discord
	channel snowflake.ID
}

func (c *channelPoster) canEdit() bool { return true }

func (c *channelPoster) post(ctx context.Context, m discord.MessageCreate) (snowflake.ID, error) {
	msg, err := c.d.CreateMessage(ctx, c.channel, m)
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

func (c *channelPoster) edit(ctx context.Context, id snowflake.ID, u discord.MessageUpdate) error {
	_, err := c.d.EditMessage(ctx, c.channel, id, u)
	return err
}

// followupPoster posts interaction follow-ups beside the lobby, and
// channel messages once the token has expired.
type followupPoster struct {
	d   Discord
	s   *deploy.Session
	now func() time.Time
}

func (f *followupPoster) canEdit() bool { return false }

func (f *followupPoster) post(ctx context.Context, m discord.MessageCreate) (snowflake.ID, error) {
	if f.s.Token != "" && f.now().Sub(f.s.TokenIssuedAt) < tokenLifetime {
		msg, err := f.d.CreateFollowup(ctx, f.s.Token, m)
		if err == nil {
			return msg.ID, nil
		}
		if !expired(err) || !f.d.HasBotToken() {
			return 0, err
		}
	}
	ch, _, err := ids(f.s.ChannelID, "")
	if err != nil {
		return 0, err
	}
	msg, err := f.d.CreateMessage(ctx, ch, m)
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

func (f *followupPoster) edit(context.Context, snowflake.ID, discord.MessageUpdate) error {
	return fmt.Errorf("follow-ups are not edited")
}
