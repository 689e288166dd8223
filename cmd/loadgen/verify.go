package main

import (
	"fmt"
	"strings"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// closingLine is terraform's own last line of a one-VM apply.
const closingLine = "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."

// threadCheck is what the apply thread of one lobby holds.
type threadCheck struct {
	logLines  int // lines in the attached log file
	notShown  int // of those, lines never streamed into the thread
	messages  int
	problem   string
	hasThread bool
}

// checkThread reads the thread on lobbyID as a user would and checks that
// nothing was lost: it ends with a closing message that has the final state,
// terraform's closing line and the log as a file; the file holds terraform's
// lines; and every line of the file was streamed into the thread, in order.
func checkThread(fake *discordtest.Fake, lobbyID string) threadCheck {
	var c threadCheck
	thread := ""
	for _, th := range fake.Threads() {
		if th.MessageID == lobbyID {
			thread, c.hasThread = th.ID, true
		}
	}
	if thread == "" {
		c.problem = "no thread on the lobby"
		return c
	}
	msgs := fake.Messages(thread)
	c.messages = len(msgs)
	if len(msgs) == 0 {
		c.problem = "an empty thread"
		return c
	}
	last := msgs[len(msgs)-1]
	switch {
	case !strings.HasPrefix(last.Content, "**APPLIED**"):
		c.problem = fmt.Sprintf("the last message is not the closing one: %q", clipText(last.Content))
	case !strings.Contains(last.Content, closingLine):
		c.problem = fmt.Sprintf("the closing message lacks terraform's closing line: %q", clipText(last.Content))
	case len(last.Attachments) != 1:
		c.problem = fmt.Sprintf("the closing message has %d attachments, want the log", len(last.Attachments))
	}
	if c.problem != "" {
		return c
	}
	log := strings.Split(strings.TrimRight(string(last.Attachments[0].Data), "\n"), "\n")
	c.logLines = len(log)
	if !strings.Contains(string(last.Attachments[0].Data), "Creation complete") || !strings.Contains(string(last.Attachments[0].Data), "Apply complete!") {
		c.problem = "the log file lacks terraform's lines"
		return c
	}
	var shown []string
	for _, m := range msgs[:len(msgs)-1] {
		shown = append(shown, streamed(m.Content)...)
	}
	i := 0
	for _, s := range shown {
		if i < len(log) && s == log[i] {
			i++
		}
	}
	if c.notShown = len(log) - i; c.notShown > 0 {
		c.problem = fmt.Sprintf("line %d of the log (%q) and %d more were not streamed in order", i+1, log[i], c.notShown-1)
	}
	return c
}

// streamed returns the apply lines of a message that shows them in a code
// block, as the engine streams them.
func streamed(content string) []string {
	if !strings.HasPrefix(content, "```\n") {
		return nil
	}
	return strings.Split(strings.TrimSuffix(strings.TrimPrefix(content, "```\n"), "\n```"), "\n")
}

func clipText(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
