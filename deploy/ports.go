package deploy

import (
	"context"
	"time"
)

// SessionFilter selects sessions for lists; empty fields do not filter.
type SessionFilter struct {
	GuildID   string // required
	OwnerID   string
	ProjectID string
	State     State
	Offset    int
	Limit     int
}

// Store keeps everything. Every method is scoped by guild except the
// background sweeps, which return guild ids with what they find.
// Not-found lookups return an *Error with code ENOTFOUND.
type Store interface {
	Ping(ctx context.Context) error

	CreateProject(ctx context.Context, p *Project) error // ECONFLICT when the id is taken
	GetProject(ctx context.Context, guildID, projectID string) (*Project, error)
	// ReadableProjects lists the projects a user may read (unexpired grants
	// at now; all of the guild when admin), ordered by id, with the total.
	ReadableProjects(ctx context.Context, guildID, userID string, admin bool, now time.Time, offset, limit int) ([]*Project, int, error)

	PutGrant(ctx context.Context, g *Grant) error // replaces the user's grant on the project
	DeleteGrant(ctx context.Context, guildID, projectID, userID string) (bool, error)
	// Level is the user's level from an unexpired grant at now (LevelNone without one).
	Level(ctx context.Context, guildID, projectID, userID string, now time.Time) (Level, error)

	SetQuota(ctx context.Context, q *Quota) error
	// LockProject holds the project's quota lock, across replicas, until
	// unlock is called: a quota check and the change it allows are one step.
	LockProject(ctx context.Context, guildID, projectID string) (unlock func(), err error)
	Quotas(ctx context.Context, guildID, projectID string) ([]*Quota, error)
	// QuotaUsage counts resources per type in deployments not destroyed plus
	// open sessions (State.Open), excluding the session named by except.
	QuotaUsage(ctx context.Context, guildID, projectID, except string) (map[string]int, error)

	CreateSession(ctx context.Context, s *Session) error
	GetSession(ctx context.Context, guildID, id string) (*Session, error)
	// SaveSession writes s if the stored row is still in state from at
	// s.Version (and from → s.State is allowed when they differ); otherwise
	// ErrConflict. On success s.Version and s.UpdatedAt are updated. An
	// empty LobbyMessageID or ThreadID keeps the stored one.
	SaveSession(ctx context.Context, s *Session, from State) error
	// SetLobbyMessage records the lobby's message id once, without counting
	// as a change: a click saved at the same moment must not conflict.
	SetLobbyMessage(ctx context.Context, guildID, id, messageID string) error
	ListSessions(ctx context.Context, f SessionFilter) ([]*Session, int, error)
	// OpenChange returns the update or destroy session of a deployment
	// that has not ended, or ENOTFOUND.
	OpenChange(ctx context.Context, guildID, targetID string) (*Session, error)
	// ExpirableSessions returns sessions of every guild in DRAFT, PLANNED or
	// PLAN_FAILED whose last activity is before idleSince.
	ExpirableSessions(ctx context.Context, idleSince time.Time) ([]*Session, error)
	// EndedSessions reports which of the given ids name sessions in a final
	// state (for removing working files).
	EndedSessions(ctx context.Context, guildID string, ids []string) ([]string, error)
	CountByState(ctx context.Context) (map[State]int, error) // every guild, for the gauge
	Stats(ctx context.Context, guildID, projectID string) (*Stats, error)

	DeploymentStore

	StartRun(ctx context.Context, r *Run) error // sets r.ID
	// RenewLease moves the lease forward and reports whether a cancel was requested.
	RenewLease(ctx context.Context, runID int64, instance string, at time.Time) (cancel bool, err error)
	FinishRun(ctx context.Context, r *Run) error
	// RequestCancel records a cancel on the session and its unfinished
	// runs (whose renewals then report it); true when a run was running.
	RequestCancel(ctx context.Context, guildID, sessionID string) (bool, error)
	// HasLiveRun reports whether a session has an unfinished run whose
	// lease was renewed at or after since.
	HasLiveRun(ctx context.Context, guildID, sessionID string, since time.Time) (bool, error)
	// StaleRuns returns unfinished runs of every guild whose lease was last renewed before.
	StaleRuns(ctx context.Context, before time.Time) ([]*Run, error)
	// OrphanedSessions returns sessions of every guild left in PLANNING,
	// APPROVED or APPLYING since before with no run that is unfinished or
	// ended since before: their replica died before its run was recorded,
	// or after it ended but before the result was saved.
	OrphanedSessions(ctx context.Context, before time.Time) ([]*Session, error)
	// AbandonRun ends a stale run with outcome failure if its lease is still
	// older than before; false when another replica got there first or it lives.
	AbandonRun(ctx context.Context, runID int64, before time.Time, summary string) (bool, error)

	SaveArtifact(ctx context.Context, guildID, sessionID string, a *Artifact) error
	GetArtifact(ctx context.Context, guildID, sessionID string) (*Artifact, error)
	DeleteArtifact(ctx context.Context, guildID, sessionID string) error

	// RememberInteraction records an interaction id seen at at and reports
	// whether it is new; false means a replay, on any replica.
	RememberInteraction(ctx context.Context, id string, at time.Time) (bool, error)
	// ForgetInteractions deletes the ids of every guild seen before.
	ForgetInteractions(ctx context.Context, before time.Time) (int64, error)

	AddAudit(ctx context.Context, e *AuditEvent) error
	Audit(ctx context.Context, guildID, target string) ([]*AuditEvent, error)

	ExpiryStore
}

// DeploymentStore keeps deployments and their revisions, scoped by guild.
type DeploymentStore interface {
	// CreateDeployment records a deploy session's deployment (ECONFLICT
	// when it exists).
	CreateDeployment(ctx context.Context, d *Deployment) error
	GetDeployment(ctx context.Context, guildID, id string) (*Deployment, error)
	// Deployments lists the guild's deployments (of one project unless
	// projectID is ""), newest first; live only when liveOnly.
	Deployments(ctx context.Context, guildID, projectID string, liveOnly bool, limit int) ([]*Deployment, error)
	// CountLiveDeployments counts a project's live deployments.
	CountLiveDeployments(ctx context.Context, guildID, projectID string) (int, error)
	// AddRevision records an applied revision as the deployment's next
	// one (setting r.Number) and makes its resources the deployment's.
	AddRevision(ctx context.Context, r *Revision) error
	// SetDeploymentResources records what a deployment holds after an
	// apply that did not finish.
	SetDeploymentResources(ctx context.Context, guildID, id string, rs []Resource) error
	MarkDestroyed(ctx context.Context, guildID, id string) error
	// Revisions lists a page of a deployment's revisions, newest first,
	// with their total.
	Revisions(ctx context.Context, guildID, deploymentID string, offset, limit int) ([]*Revision, int, error)
	GetRevision(ctx context.Context, guildID, deploymentID string, number int) (*Revision, error)

	DriftStore
}

// DriftStore keeps what drift checks found and schedules them.
type DriftStore interface {
	// ClaimDriftCheck lets one replica check a live deployment until until
	// (only when its scheduled check is due, with dueOnly); false when
	// another holds it or it is not due.
	ClaimDriftCheck(ctx context.Context, guildID, id, instance string, now, until time.Time, dueOnly bool) (bool, error)
	// RecordDrift stores a check's finding and releases the claim;
	// becameDrifted is true for the one check that found drift after an
	// in-sync or unchecked state.
	RecordDrift(ctx context.Context, guildID, id string, r DriftRecord) (becameDrifted bool, err error)
	ScheduleDrift(ctx context.Context, guildID, id string, due time.Time) error
	// DueDriftChecks returns live deployments of every guild whose check is
	// due or never scheduled and not claimed.
	DueDriftChecks(ctx context.Context, now time.Time, limit int) ([]*Deployment, error)
	// CountDeployments counts every guild's deployments: live, drifted, destroyed.
	CountDeployments(ctx context.Context) (map[string]int, error)
}

// Field is one input of a resource type's modal.
type Field struct {
	ID        string // "name", "size", "region", ...
	Label     string
	Default   string
	Required  bool
	MaxLength int
}

// ResourceType is one type of resource the catalog offers: its id, the
// same for every provider (quotas count by it), and the label users read.
type ResourceType struct {
	ID    string // "compute_vm"
	Label string // "Virtual machine"
}

// Catalog knows the resource types of each provider.
type Catalog interface {
	// ResourceTypes lists the types in the order users read them.
	ResourceTypes() []ResourceType
	DefaultRegion(provider string) string
	ValidateRegion(provider, region string) error // EINVALID naming the rule
	// ValidateAccount checks a project's account (gcp project id, aws
	// IAM role ARN, azure resource group); "" is the provider's default.
	ValidateAccount(provider, account string) error
	// Fields lists a type's modal inputs, "name" first, at most five.
	Fields(provider, resourceType, region string) ([]Field, error)
	// Validate checks a resource and fills in defaults; EINVALID naming the rule.
	Validate(provider, region string, r Resource) (Resource, error)
}

// PlanRequest describes a plan of a session's resources.
type PlanRequest struct {
	GuildID   string
	SessionID string
	StateKey  string // the deployment whose state is read and written
	Provider  string
	Region    string
	Account   string
	Resources []Resource
	// Known are resources the state may hold besides Resources (those an
	// update removes), so that an apply can say which of them it kept.
	Known   []Resource
	Destroy bool
	Queued  func() // called when the run must wait for a free slot
}

// ApplyRequest applies a saved plan.
type ApplyRequest struct {
	PlanRequest
	Artifact *Artifact
}

// ApplyResult is what an apply printed.
type ApplyResult struct {
	ClosingLine string // "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
	Log         string
	// After an apply that did not finish: StateRead says whether the state
	// could be read, InState names the resources (of Resources and Known)
	// that it still holds.
	StateRead bool
	InState   []string
}

// Terraform runs terraform. A missing binary is an *Error whose message
// is "Terraform not found at <path>". A cancelled or timed-out context
// interrupts terraform gracefully and the error wraps ctx's error.
type Terraform interface {
	Catalog
	Check() error
	Plan(ctx context.Context, req PlanRequest) (*Plan, *Artifact, error)
	Apply(ctx context.Context, req ApplyRequest, onLine func(line string)) (*ApplyResult, error)
	// Drift plans a deployment's recorded resources against its refreshed
	// state without saving anything or holding the state lock, and names
	// every address that changed outside terraform or that the plan would
	// change (sorted; none when in sync).
	Drift(ctx context.Context, req PlanRequest) ([]string, error)
	// Cleanup removes a session's working files, never a deployment's state.
	Cleanup(ctx context.Context, guildID, sessionID string) error
	// WorkingSessions lists the sessions that have working files, by guild.
	WorkingSessions(ctx context.Context) (map[string][]string, error)
}

// LogSink receives apply output for the users watching; Line never blocks.
type LogSink interface {
	Line(line string)
	// Close flushes, posts the final status message and the full log.
	Close(ctx context.Context, s *Session, closing string, log string) error
}

// LobbyView is everything a lobby message shows.
type LobbyView struct {
	Session *Session
	Project *Project
	Queued  bool   // waiting for a free terraform slot
	Notice  string // a one-off line, e.g. "Cancelled by <@id>."
	// Types are the resource types the lobby offers to add.
	Types []ResourceType
}

// Reporter shows sessions to their users.
//
// Every call returns within a bounded time whatever Discord does (the
// adapter's retry budgets), also on a context without deadline: the core
// calls it from background jobs that shutdown waits for.
type Reporter interface {
	// Lobby re-renders the session's lobby message and returns its message id.
	Lobby(ctx context.Context, v LobbyView) (messageID string, err error)
	// OpenLog starts the thread (or its fallback) that an apply streams into.
	OpenLog(ctx context.Context, s *Session) (LogSink, error)
	// ThreadNotice posts a line into the session's apply thread (or its
	// fallback) after the apply's own sink is gone, e.g. after a restart.
	ThreadNotice(ctx context.Context, s *Session, text string) error
	// Drifted tells the deployment's lobby channel that it drifted, with
	// a way to reconcile it.
	Drifted(ctx context.Context, d *Deployment, addresses []string) error

	// Reminder posts the reminder of a deployment's expiry in its channel.
	Reminder(ctx context.Context, v ReminderView) error
}
