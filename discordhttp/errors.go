package discordhttp

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// ErrNoBotToken is returned by routes that need the bot token when none is
// configured.
var ErrNoBotToken = errors.New("discord: no bot token configured")

// Discord JSON error codes the service reacts to.
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
const (
	codeUnknownChannel         = 10003
	codeUnknownMessage         = 10008
	codeUnknownWebhook         = 10015
	codeMissingAccess          = 50001
	codeCannotExecuteOnChannel = 50024
	codeMissingPermissions     = 50013
	codeInvalidWebhookToken    = 50027
	codeArchivedThread         = 50083
	codeThreadAlreadyCreated   = 160004
	codeThreadLocked           = 160005
)

// Error is a response Discord refused. It carries the route template, never
// the URL, so it is safe to log.
type Error struct {
	Route   string // e.g. "POST /channels/{channel_id}/messages"
	Status  int    // HTTP status
	Code    int    // Discord JSON error code, 0 when absent
	Message string // Discord's message
}

func (e *Error) Error() string {
	return fmt.Sprintf("discord %s: %d %s (code %d): %s",
		e.Route, e.Status, http.StatusText(e.Status), e.Code, e.Message)
}

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsTokenExpired reports whether the interaction token can no longer be
// used: 401/50027 after its 15 minutes, or 404/10015 Unknown Webhook.
func IsTokenExpired(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	return (e.Status == http.StatusUnauthorized && e.Code == codeInvalidWebhookToken) ||
		(e.Status == http.StatusNotFound && e.Code == codeUnknownWebhook)
}

// IsMissingAccess reports whether the bot lacks access or permissions.
func IsMissingAccess(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	return e.Status == http.StatusForbidden ||
		e.Code == codeMissingAccess || e.Code == codeMissingPermissions
}

// IsThreadImpossible reports whether no thread can be started for the
// message: no access, wrong channel type, a thread already exists, the
// message is gone or already inside a thread, or the thread route refused
// the request.
func IsThreadImpossible(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	if IsMissingAccess(err) || slices.Contains([]int{
		codeUnknownChannel, codeUnknownMessage, codeCannotExecuteOnChannel,
		codeArchivedThread, codeThreadAlreadyCreated, codeThreadLocked,
	}, e.Code) {
		return true
	}
	return e.Route == routeStartThread &&
		(e.Status == http.StatusBadRequest || e.Status == http.StatusNotFound)
}
