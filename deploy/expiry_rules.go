package deploy

import (
	"errors"
	"time"
)

// Texts of the time to live, each written once.
const (
	msgTTLTooLong    = "TTL too long: the most for project %s is %s."
	msgInvalidTTL    = "Invalid duration %q: use a duration such as 30s, 90m, 2h or 7d."
	msgTTLOverMax    = "Duration %s is too long: the most is 365d."
	msgNoExpiry      = "Deployment %s has no expiry: it was deployed without a ttl."
	msgExpiryPending = "Deployment %s has no expiry yet: it starts when its first apply succeeds."
	msgBeingExpired  = "Deployment %s is being destroyed (session %s); cancel that session first to keep it."
	msgExtendMax     = "Deployment %s already expires as late as project %s allows (%s from now)."
	msgExtendLimit   = " An extension keeps a deployment at most that long from now."
	msgExpiryChanged = "The expiry changed in the meantime; please try again."
	msgExpiryRetry   = "The automatic destroy is tried again at a later check."
	msgExpiryNothing = "Nothing to destroy: the deployment's state holds no resources."
	noticeExpired    = "Time to live ended: destroying without approvals."
	noticeDestroyNow = "Destroy now by <@%s>: destroying without approvals."
)

// engineActor is who the audit names for what the engine does by itself.
const engineActor = "engine"

// Reminder timing: an hour before expiry, or halfway for a TTL under two hours.
const (
	reminderLead      = time.Hour
	reminderHalfBelow = 2 * time.Hour
)

// Retry of a failed automatic destroy: the loop's interval, doubled with
// each attempt, at most maxExpiryRetry.
const maxExpiryRetry = 6 * time.Hour

func errTTLTooLong(p *Project) error {
	return Errorf(EINVALID, msgTTLTooLong, p.ID, p.TTLText)
}

// ParseTTL parses a ttl option; "" is none.
func ParseTTL(text string) (time.Duration, error) {
	if text == "" {
		return 0, nil
	}
	d, err := ParseDuration(text)
	if errors.Is(err, ErrDurationTooLong) {
		return 0, Errorf(EINVALID, msgTTLOverMax, text)
	}
	if err != nil || d <= 0 {
		return 0, Errorf(EINVALID, msgInvalidTTL, text)
	}
	return d, nil
}

// resolveTTL is the time to live a deploy gets: what it asked for, or the
// project's; never more than the project's.
func resolveTTL(p *Project, asked time.Duration) (time.Duration, error) {
	switch {
	case asked == 0:
		return p.TTL, nil
	case p.TTL > 0 && asked > p.TTL:
		return 0, errTTLTooLong(p)
	}
	return asked, nil
}

// ReminderAt is when the reminder of an expiry at expires is due.
func ReminderAt(expires time.Time, ttl time.Duration) time.Time {
	if ttl < reminderHalfBelow {
		return expires.Add(-ttl / 2)
	}
	return expires.Add(-reminderLead)
}

// extendTo is where an extension by `by` moves an expiry at `from`. An
// overdue expiry counts from now. The project's TTL, when it has one, is
// the most a deployment may still live from now: an extension beyond it is
// refused, or with clamp (the Extend button, whose amount is not chosen)
// cut to it.
func extendTo(now, from time.Time, by time.Duration, d *Deployment, p *Project, clamp bool) (time.Time, error) {
	to := from
	if to.Before(now) {
		to = now
	}
	to = to.Add(by)
	if p.TTL == 0 || !to.After(now.Add(p.TTL)) {
		return to, nil
	}
	if !clamp {
		return time.Time{}, Errorf(EINVALID, msgTTLTooLong+msgExtendLimit, p.ID, p.TTLText)
	}
	to = now.Add(p.TTL)
	if !to.After(from) {
		return time.Time{}, Errorf(EINVALID, msgExtendMax, d.ID, p.ID, p.TTLText)
	}
	return to, nil
}

// expiryRetryDue reports whether a failed automatic destroy may be tried
// again: at a later loop, waiting longer after each attempt, so that a
// destroy that keeps failing does not fill the channel.
func expiryRetryDue(now, lastTry time.Time, interval time.Duration, attempts int) bool {
	wait := max(interval, time.Second)
	for i := 1; i < attempts && wait < maxExpiryRetry; i++ {
		wait *= 2
	}
	return !now.Before(lastTry.Add(min(wait, maxExpiryRetry)))
}
