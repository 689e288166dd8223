package handlers

import (
	"context"
	"errors"
	"fmt"
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
		return 0, errors.New("429 Too Many Requests")
	}
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
	for i := range 10000 {
		s.Line(fmt.Sprintf("line %d", i))
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("10000 lines took %s with Discord hanging", took)
	}
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.finish(ctx)
	if got := p.lines(t); len(got) != 10000 || got[9999] != "line 9999" {
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
