package tf

import (
	"errors"
	"net/url"
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

// The pg backend needs DATABASE_URL (as PG_CONN_STR), password and all; a
// terraform error that quotes it must not carry it to a log line or a lobby.

const redactedMark = "[redacted]"

// secrets are the strings of the engine's configuration that no error text
// may show: the database URL and its password.
func secrets(databaseURL string) []string {
	if databaseURL == "" {
		return nil
	}
	out := []string{databaseURL}
	if u, err := url.Parse(databaseURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			out = append(out, pw, url.QueryEscape(pw))
		}
	}
	return out
}

// redactedError shows text but still unwraps to the original, so that
// errors.Is (a cancel, a timeout) keeps working.
type redactedError struct {
	text string
	err  error
}

func (r *redactedError) Error() string { return r.text }
func (r *redactedError) Unwrap() error { return r.err }

// redact removes the engine's secrets from an error's user message and its
// text; an error that holds none is returned as it is.
func (e *Engine) redact(err error) error {
	if err == nil {
		return nil
	}
	hide := func(s string) string {
		for _, sec := range secrets(e.cfg.DatabaseURL) {
			s = strings.ReplaceAll(s, sec, redactedMark)
		}
		return s
	}
	text := err.Error()
	if hide(text) == text {
		return err
	}
	inner := &redactedError{text: hide(text), err: err}
	var de *deploy.Error
	if errors.As(err, &de) {
		return &deploy.Error{Code: de.Code, Message: hide(de.Message), Err: inner}
	}
	return inner
}
