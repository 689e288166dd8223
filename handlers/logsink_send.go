package handlers

import (
	"context"
	"fmt"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/discordhttp"
)

// flush shows the pending lines message by message, each sent at most
// once, until all are shown or a request fails; what is left waits for
// the next flush. It reports whether everything was shown.
func (s *streamSink) flush(ctx context.Context) bool {
	for {
		more := s.fill()
		if !s.send(ctx) || s.curSent < len(s.cur) {
			return false
		}
		if !more {
			return s.drained()
		}
		s.cur, s.curSize, s.curID, s.curSent = nil, 0, 0, 0
	}
}

// fill moves pending lines into the current message while they fit, the
// note of omitted lines first; it reports whether lines are left over.
func (s *streamSink) fill() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.omitted > 0 {
		note := fmt.Sprintf("… %d lines omitted, see the attached log", s.omitted)
		if !s.fits(note) {
			return true
		}
		s.add(note)
		s.omitted = 0
	}
	n := 0
	for n < len(s.pending) && s.fits(s.pending[n]) {
		s.add(s.pending[n])
		s.pendingBytes -= len(s.pending[n]) + 1
		s.pending[n] = ""
		n++
	}
	s.pending = s.pending[n:]
	return len(s.pending) > 0
}

// fits reports whether line fits in the current message; any line fits in
// an empty one (splitLong made it short enough).
func (s *streamSink) fits(line string) bool {
	return len(s.cur) == 0 || s.curSize+len(line)+1 <= messageBudget
}

func (s *streamSink) add(line string) {
	s.cur = append(s.cur, line)
	s.curSize += len(line) + 1
}

func (s *streamSink) drained() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending) == 0 && s.omitted == 0 && s.curSent == len(s.cur)
}

// send shows the current message: posted when new, edited when it grew; a
// poster that cannot edit gets the new lines as a new message. A post that
// failed is sent again with the same lines and nonce, so that Discord
// answers with the message if it was created after all, never a second
// one. It reports whether the request succeeded.
func (s *streamSink) send(ctx context.Context) bool {
	if len(s.cur) == s.curSent {
		return true
	}
	if s.curID != 0 && s.p.canEdit() {
		err := s.p.edit(ctx, s.curID, discord.NewMessageUpdate().WithContent(codeBlock(s.cur)).WithAllowedMentions(noMentions()))
		if err != nil {
			s.logf("apply output not edited; it is tried again", "err", err)
			return false
		}
		s.curSent = len(s.cur)
		return true
	}
	if s.posting == 0 {
		s.posting, s.nonce = len(s.cur)-s.curSent, discordhttp.NewNonce()
	}
	text := s.cur[s.curSent : s.curSent+s.posting]
	m := discord.NewMessageCreate().WithContent(codeBlock(text)).WithAllowedMentions(noMentions()).WithNonce(s.nonce)
	id, err := s.p.post(ctx, m)
	if err != nil {
		s.logf("apply output not posted; it is tried again", "err", err)
		return false
	}
	s.curID, s.curSent, s.posting = id, s.curSent+s.posting, 0
	return true
}
