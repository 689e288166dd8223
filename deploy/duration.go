package deploy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxDuration is the longest duration ParseDuration accepts: a year is past
// any grant, timeout or time to live anyone means, and far below the ~292
// years where time.Duration overflows (213504d used to wrap to 25m26s).
const MaxDuration = 365 * 24 * time.Hour

// ErrDurationTooLong is wrapped by ParseDuration's error for a duration past
// MaxDuration, so that callers can say so rather than "invalid".
var ErrDurationTooLong = errors.New("longer than the most, 365d")

// ParseDuration accepts Go durations and whole days such as "7d", up to
// MaxDuration: the form of grant durations, TTLs and extensions.
func ParseDuration(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		// Compared before multiplying, which could overflow.
		if n > int(MaxDuration/(24*time.Hour)) {
			return 0, fmt.Errorf("duration %q is %w", s, ErrDurationTooLong)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: %w", s, err)
	}
	if d > MaxDuration {
		return 0, fmt.Errorf("duration %q is %w", s, ErrDurationTooLong)
	}
	return d, nil
}

// FormatDuration writes d the way users write it: "7d", "2h", "90m", "1h30m".
func FormatDuration(d time.Duration) string {
	const day = 24 * time.Hour
	if d >= day && d%day == 0 {
		return strconv.Itoa(int(d/day)) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
