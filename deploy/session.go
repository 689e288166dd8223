package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Token is an interaction token that can edit the lobby, with its issue time.
type Token struct {
	Value    string
	IssuedAt time.Time
}

// CheckDeploy runs the checks of /cloud-deploy that come before the
// deferred answer: project, permission, provider and region.
func (s *Service) CheckDeploy(ctx context.Context, a Actor, projectID, provider, region string) (*Project, string, error) {
	p, err := s.project(ctx, a, projectID, LevelDeploy)
	if err != nil {
		return nil, "", err
	}
	if provider != "" && provider != p.Provider {
		return nil, "", Errorf(EINVALID, "Project %s uses provider %s, not %s.", p.ID, p.Provider, provider)
	}
	if region == "" {
		region = p.Region
	}
	if err := s.tf.ValidateRegion(p.Provider, region); err != nil {
		return nil, "", err
	}
	return p, region, nil
}

// StartDeploy creates a DRAFT session and shows its lobby in place of the
// deferred answer that tok belongs to; ttl (from CheckTTL) is the time to
// live its deployment gets.
func (s *Service) StartDeploy(ctx context.Context, a Actor, p *Project, region string, ttl time.Duration, tok Token) (*Session, error) {
	now := s.now()
	sess := &Session{GuildID: a.GuildID, ChannelID: a.ChannelID, OwnerID: a.UserID, ProjectID: p.ID,
		Provider: p.Provider, Region: region, Kind: KindDeploy, State: StateDraft,
		Token: tok.Value, TokenIssuedAt: tok.IssuedAt, CreatedAt: now, UpdatedAt: now, LastActivityAt: now, TTL: ttl}
	if err := s.create(ctx, sess); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "deploy", sess.ID, p.ID)
	s.showLobby(ctx, sess, p, LobbyView{})
	return sess, nil
}

// create stores a new session under a fresh id.
func (s *Service) create(ctx context.Context, sess *Session) error {
	var err error
	for range 5 {
		sess.ID = NewSessionID()
		if err = s.store.CreateSession(ctx, sess); ErrorCode(err) != ECONFLICT {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Click is what every lobby interaction passes: who clicked, on which
// session, and the token that can edit the lobby from now on.
type Click struct {
	Actor   Actor
	Session string
	Token   Token
}

// ownerClick loads the session for an action that only its owner may take
// in an open state, re-checking deploy permission and the TTL.
func (s *Service) ownerClick(ctx context.Context, c Click) (*Session, *Project, error) {
	sess, err := s.openSession(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if sess.OwnerID != c.Actor.UserID {
		return nil, nil, Errorf(EFORBIDDEN, "%s", msgNotOwner)
	}
	p, err := s.project(ctx, c.Actor, sess.ProjectID, LevelDeploy)
	if err != nil {
		return nil, nil, err
	}
	return sess, p, nil
}

// openSession loads a session that a click may still change: past its TTL
// it expires on the spot; ended sessions are refused.
func (s *Service) openSession(ctx context.Context, c Click) (*Session, error) {
	sess, err := s.session(ctx, c.Actor, c.Session)
	if err != nil {
		return nil, err
	}
	if sess.State.Expirable() && s.now().Sub(sess.LastActivityAt) > s.cfg.SessionTTL {
		s.expire(ctx, sess)
		return nil, Errorf(EEXPIRED, "%s", msgExpired)
	}
	switch {
	case sess.State == StateExpired:
		return nil, Errorf(EEXPIRED, "%s", msgExpired)
	case sess.State.Final():
		return nil, Errorf(ECONFLICT, "%s", msgSessionEnded)
	}
	// The click's token edits the lobby from now on, once the click's
	// change is saved (its answer is then a deferred update of the lobby).
	if c.Token.Value != "" {
		sess.Token, sess.TokenIssuedAt = c.Token.Value, c.Token.IssuedAt
	}
	return sess, nil
}

// ResourceForm checks that the owner may add a resource of type t now and
// returns the modal's fields.
func (s *Service) ResourceForm(ctx context.Context, c Click, t string) ([]Field, error) {
	c.Token = Token{}
	sess, _, err := s.ownerClick(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := editable(sess); err != nil || sess.Kind == KindDestroy {
		return nil, errors.Join(err, kindErr(sess))
	}
	if !s.isResourceType(t) {
		return nil, Errorf(EINVALID, "Unknown resource type %q.", t)
	}
	return s.tf.Fields(sess.Provider, t, sess.Region)
}

// editable refuses changes while terraform runs.
func editable(sess *Session) error {
	switch sess.State {
	case StateDraft, StatePlanned, StatePlanFailed:
		return nil
	case StatePlanning:
		return Errorf(ECONFLICT, "%s", msgPlanRunning)
	}
	return Errorf(ECONFLICT, "This session is being applied and can no longer change.")
}

// AddResource validates a resource, checks the quota, adds it and starts
// a plan in the background.
func (s *Service) AddResource(ctx context.Context, c Click, r Resource) (*Session, error) {
	sess, p, err := s.ownerClick(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := editable(sess); err != nil || sess.Kind == KindDestroy {
		return nil, errors.Join(err, kindErr(sess))
	}
	r, err = s.tf.Validate(sess.Provider, sess.Region, r)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(sess.Resources, func(o Resource) bool { return o.Name == r.Name }) {
		return nil, Errorf(EINVALID, "A resource named %s is already in this session; names must be unique.", r.Name)
	}
	after := append(slices.Clone(sess.Resources), r)
	unlock, err := s.holdQuota(ctx, sess, nil, after, []string{r.Type})
	if err != nil {
		return nil, err
	}
	defer unlock()
	sess.Resources = after
	return s.replan(ctx, sess, p)
}

func kindErr(sess *Session) error {
	if sess.Kind == KindDestroy {
		return Errorf(EINVALID, "A destroy session's resources cannot change.")
	}
	return nil
}

// holdQuota checks that a session whose resources become after stays
// within the project's limits, and holds the project's quota lock (across
// replicas) until unlock is called, so that the check and the save it
// allows are one step. Usage is the other sessions' and deployments' plus
// what this session adds (for an update, what its deployment d does not
// hold yet). Only the given types are checked (nil: every type), so that a
// project already over a lowered limit can still remove or change; without
// a limit on any of them there is nothing to race for, and no lock (one
// project's many adds would otherwise queue behind it).
func (s *Service) holdQuota(ctx context.Context, sess *Session, d *Deployment, after []Resource, types []string) (unlock func(), err error) {
	qs, err := s.store.Quotas(ctx, sess.GuildID, sess.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("quotas: %w", err)
	}
	qs = slices.DeleteFunc(qs, func(q *Quota) bool { return types != nil && !slices.Contains(types, q.ResourceType) })
	if len(qs) == 0 {
		return func() {}, nil
	}
	unlock, err = s.store.LockProject(ctx, sess.GuildID, sess.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("lock quota of %s: %w", sess.ProjectID, err)
	}
	if err := s.withinQuota(ctx, sess, d, after, qs); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// withinQuota refuses what would take a type of qs past its limit.
func (s *Service) withinQuota(ctx context.Context, sess *Session, d *Deployment, after []Resource, qs []*Quota) error {
	adds := after
	if sess.Kind == KindUpdate {
		if d == nil {
			var err error
			if d, err = s.store.GetDeployment(ctx, sess.GuildID, sess.TargetID); err != nil {
				return fmt.Errorf("deployment of the session: %w", err)
			}
		}
		adds = Additions(after, d.Resources)
	}
	used, err := s.store.QuotaUsage(ctx, sess.GuildID, sess.ProjectID, sess.ID)
	if err != nil {
		return fmt.Errorf("quota usage: %w", err)
	}
	for _, q := range qs {
		n := used[q.ResourceType]
		for _, r := range adds {
			if r.Type == q.ResourceType {
				n++
			}
		}
		if n > q.Limit {
			return Errorf(EQUOTA, "Quota exceeded: %s %d/%d", q.ResourceType, n, q.Limit)
		}
	}
	return nil
}

// RemoveResource drops a resource by name and re-plans (or returns to DRAFT
// when none is left).
func (s *Service) RemoveResource(ctx context.Context, c Click, name string) (*Session, error) {
	sess, p, err := s.ownerClick(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := editable(sess); err != nil || sess.Kind == KindDestroy {
		return nil, errors.Join(err, kindErr(sess))
	}
	i := slices.IndexFunc(sess.Resources, func(r Resource) bool { return r.Name == name })
	if i < 0 {
		return nil, Errorf(EINVALID, "There is no resource named %s in this session.", name)
	}
	sess.Resources = slices.Delete(sess.Resources, i, i+1)
	return s.replan(ctx, sess, p)
}

// Replan plans the session again.
func (s *Service) Replan(ctx context.Context, c Click) (*Session, error) {
	sess, p, err := s.ownerClick(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := editable(sess); err != nil {
		return nil, err
	}
	if len(sess.Resources) == 0 && sess.Kind == KindDeploy {
		return nil, Errorf(EINVALID, "Add a resource first.")
	}
	return s.replan(ctx, sess, p)
}

// replan records the session in PLANNING (clearing the plan and its
// approvals) and starts the plan.
func (s *Service) replan(ctx context.Context, sess *Session, p *Project) (*Session, error) {
	from := sess.State
	sess.Plan, sess.Approvals, sess.Error = nil, nil, ""
	sess.LastActivityAt = s.now()
	sess.State = StatePlanning
	if err := s.save(ctx, sess, from); err != nil {
		return nil, err
	}
	s.startPlan(ctx, sess, p)
	return sess, nil
}

// save is SaveSession with the conflict turned into polite text.
func (s *Service) save(ctx context.Context, sess *Session, from State) error {
	if from != sess.State && !from.CanTransitionTo(sess.State) {
		return Errorf(ECONFLICT, "This session is %s and cannot become %s.", from, sess.State)
	}
	if err := s.store.SaveSession(ctx, sess, from); err != nil {
		if errors.Is(err, ErrConflict) || ErrorCode(err) == ECONFLICT {
			return ErrConflict
		}
		return fmt.Errorf("save session %s: %w", sess.ID, err)
	}
	return nil
}

// ShowPlan returns the current plan for its owner or approvers.
func (s *Service) ShowPlan(ctx context.Context, c Click) (*Session, error) {
	sess, err := s.session(ctx, c.Actor, c.Session)
	if err != nil {
		return nil, err
	}
	// Checked at every click, the owner's too: a revoked owner no longer
	// sees the plan (SPEC §2).
	if _, err := s.project(ctx, c.Actor, sess.ProjectID, LevelDeploy); err != nil {
		if sess.OwnerID != c.Actor.UserID && ErrorCode(err) == EFORBIDDEN {
			return nil, Errorf(EFORBIDDEN, "%s", msgNotOwner)
		}
		return nil, err
	}
	if sess.Plan == nil {
		return nil, Errorf(EINVALID, "There is no plan yet.")
	}
	return sess, nil
}
