package discordhttp

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

const redacted = "[REDACTED]"

var (
	// Interaction tokens travel in the path of webhook and callback routes.
	webhookTokenRE = regexp.MustCompile(`(/(?:webhooks|interactions)/[^/\s"'?]+/)([^/\s"'?]+)`)
	// A token as a key's value: disgo's rate-limit bucket hashes carry
	// "interaction.token=<token>", and JSON or query strings "token":"…"
	// or token=…. The key must end the word ("token_issued_at" is no token).
	tokenValueRE = regexp.MustCompile(`(?i)(\btoken["']?\s*[=:]\s*["']?)[^\s"'&,;}\]]+`)
	// An Authorization header copied into a message.
	botAuthRE = regexp.MustCompile(`(?i)(Bot\s+)[A-Za-z0-9_.\-]{20,}`)
	// The shape of a Discord bot token: base64(user id).timestamp.hmac.
	botTokenRE = regexp.MustCompile(`[A-Za-z0-9_\-]{23,28}\.[A-Za-z0-9_\-]{6,7}\.[A-Za-z0-9_\-]{27,}`)
)

// Redact removes interaction tokens (the path segment after /webhooks/{id}/
// or /interactions/{id}/, and the value of any token key) and anything
// shaped like a bot token from s, so that URLs, bucket hashes and errors
// can be logged.
func Redact(s string) string {
	s = webhookTokenRE.ReplaceAllString(s, "${1}"+redacted)
	s = tokenValueRE.ReplaceAllString(s, "${1}"+redacted)
	s = botAuthRE.ReplaceAllString(s, "${1}"+redacted)
	return botTokenRE.ReplaceAllString(s, redacted)
}

// redactor also knows the configured bot token, which need not have the
// usual shape (tests and proxies use arbitrary strings).
type redactor struct {
	botToken string
}

func (r redactor) redact(s string) string {
	if r.botToken != "" {
		s = strings.ReplaceAll(s, r.botToken, redacted)
	}
	return Redact(s)
}

// redactHandler is the slog.Handler given to disgo, which logs endpoint URLs
// (with the interaction token) at Debug and on every 429.
type redactHandler struct {
	inner slog.Handler
	r     redactor
}

func (h redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.inner.Handle(ctx, out)
}

func (h redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return redactHandler{inner: h.inner.WithAttrs(clean), r: h.r}
}

func (h redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{inner: h.inner.WithGroup(name), r: h.r}
}

func (h redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.redact(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		// errors and other values are flattened to text so that nothing
		// unredacted can reach the output through their formatting.
		return slog.String(a.Key, h.r.redact(v.String()))
	default:
		return slog.Attr{Key: a.Key, Value: v}
	}
}
