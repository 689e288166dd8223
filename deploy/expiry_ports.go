package deploy

import (
	"context"
	"time"
)

// Expiry is a deployment's time to live and what the engine did about it.
type Expiry struct {
	GuildID      string
	DeploymentID string
	TTL          time.Duration // 0: it never expires
	At           *time.Time    // nil until its first successful apply
	RemindedFor  *time.Time    // the expiry whose reminder was posted
	// Session is the destroy session the expiry (or Destroy now) opened,
	// claimed at ClaimedAt; Attempts counts the claims.
	Session   string
	ClaimedAt time.Time
	Attempts  int
	// Version is bumped by every change of the expiry or its claim, so
	// that an extension and a claim racing each other cannot both win.
	Version int64
}

// ExpiryStore keeps deployments' expiries, scoped by guild except the sweep.
type ExpiryStore interface {
	// GetExpiry returns a deployment's expiry (ENOTFOUND for no deployment).
	GetExpiry(ctx context.Context, guildID, id string) (*Expiry, error)
	// StartExpiry gives a deployment the time to live its deploy session
	// asked for, counted from appliedAt, unless it has an expiry already.
	StartExpiry(ctx context.Context, guildID, id string, appliedAt time.Time) error
	// ExpiringDeployments lists the live deployments (of one guild, or of
	// every guild for "") whose expiry is before before, soonest first.
	ExpiringDeployments(ctx context.Context, guildID string, before time.Time) ([]*Expiry, error)
	// MoveExpiry sets the expiry to `to` if it is still at prev.Version.
	MoveExpiry(ctx context.Context, prev *Expiry, to time.Time) (bool, error)
	// ClaimReminder records that the reminder of the expiry prev.At is
	// posted; false when it already was or the expiry moved.
	ClaimReminder(ctx context.Context, prev *Expiry) (bool, error)
	// ClaimExpiry records session as the deployment's expiry destroy if
	// the expiry is still at prev.Version, counting an attempt.
	ClaimExpiry(ctx context.Context, prev *Expiry, session string, at time.Time) (bool, error)
	// ReleaseExpiry drops the claim of a destroy session that could not open.
	ReleaseExpiry(ctx context.Context, guildID, id, session string) error
}

// ReminderView is what the reminder of an expiry shows.
type ReminderView struct {
	Deployment *Deployment
	Project    *Project
	ExpiresAt  time.Time
	TTL        time.Duration // what Extend adds
}
