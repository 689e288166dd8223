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

// do runs call under the one retry policy: 2xx ok; 429 waits Retry-After;
// 5xx and network errors back off exponentially until ctx ends; any other
// status fails at once. call must be safe to repeat.
func (c *Client) do(ctx context.Context, route string, call func(opt rest.RequestOpt) error) error {
	ctx = withRoute(ctx, route)
	opt := rest.WithCtx(ctx)
	for attempt := 0; ; attempt++ {
		err := call(opt)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("discord %s: %w (last error: %s)", route, ctx.Err(), c.redact.redact(err.Error()))
		}
		// disgo's limiter gives up at once when a bucket resets after the
		// deadline, before ctx itself has ended.
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("discord %s: %w", route, context.DeadlineExceeded)
		}
		wait, final := c.classify(route, attempt, err)
		if final != nil {
			return final
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "discord request will be retried",
			slog.String("route", route), slog.Int("attempt", attempt+1),
			slog.Duration("wait", wait), slog.String("error", c.redact.redact(err.Error())))
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("discord %s: %w while waiting to retry (last error: %s)",
				route, err, c.redact.redact(c.describe(route, err)))
		}
	}
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
