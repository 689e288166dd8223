package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"
)

// recordingPoster keeps what a stream shows, like a channel would; it can
// refuse the first few requests the way a rate-limited Discord does.
type recordingPoster struct {
	mu       sync.Mutex
	editable bool
	fail     int
	next     snowflake.ID
	order    []snowflake.ID
	content  map[snowflake.ID]string
	edits    map[snowflake.ID][]time.Time
	attempts []attempt // every post, failed or not
}

type attempt struct {
	nonce, content string
	ok             bool
}

func newRecordingPoster(editable bool, fail int) *recordingPoster {
	return &recordingPoster{editable: editable, fail: fail, next: 1, content: map[snowflake.ID]string{}, edits: map[snowflake.ID][]time.Time{}}
}

func (p *recordingPoster) canEdit() bool { return p.editable }

func (p *recordingPoster) post(_ context.Context, m discord.MessageCreate) (snowflake.ID, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail > 0 {
		p.fail--
		p.attempts = append(p.attempts, attempt{nonce: m.Nonce, content: m.Content})
		return 0, errors.New("503 Service Unavailable")
	}
	p.attempts = append(p.attempts, attempt{nonce: m.Nonce, content: m.Content, ok: true})
	id := p.next
	p.next++
	p.order = append(p.order, id)
	p.content[id] = m.Content
	return id, nil
}

func (p *recordingPoster) edit(_ context.Context, id snowflake.ID, u discord.MessageUpdate) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.content[id] = *u.Content
	p.edits[id] = append(p.edits[id], time.Now())
	return nil
}

func (p *recordingPoster) lines(t *testing.T) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, id := range p.order {
		c := p.content[id]
		if n := utf8.RuneCountInString(c); n > maxContent {
			t.Errorf("message %d has %d characters", id, n)
		}
		if !strings.HasPrefix(c, "```\n") || !strings.HasSuffix(c, "\n```") {
			t.Errorf("message %d is not a code block: %q", id, c)
		}
		out = append(out, strings.Split(strings.TrimSuffix(strings.TrimPrefix(c, "```\n"), "\n```"), "\n")...)
	}
	return out
}

func TestStreamSink(t *testing.T) {
	long := strings.Repeat("é", 3000) // 6000 bytes: split at rune boundaries
	tests := []struct {
		name     string
		editable bool
		lines    []string
		want     []string // nil: the lines themselves
	}{
		{"few lines into a thread", true, []string{"a", "b", "c"}, nil},
		{"many lines into a thread", true, numbered(600), nil},
		{"many lines as follow-ups", false, numbered(600), nil},
		{"a long line is split", true, []string{"start", long, "end"},
			append(append([]string{"start"}, splitLong(long, messageBudget)...), "end")},
		{"code fences cannot break out", true, []string{"```", "x```y"}, []string{"`\u200b``", "x`\u200b``y"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newRecordingPoster(tc.editable, 0)
			s := newStreamSink(context.Background(), p, func(string, ...any) {})
			for _, l := range tc.lines {
				s.Line(l)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s.finish(ctx)
			want := tc.want
			if want == nil {
				want = tc.lines
			}
			got := p.lines(t)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("shown %d lines, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
			}
		})
	}
}

func TestStreamSinkEditsAtMostEveryInterval(t *testing.T) {
	p := newRecordingPoster(true, 0)
	s := newStreamSink(context.Background(), p, func(string, ...any) {})
	deadline := time.Now().Add(5 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		s.Line(fmt.Sprintf("line %d", i%50))
		time.Sleep(50 * time.Millisecond) // terraform printing steadily
	}
	s.finish(context.Background())
	p.mu.Lock()
	defer p.mu.Unlock()
	edited := 0
	for id, ts := range p.edits {
		for i := 1; i < len(ts); i++ {
			edited++
			if gap := ts[i].Sub(ts[i-1]); gap < editInterval-20*time.Millisecond {
				t.Errorf("message %d edited twice within %s", id, gap)
			}
		}
	}
	if len(p.edits) == 0 {
		t.Errorf("a steady stream was never edited in place")
	}
}

func TestStreamSinkLineNeverBlocks(t *testing.T) {
	p := newRecordingPoster(true, 0)
	p.mu.Lock() // Discord hangs
	s := newStreamSink(context.Background(), p, func(string, ...any) {})
	start := time.Now()
	const n = 5000 // within maxPendingBytes: every line is shown
	for i := range n {
		s.Line(fmt.Sprintf("line %d", i))
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("%d lines took %s with Discord hanging", n, took)
	}
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.finish(ctx)
	if got := p.lines(t); len(got) != n || got[n-1] != fmt.Sprintf("line %d", n-1) {
		t.Errorf("shown %d lines", len(got))
	}
}

func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("terraform_data.compute_vm_%d: Creation complete after 0s [id=%08d]", i, i)
	}
	return out
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestStreamSinkSendsAFailedPostAgain: a post that failed (Discord may
// have created it) goes again with the same lines and nonce, and no line
// is lost or shown twice.
func TestStreamSinkSendsAFailedPostAgain(t *testing.T) {
	p := newRecordingPoster(true, 2)
	s := newStreamSink(context.Background(), p, func(string, ...any) {})
	want := numbered(30)
	for _, l := range want[:10] {
		s.Line(l)
	}
	time.Sleep(100 * time.Millisecond) // the first post is under way
	for _, l := range want[10:] {
		s.Line(l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if left := s.finish(ctx); left != 0 {
		t.Fatalf("%d lines not shown", left)
	}
	if got := p.lines(t); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("shown %d lines, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.attempts) < 3 {
		t.Fatalf("%d posts, want 2 failures and a success", len(p.attempts))
	}
	first := p.attempts[0]
	for i, a := range p.attempts[:3] {
		if a.nonce == "" || a.nonce != first.nonce || a.content != first.content {
			t.Errorf("post %d: nonce %q content %q, want the first post's (%q) again", i, a.nonce, a.content, first.nonce)
		}
	}
}

// TestStreamSinkBoundsPendingOutput: while Discord hangs, what waits is
// bounded; when it is back, the thread gets the first lines, a note of
// how many were left out, and the newest lines.
func TestStreamSinkBoundsPendingOutput(t *testing.T) {
	p := newRecordingPoster(true, 0)
	p.mu.Lock() // Discord hangs
	s := newStreamSink(context.Background(), p, func(string, ...any) {})
	const total = 100000 // about 6.5 MB of output
	lines := numbered(total)
	s.Line(lines[0])
	time.Sleep(50 * time.Millisecond) // the first post is stuck in flight
	for _, l := range lines[1:] {
		s.Line(l)
	}
	s.mu.Lock()
	held, n := s.pendingBytes, len(s.pending)
	s.mu.Unlock()
	if held > maxPendingBytes || size(lines[total-n:]) != held {
		t.Errorf("%d bytes in %d lines wait, want at most %d", held, n, maxPendingBytes)
	}
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if left := s.finish(ctx); left != 0 {
		t.Fatalf("%d lines not shown", left)
	}
	got := p.lines(t)
	note := slices.IndexFunc(got, func(l string) bool { return strings.HasPrefix(l, "… ") })
	if note < 1 {
		t.Fatalf("no note of omitted lines after the first ones: %q…", got[:min(3, len(got))])
	}
	var omitted int
	if _, err := fmt.Sscanf(got[note], "… %d lines omitted, see the attached log", &omitted); err != nil {
		t.Fatalf("note %q: %v", got[note], err)
	}
	head, tail := got[:note], got[note+1:]
	if len(head)+omitted+len(tail) != total {
		t.Errorf("%d shown + %d omitted + %d shown, want %d lines", len(head), omitted, len(tail), total)
	}
	if strings.Join(head, "\n") != strings.Join(lines[:len(head)], "\n") ||
		strings.Join(tail, "\n") != strings.Join(lines[total-len(tail):], "\n") {
		t.Errorf("shown lines are not the first %d and the last %d", len(head), len(tail))
	}
}

// TestStreamSinkGivesUp: with Discord down for good, finish returns at
// its deadline and says how many lines were never shown.
func TestStreamSinkGivesUp(t *testing.T) {
	p := newRecordingPoster(true, 1<<30)
	var logged []string
	var mu sync.Mutex
	s := newStreamSink(context.Background(), p, func(msg string, _ ...any) { mu.Lock(); logged = append(logged, msg); mu.Unlock() })
	for _, l := range numbered(50) {
		s.Line(l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	left := s.finish(ctx)
	if took := time.Since(start); took > time.Second {
		t.Errorf("finish took %s, want its 500ms deadline", took)
	}
	if left != 50 {
		t.Errorf("%d lines not shown, want 50", left)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.ContainsFunc(logged, func(m string) bool { return strings.Contains(m, "given up") }) {
		t.Errorf("logged %q, want the give-up said", logged)
	}
}
