package handlers

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"
)

// Streaming limits: Discord allows a message to be edited about five times
// in two seconds; we edit each message at most once every editInterval and
// start a new message before the content limit.
const (
	editInterval  = 2 * time.Second
	messageBudget = maxContent - 100 // room for the code fence
)

// poster sends the stream's messages: into a thread (bot token, edits
// allowed) or as follow-ups/channel messages (new messages only).
type poster interface {
	post(ctx context.Context, m discord.MessageCreate) (snowflake.ID, error)
	edit(ctx context.Context, id snowflake.ID, u discord.MessageUpdate) error
	canEdit() bool
}

// streamSink batches apply output into as few messages and edits as
// Discord's limits allow; Line never blocks terraform.
type streamSink struct {
	p    poster
	logf func(msg string, args ...any)

	mu      sync.Mutex
	pending []string
	wake    chan struct{}
	closing chan struct{}
	done    chan struct{}

	// owned by the run loop
	cur     []string
	curID   snowflake.ID
	curSent int // lines of cur already shown
}

func newStreamSink(ctx context.Context, p poster, logf func(string, ...any)) *streamSink {
	s := &streamSink{p: p, logf: logf, wake: make(chan struct{}, 1), closing: make(chan struct{}), done: make(chan struct{})}
	go s.run(context.WithoutCancel(ctx))
	return s
}

// Line queues one output line.
func (s *streamSink) Line(line string) {
	s.mu.Lock()
	s.pending = append(s.pending, splitLong(line, messageBudget)...)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *streamSink) run(ctx context.Context) {
	defer close(s.done)
	var last time.Time
	for {
		select {
		case <-s.wake:
		case <-s.closing:
			s.finalFlush(ctx, last)
			return
		}
		if wait := editInterval - time.Since(last); wait > 0 {
			select {
			case <-time.After(wait):
			case <-s.closing:
				s.finalFlush(ctx, last)
				return
			}
		}
		s.flush(ctx)
		last = time.Now()
	}
}

// finalFlush shows what is left without waiting: within editInterval of
// the last edit the rest goes into a new message instead of an early edit.
func (s *streamSink) finalFlush(ctx context.Context, last time.Time) {
	if s.curID != 0 && s.p.canEdit() && time.Since(last) < editInterval {
		s.cur, s.curID, s.curSent = s.cur[s.curSent:], 0, 0
	}
	s.flush(ctx)
}

// flush shows every pending line, filling the current message and
// starting new ones; each message is sent at most once per flush.
func (s *streamSink) flush(ctx context.Context) {
	s.mu.Lock()
	lines := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, l := range lines {
		if size(s.cur)+len(l)+1 > messageBudget {
			s.send(ctx)
			s.cur, s.curID, s.curSent = nil, 0, 0
		}
		s.cur = append(s.cur, l)
	}
	s.send(ctx)
}

// send shows the current message: posted when new, edited when it grew;
// a poster that cannot edit gets the new lines as a new message.
func (s *streamSink) send(ctx context.Context) {
	if len(s.cur) == s.curSent {
		return
	}
	switch {
	case s.curID == 0 || !s.p.canEdit():
		text := s.cur[s.curSent:]
		if s.p.canEdit() {
			text = s.cur
		}
		id, err := s.p.post(ctx, discord.NewMessageCreate().WithContent(codeBlock(text)).WithAllowedMentions(noMentions()))
		if err != nil {
			s.logf("apply output not posted", "err", err)
			return
		}
		s.curID = id
	default:
		err := s.p.edit(ctx, s.curID, discord.NewMessageUpdate().WithContent(codeBlock(s.cur)).WithAllowedMentions(noMentions()))
		if err != nil {
			s.logf("apply output not edited", "err", err)
			return
		}
	}
	s.curSent = len(s.cur)
}

// finish flushes everything and waits for the loop to end (bounded by ctx).
func (s *streamSink) finish(ctx context.Context) {
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	select {
	case <-s.done:
	case <-ctx.Done():
	}
}

func size(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return n
}

func codeBlock(lines []string) string {
	body := strings.ReplaceAll(strings.Join(lines, "\n"), "```", "`\u200b``")
	return "```\n" + body + "\n```"
}

// splitLong cuts a line longer than n bytes into pieces, at rune boundaries.
func splitLong(line string, n int) []string {
	if len(line) <= n {
		return []string{line}
	}
	var out []string
	for len(line) > n {
		cut := n
		for cut > 0 && !utf8Start(line[cut]) {
			cut--
		}
		out = append(out, line[:cut])
		line = line[cut:]
	}
	return append(out, line)
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
