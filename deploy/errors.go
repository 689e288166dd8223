package deploy

import (
	"errors"
	"fmt"
)

// Application error codes, mapped to user text once at the edge.
const (
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EINVALID   = "invalid"
	EFORBIDDEN = "forbidden"
	EEXPIRED   = "expired"
	EQUOTA     = "quota"
	EINTERNAL  = "internal"
)

// Error is an application error whose Message is safe to show to the user.
type Error struct {
	Code    string
	Message string
	Err     error // cause, for logs; never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing text of err; internal errors get a
// generic sentence so that no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong. Please try again."
}

// ErrConflict is returned by a compare-and-set that changed nothing.
var ErrConflict = &Error{Code: ECONFLICT, Message: "This session changed in the meantime; please try again."}
