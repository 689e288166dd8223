package deploy

import (
	"slices"
	"time"
)

// Deployment statuses.
const (
	DeploymentLive      = "live"
	DeploymentDestroyed = "destroyed"
)

// Deployment is what a deploy session created once it reached APPLYING:
// its id is that session's, its terraform state is its own, and every
// update or destroy plans against that state.
type Deployment struct {
	GuildID   string
	ID        string
	ProjectID string
	Provider  string
	Region    string
	OwnerID   string // who deployed it
	ChannelID string // the channel of its lobby
	Status    string // DeploymentLive or DeploymentDestroyed
	// Resources are what the deployment holds now: the last applied
	// revision's, or what terraform's state kept after a failed apply.
	Resources []Resource
	Revision  int // the latest revision (0 before the first apply succeeded)
	CreatedAt time.Time
	UpdatedAt time.Time
	// SessionState is the state of the deploy session that created it.
	SessionState State

	// Drift is what the last drift check found ("" before any), with the
	// addresses that drifted, when it ran and when the next one is due.
	Drift          string
	DriftAddresses []string
	DriftCheckedAt time.Time
	DriftDueAt     time.Time
}

// Live reports whether the deployment's state may hold resources and no
// first apply is still running: it can then be updated or destroyed.
func (d *Deployment) Live() bool {
	return d.Status == DeploymentLive && d.SessionState.Final()
}

// Revision is one applied version of a deployment: r1 is the first apply,
// each applied update adds one.
type Revision struct {
	GuildID      string
	DeploymentID string
	Number       int
	SessionID    string // the session whose apply made it
	AppliedBy    string
	AppliedAt    time.Time
	Resources    []Resource
	PlanLine     string // terraform's plan line
	ClosingLine  string // terraform's closing line of the apply
	Cost         string // the cost of its plan
}

// Additions are the resources of an update session that its deployment
// does not have yet (by name): what the session adds to quota usage.
func Additions(session, deployment []Resource) []Resource {
	var out []Resource
	for _, r := range session {
		if !slices.ContainsFunc(deployment, func(d Resource) bool { return d.Name == r.Name }) {
			out = append(out, r)
		}
	}
	return out
}

// keptResources is what a deployment holds after an apply that did not
// finish: the resources terraform's state still has, as the session
// described them or, for ones the session had removed, as they were.
func keptResources(inState []string, session, before []Resource) []Resource {
	var out []Resource
	for _, list := range [][]Resource{session, before} {
		for _, r := range list {
			if slices.Contains(inState, r.Name) && !slices.ContainsFunc(out, func(o Resource) bool { return o.Name == r.Name }) {
				out = append(out, r)
			}
		}
	}
	return out
}
