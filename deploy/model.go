package deploy

import (
	"time"
)

// Provider ids.
const (
	ProviderGCP     = "gcp"
	ProviderAWS     = "aws"
	ProviderAzure   = "azure"
	ProviderSandbox = "sandbox"
)

// Providers lists the provider ids in the order users read them.
func Providers() []string {
	return []string{ProviderGCP, ProviderAWS, ProviderAzure, ProviderSandbox}
}

// Level is a permission level on a project; levels are ordered.
type Level int

// Permission levels, ordered read < deploy < admin.
const (
	LevelNone Level = iota
	LevelRead
	LevelDeploy
	LevelAdmin
)

func (l Level) String() string {
	switch l {
	case LevelRead:
		return "read"
	case LevelDeploy:
		return "deploy"
	case LevelAdmin:
		return "admin"
	}
	return "none"
}

// ParseLevel parses "read", "deploy" or "admin".
func ParseLevel(s string) (Level, bool) {
	switch s {
	case "read":
		return LevelRead, true
	case "deploy":
		return LevelDeploy, true
	case "admin":
		return LevelAdmin, true
	}
	return LevelNone, false
}

// Project groups sessions that share a provider, permissions and quotas.
type Project struct {
	GuildID     string
	ID          string
	Provider    string
	Region      string
	Account     string // gcp project id, aws IAM role ARN to assume, or azure resource group
	Description string
	Approvals   int // approvals required from members other than the owner
	CreatedBy   string
	CreatedAt   time.Time
	// TTL is the default and longest time to live of the project's
	// deployments (0: none); TTLText is how the admin wrote it, which
	// refusals quote.
	TTL     time.Duration
	TTLText string
}

// Grant gives a user a level on a project, possibly until ExpiresAt.
type Grant struct {
	GuildID   string
	ProjectID string
	UserID    string
	Level     Level
	ExpiresAt *time.Time
	GrantedBy string
	GrantedAt time.Time
}

// Active reports whether the grant still counts at now.
func (g Grant) Active(now time.Time) bool {
	return g.ExpiresAt == nil || now.Before(*g.ExpiresAt)
}

// Quota limits how many resources of a type a project may have.
type Quota struct {
	GuildID      string
	ProjectID    string
	ResourceType string
	Limit        int
}

// Kind says whether a session deploys new resources, changes a deployment
// or destroys one.
type Kind string

// Session kinds.
const (
	KindDeploy  Kind = "deploy"
	KindUpdate  Kind = "update"
	KindDestroy Kind = "destroy"
)

// ChangesDeployment reports whether sessions of kind k work on an existing
// deployment (its state, its one open change at a time).
func (k Kind) ChangesDeployment() bool { return k == KindUpdate || k == KindDestroy }

// Resource is one resource a session asks for.
type Resource struct {
	Type   string            `json:"type"`
	Name   string            `json:"name"`
	Params map[string]string `json:"params,omitempty"`
}

// Change is one entry of a plan's resource changes.
type Change struct {
	Address string `json:"address"`
	Type    string `json:"type"`   // terraform resource type
	Name    string `json:"name"`   // terraform resource name
	Action  string `json:"action"` // create, update, delete, replace, read, no-op
}

// Plan is what a successful plan produced and the lobby shows.
type Plan struct {
	Line       string   `json:"line"` // terraform's summary line, exactly as printed
	Add        int      `json:"add"`
	Change     int      `json:"change"`
	Destroy    int      `json:"destroy"`
	Changes    []Change `json:"changes,omitempty"`
	Cost       string   `json:"cost,omitempty"`        // "$X.XX/hour | $Y.YY/month", or "Unknown: …" when nothing is priced
	CostNotes  []string `json:"cost_notes,omitempty"`  // unpriced resources, sandbox note
	Text       string   `json:"text,omitempty"`        // human-readable plan for "Show plan"
	DurationMS int64    `json:"duration_ms,omitempty"` // how long terraform took
}

// HasChanges reports whether applying the plan would change anything.
func (p *Plan) HasChanges() bool {
	return p != nil && p.Add+p.Change+p.Destroy > 0
}

// Approval records one member's approval of the current plan.
type Approval struct {
	UserID string
	At     time.Time
}

// Session is one deploy or destroy conversation around a lobby message.
type Session struct {
	ID             string
	GuildID        string
	ChannelID      string
	LobbyMessageID string
	// Token is the latest interaction token that may edit the lobby, with
	// the time it was issued; past 15 minutes the bot token is used instead.
	Token         string
	TokenIssuedAt time.Time
	// ThreadID is where the apply's output went: its thread, or the lobby's
	// channel when no thread could be started. Set once the apply began.
	ThreadID  string
	OwnerID   string
	ProjectID string
	Provider  string
	Region    string
	Kind      Kind
	TargetID  string // for an update or destroy: the deployment (session id) it changes
	// Restores is the revision an update rolls back to (0: none).
	Restores  int
	State     State
	Resources []Resource
	Plan      *Plan
	Error     string
	Approvals []Approval
	// Destroyed and Revision describe the deployment this session created,
	// read from its record (never written through the session).
	Destroyed      bool
	Revision       int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	LastActivityAt time.Time
	// Version is bumped by every save; a save names the version it read so
	// that two writers in the same state cannot overwrite each other.
	Version int64
	// TTL is the time to live a deploy session gives its deployment (0:
	// none); ExpiresAt is that deployment's expiry, read from its record.
	TTL       time.Duration
	ExpiresAt *time.Time
}

// Run operations and outcomes.
const (
	OpPlan    = "plan"
	OpApply   = "apply"
	OpDestroy = "destroy"
	OpDrift   = "drift"

	OutcomeSuccess   = "success"
	OutcomeFailure   = "failure"
	OutcomeCancelled = "cancelled"
)

// Run is one terraform execution for a session, with its lease.
type Run struct {
	ID              int64
	GuildID         string
	SessionID       string
	Operation       string
	Instance        string // the replica that runs it
	StartedAt       time.Time
	LeaseRenewedAt  time.Time
	EndedAt         *time.Time
	Outcome         string
	Summary         string // terraform's summary or closing line
	LogTail         string
	CancelRequested bool
}

// AuditEvent records who did what.
type AuditEvent struct {
	GuildID string
	Actor   string
	Action  string // grant, revoke, create_project, set_quota, approve, apply, cancel, destroy, ...
	Target  string
	Detail  string
	At      time.Time
}

// Artifact is the saved plan and the dependency lock file of a plan, kept
// in the store so that any replica can apply it.
type Artifact struct {
	PlanFile []byte
	LockFile []byte
}

// Stats are the figures /cloud-stats shows.
type Stats struct {
	ByState      map[State]int
	Applied      int
	Failed       int
	PlanMedian   time.Duration
	PlanP95      time.Duration
	ApplyMedian  time.Duration
	ApplyP95     time.Duration
	PlanSamples  int
	ApplySamples int
}

// SuccessRate is APPLIED ÷ (APPLIED + FAILED), or -1 with no sample.
func (s Stats) SuccessRate() float64 {
	if s.Applied+s.Failed == 0 {
		return -1
	}
	return float64(s.Applied) / float64(s.Applied+s.Failed)
}
