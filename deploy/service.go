package deploy

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Config holds the service's rules that operators tune.
type Config struct {
	SessionTTL    time.Duration
	PlanTimeout   time.Duration
	ApplyTimeout  time.Duration
	AdminUserIDs  []string
	AdminRoleIDs  []string
	Instance      string        // this replica's id, for run leases
	LeaseInterval time.Duration // how often a run renews its lease and looks for a cancel; 0 is DefaultLeaseInterval
	LeaseTimeout  time.Duration // a lease older than this is dead; 0 is DefaultLeaseTimeout

	// Whose cloud (SPEC §2): the servers the engine serves (empty: every
	// one) and the accounts projects may use, per provider.
	AllowedGuildIDs []string
	AllowedAccounts AllowedAccounts

	// DriftInterval is how often each live deployment is checked for
	// drift; 0 turns scheduled checks off.
	DriftInterval time.Duration
}

// SPEC §1 ("Runs survive replicas"): a lease is renewed every 10 s and a run
// is dead after 60 s without renewal. Six renewals fit in the timeout, so a
// replica that misses a few (a slow database, a GC pause) is not declared dead.
const (
	DefaultLeaseInterval = 10 * time.Second
	DefaultLeaseTimeout  = 60 * time.Second
)

// Service holds every rule of the product: permissions, quotas,
// approvals, the state machine and the background runs.
type Service struct {
	cfg   Config
	store Store
	tf    Terraform
	rep   Reporter
	jobs  *Jobs
	log   *slog.Logger
	now   func() time.Time

	mu      sync.Mutex
	running map[string]context.CancelCauseFunc // session id → cancel of its local run
}

// New returns a service; now may be nil for the wall clock.
func New(cfg Config, store Store, tf Terraform, rep Reporter, jobs *Jobs, log *slog.Logger, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if cfg.LeaseInterval <= 0 {
		cfg.LeaseInterval = DefaultLeaseInterval
	}
	if cfg.LeaseTimeout <= 0 {
		cfg.LeaseTimeout = DefaultLeaseTimeout
	}
	return &Service{cfg: cfg, store: store, tf: tf, rep: rep, jobs: jobs, log: log, now: now,
		running: map[string]context.CancelCauseFunc{}}
}

// Actor is the member behind an interaction.
type Actor struct {
	GuildID     string
	ChannelID   string
	UserID      string
	Permissions uint64 // member.permissions in the channel
	RoleIDs     []string
}

// permissionAdministrator is Discord's ADMINISTRATOR bit.
const permissionAdministrator = 1 << 3

// IsAdmin applies SPEC's definition of an administrator.
func (s *Service) IsAdmin(a Actor) bool {
	if a.Permissions&permissionAdministrator != 0 || slices.Contains(s.cfg.AdminUserIDs, a.UserID) {
		return true
	}
	for _, r := range a.RoleIDs {
		if slices.Contains(s.cfg.AdminRoleIDs, r) {
			return true
		}
	}
	return false
}

// Store exposes the store to the edge for read-only helpers (autocomplete).
func (s *Service) Store() Store { return s.store }

// Catalog exposes the resource catalog to the renderers.
func (s *Service) Catalog() Catalog { return s.tf }

// Ready reports whether the database answers and terraform is found. The
// message says what is down; the cause (which may name the database's host)
// is only for the log.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return &Error{Code: EINTERNAL, Message: "database unreachable", Err: err}
	}
	return s.tf.Check()
}
