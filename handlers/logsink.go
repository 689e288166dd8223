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
// https://discord.com/developers/docs/topics/rate-limits
const (
	editInterval  = 2 * time.Second
	messageBudget = maxContent - 100 // room for the code fence
	// maxPendingBytes bounds the output waiting for Discord, per apply:
	// about 34 full messages, which a thread takes in some 35 s at a
	// channel's pace (about five messages in five seconds, observed). When
	// Discord is away longer, the oldest waiting lines give way to a note
	// saying how many were left out; the log file attached at the end has
	// them all.
	maxPendingBytes = 64 << 10
)

// poster sends the stream's messages: into a thread (bot token, edits
// allowed) or as follow-ups/channel messages (new messages only).
type poster interface {
	post(ctx context.Context, m discord.MessageCreate) (snowflake.ID, error)
	edit(ctx context.Context, id snowflake.ID, u discord.MessageUpdate) error
	canEdit() bool
}

// streamSink batches apply output into as few messages and edits as
// Discord's limits allow. Line never blocks terraform, and what waits for
// Discord is bounded (maxPendingBytes).
type streamSink struct {
	p      poster
	logf   func(msg string, args ...any)
	cancel context.CancelFunc // abandons the request in flight

	mu           sync.Mutex
	pending      []string
	pendingBytes int
	omitted      int // lines dropped from the front of pending
	wake         chan struct{}
	closing      chan struct{}
	closeOnce    sync.Once
	done         chan struct{}

	// owned by the run loop
	cur     []string
	curSize int
	curID   snowflake.ID
	curSent int    // lines of cur already shown
	posting int    // lines of cur in a post that may have reached Discord
	nonce   string // that post's nonce
}

func newStreamSink(ctx context.Context, p poster, logf func(string, ...any)) *streamSink {
	// The output outlives a cancelled apply; finish ends the stream.
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &streamSink{p: p, logf: logf, cancel: cancel,
		wake: make(chan struct{}, 1), closing: make(chan struct{}), done: make(chan struct{})}
	go s.run(ctx)
	return s
}

// Line queues one output line.
func (s *streamSink) Line(line string) {
	s.mu.Lock()
	for _, piece := range splitLong(line, messageBudget) {
		s.pending = append(s.pending, piece)
		s.pendingBytes += len(piece) + 1
	}
	s.trim()
	s.mu.Unlock()
	s.poke()
}

// trim drops the oldest pending lines past maxPendingBytes, keeping the
// newest (an error comes last); callers hold s.mu.
func (s *streamSink) trim() {
	n := 0
	for s.pendingBytes > maxPendingBytes && n < len(s.pending) {
		s.pendingBytes -= len(s.pending[n]) + 1
		s.pending[n] = "" // let the string go with the slot
		n++
	}
	s.pending = s.pending[n:]
	s.omitted += n
}

func (s *streamSink) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *streamSink) run(ctx context.Context) {
	defer close(s.done)
	var last time.Time
	for ctx.Err() == nil {
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
		if !s.flush(ctx) {
			s.poke() // what is left is tried again after editInterval
		}
		last = time.Now()
	}
}

// finalFlush shows what is left, trying again every editInterval until
// ctx ends: within editInterval of the last edit the rest goes into a new
// message instead of an early edit.
func (s *streamSink) finalFlush(ctx context.Context, last time.Time) {
	if s.curID != 0 && s.p.canEdit() && time.Since(last) < editInterval {
		s.cur, s.curID, s.curSent = s.cur[s.curSent:], 0, 0
		s.curSize = size(s.cur)
	}
	for !s.flush(ctx) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(editInterval):
		}
	}
}

// finish flushes what is left and waits for it until ctx ends, when the
// request in flight is abandoned. It returns how many lines were never
// shown.
func (s *streamSink) finish(ctx context.Context) int {
	s.closeOnce.Do(func() { close(s.closing) })
	select {
	case <-s.done:
	case <-ctx.Done():
		s.cancel()
		<-s.done
	}
	s.cancel()
	left := s.unshown()
	if left > 0 {
		s.logf("apply output given up: lines not shown in the thread (they are in the attached log)", "lines", left)
	}
	return left
}

// unshown counts the lines not shown; the run loop must have ended.
func (s *streamSink) unshown() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.cur) - s.curSent + len(s.pending) + s.omitted
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
