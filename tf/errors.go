package tf

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cloudengine/cloud-engine/deploy"
)

// maxErrorLen keeps terraform's error inside a Discord embed field with room to spare.
const maxErrorLen = 900

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

// cleanError removes colours and terraform's box drawing, and keeps the
// first error's summary and detail.
func cleanError(s string) string {
	var lines []string
	for _, l := range strings.Split(stripANSI(s), "\n") {
		l = strings.TrimRight(l, " \t\r")
		t := strings.TrimLeft(l, " ")
		switch {
		case t == "╷" || t == "╵":
			continue
		case strings.HasPrefix(t, "│"):
			l = strings.TrimPrefix(strings.TrimPrefix(t, "│"), " ")
		}
		lines = append(lines, l)
	}
	lines = firstErrorBlock(lines)
	out := strings.Join(collapseBlank(lines), "\n")
	return shorten(strings.TrimSpace(out), maxErrorLen)
}

// firstErrorBlock returns the lines of the first "Error: " block, without
// the prefix, up to the next error or warning; all lines when none.
func firstErrorBlock(lines []string) []string {
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "Error: ") {
			start = i
			break
		}
	}
	if start < 0 {
		return lines
	}
	block := []string{strings.TrimPrefix(lines[start], "Error: ")}
	for _, l := range lines[start+1:] {
		if strings.HasPrefix(l, "Error: ") || strings.HasPrefix(l, "Warning: ") {
			break
		}
		block = append(block, l)
	}
	return block
}

func collapseBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " \n") + mark
}

// runError turns a failed terraform command into the error the service
// shows: the context's error when it ended the run, else terraform's own
// words, cleaned.
func runError(ctx context.Context, op string, err error, ui *uiWriter) error {
	if ctx.Err() != nil {
		return ctxError(ctx, "terraform "+op+" interrupted")
	}
	msg := ""
	if ui != nil {
		if _, _, d := ui.result(); d != nil {
			msg = shorten(strings.TrimSpace(stripANSI(d.Summary+"\n"+d.Detail)), maxErrorLen)
		}
	}
	if msg == "" {
		msg = cleanError(err.Error())
	}
	return &deploy.Error{Code: ECodeTerraform, Message: explainKnown(msg), Err: err}
}

// noDefaultSubnetwork is how the google provider (6.x) reports the lookup
// of a region's default subnetwork that does not exist.
var noDefaultSubnetwork = regexp.MustCompile(`^projects/[^/\s]+/regions/([a-z0-9-]+)/subnetworks/` + defaultNetwork + ` not found(\n|$)`)

// explainKnown words a provider error the catalog can explain as it does
// its own: a region without a default network says so and what to do, as
// the aws lookup's postcondition does.
func explainKnown(msg string) string {
	if m := noDefaultSubnetwork.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("There is no default network in %s: add a network resource to this deployment and name it in the network parameter.", m[1])
	}
	return msg
}
