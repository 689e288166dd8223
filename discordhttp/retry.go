package discordhttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/disgoorg/disgo/rest"
)

const (
	firstBackoff      = 200 * time.Millisecond
	defaultMaxBackoff = 10 * time.Second
	// A 429 that names no wait is still waited out, never hot-looped.
	minRateLimitWait = 500 * time.Millisecond
)

// The budget of one call: every route, every caller. Backing off from
// 200 ms to 10 s, eight attempts wait 18–23 s in all, which rides out the
// 5xx bursts and dropped connections of a Discord deploy or an edge
// failover (seconds, rarely tens of seconds); past that a caller gives up
// and keeps what it meant to send: the apply stream holds its (bounded)
// output for its next try, a lobby shows its state at the next edit. So a
// long outage holds at most one call per sender, and never shutdown
// (SHUTDOWN_GRACE, 5 m by default) beyond the budget. 429s spend it too:
// Retry-After is waited out only while it fits in what is left.
// https://discord.com/developers/docs/topics/rate-limits
const (
	MaxAttempts        = 8
	DefaultRetryBudget = 30 * time.Second
)

// ErrGaveUp is wrapped by the error of a call that spent its budget while
// Discord kept failing.
var ErrGaveUp = errors.New("gave up")

// do runs call under the one retry policy: 2xx ok; 429 waits Retry-After;
// 5xx and network errors back off exponentially; any other status fails at
// once. Every call ends within MaxAttempts and the retry budget, or sooner
// with ctx. call must be safe to repeat.
func (c *Client) do(ctx context.Context, route string, call func(opt rest.RequestOpt) error) error {
	ctx = withRoute(ctx, route)
	start := time.Now()
	ctx, cancel := context.WithTimeoutCause(ctx, c.budget, ErrGaveUp)
	defer cancel()
	opt := rest.WithCtx(ctx)
	for attempt := 0; ; attempt++ {
		err := call(opt)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil && !errors.Is(context.Cause(ctx), ErrGaveUp) {
			return fmt.Errorf("discord %s: %w (last error: %s)", route, ctx.Err(), c.redact.redact(err.Error()))
		}
		// disgo's limiter gives up at once when a bucket resets after the
		// deadline, before ctx itself has ended.
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			return c.gaveUp(route, attempt+1, start, err, context.DeadlineExceeded)
		}
		wait, final := c.classify(route, attempt, err)
		if final != nil {
			return final
		}
		if attempt+1 >= c.attempts {
			return c.gaveUp(route, attempt+1, start, err, nil)
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "discord request will be retried",
			slog.String("route", route), slog.Int("attempt", attempt+1),
			slog.Duration("wait", wait), slog.String("error", c.redact.redact(err.Error())))
		if serr := sleep(ctx, wait); serr != nil {
			// A wait that does not fit in the time left is not waited.
			if errors.Is(context.Cause(ctx), ErrGaveUp) || errors.Is(serr, context.DeadlineExceeded) {
				return c.gaveUp(route, attempt+1, start, err, context.DeadlineExceeded)
			}
			return fmt.Errorf("discord %s: %w while waiting to retry (last error: %s)",
				route, serr, c.redact.redact(c.describe(route, err)))
		}
	}
}

// gaveUp is the error of a call that spent its budget (of time, with
// timeUp = context.DeadlineExceeded, whichever deadline it was); it names
// the route, never the URL.
func (c *Client) gaveUp(route string, attempts int, start time.Time, last, timeUp error) error {
	err := fmt.Errorf("discord %s: %w after %d attempts in %s (budget %d attempts, %s); last error: %s",
		route, ErrGaveUp, attempts, time.Since(start).Round(time.Millisecond), c.attempts, c.budget,
		c.redact.redact(c.describe(route, last)))
	if timeUp != nil {
		return fmt.Errorf("%w (%w)", err, timeUp)
	}
	return err
}

// classify returns how long to wait before the next attempt, or the error
// to return when the failure is final.
func (c *Client) classify(route string, attempt int, err error) (time.Duration, error) {
	var re *rest.Error
	if errors.As(err, &re) && re.Response != nil {
		status := re.Response.StatusCode
		switch {
		case status == http.StatusTooManyRequests:
			return retryAfter(re), nil
		case status >= 500:
			return c.backoff(attempt), nil
		default:
			return 0, toError(route, re)
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return c.backoff(attempt), nil
	}
	return 0, fmt.Errorf("discord %s: %s", route, c.redact.redact(err.Error()))
}

func (c *Client) describe(route string, err error) string {
	var re *rest.Error
	if errors.As(err, &re) && re.Response != nil {
		return toError(route, re).Error()
	}
	return err.Error()
}

func toError(route string, re *rest.Error) *Error {
	return &Error{Route: route, Status: re.Response.StatusCode, Code: int(re.Code), Message: re.Message}
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.maxBackoff
	if attempt < 30 {
		d = min(firstBackoff<<attempt, c.maxBackoff)
	}
	// Jitter keeps several replicas from retrying in lockstep.
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}

// retryAfter prefers the body's fractional retry_after to the header's
// whole seconds.
func retryAfter(re *rest.Error) time.Duration {
	var body struct {
		RetryAfter float64 `json:"retry_after"`
	}
	wait := time.Duration(0)
	if json.Unmarshal(re.RsBody, &body) == nil && body.RetryAfter > 0 {
		wait = time.Duration(body.RetryAfter * float64(time.Second))
	} else if s, err := strconv.ParseFloat(re.Response.Header.Get("Retry-After"), 64); err == nil {
		wait = time.Duration(s * float64(time.Second))
	}
	return max(wait, minRateLimitWait)
}

func sleep(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return context.DeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
