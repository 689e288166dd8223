package deploy

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CheckTTL checks a deploy's ttl option against its project before the
// deferred answer and returns the time to live its deployment gets.
func (s *Service) CheckTTL(p *Project, text string) (time.Duration, error) {
	asked, err := ParseTTL(text)
	if err != nil {
		return 0, err
	}
	return resolveTTL(p, asked)
}

// startExpiry starts the clock of a deployment with a time to live at the
// end of its first successful apply; a later apply leaves it alone.
func (s *Service) startExpiry(ctx context.Context, guild, id string) {
	err := s.retry(ctx, "start expiry", func() error { return s.store.StartExpiry(ctx, guild, id, s.now()) })
	if err != nil {
		s.log.Error("expiry not started", "deployment", id, "err", err)
	}
}

// Extend moves a deployment's expiry later by the duration text asks
// (/cloud-extend); it returns the new expiry.
func (s *Service) Extend(ctx context.Context, a Actor, id, text string) (time.Time, error) {
	by, err := ParseTTL(text)
	if err != nil {
		return time.Time{}, err
	}
	if by == 0 {
		return time.Time{}, Errorf(EINVALID, msgInvalidTTL, text)
	}
	return s.extend(ctx, a, id, by, false)
}

// ExtendByTTL moves a deployment's expiry later by its own time to live
// (the reminder's Extend button).
func (s *Service) ExtendByTTL(ctx context.Context, a Actor, id string) (time.Time, error) {
	return s.extend(ctx, a, id, 0, true)
}

func (s *Service) extend(ctx context.Context, a Actor, id string, by time.Duration, clamp bool) (time.Time, error) {
	d, p, e, err := s.managedExpiry(ctx, a, id)
	if err != nil {
		return time.Time{}, err
	}
	if e.At == nil {
		return time.Time{}, Errorf(EINVALID, msgExpiryPending, id)
	}
	if err := s.notBeingExpired(ctx, d, e); err != nil {
		return time.Time{}, err
	}
	if by == 0 {
		by = e.TTL
	}
	to, err := extendTo(s.now(), *e.At, by, d, p, clamp)
	if err != nil {
		return time.Time{}, err
	}
	ok, err := s.store.MoveExpiry(ctx, e, to)
	if err != nil {
		return time.Time{}, fmt.Errorf("move expiry of %s: %w", id, err)
	}
	if !ok {
		return time.Time{}, Errorf(ECONFLICT, "%s", msgExpiryChanged)
	}
	s.audit(ctx, a, "extend", id, to.UTC().Format(time.RFC3339))
	s.log.Info("deployment expiry moved", "deployment", id, "guild", a.GuildID, "expires", to)
	// The deploy lobby shows the expiry; keep it true.
	if sess, err := s.store.GetSession(ctx, a.GuildID, id); err == nil {
		s.refresh(ctx, sess)
	}
	return to, nil
}

// managedExpiry loads a live deployment with an expiry for someone who may
// extend or destroy it now: its owner (still holding deploy), the
// project's admins and administrators.
func (s *Service) managedExpiry(ctx context.Context, a Actor, id string) (*Deployment, *Project, *Expiry, error) {
	d, p, err := s.deployment(ctx, a, id, LevelNone)
	if err != nil {
		return nil, nil, nil, err
	}
	if !d.Live() {
		return nil, nil, nil, errNotLive(id)
	}
	if err := s.mayManageExpiry(ctx, a, d); err != nil {
		return nil, nil, nil, err
	}
	e, err := s.store.GetExpiry(ctx, a.GuildID, id)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("expiry of %s: %w", id, err)
	}
	if e.TTL == 0 {
		return nil, nil, nil, Errorf(EINVALID, msgNoExpiry, id)
	}
	return d, p, e, nil
}

func (s *Service) mayManageExpiry(ctx context.Context, a Actor, d *Deployment) error {
	l, err := s.level(ctx, a, d.ProjectID)
	switch {
	case err != nil:
		return err
	case l >= LevelAdmin:
		return nil
	case a.UserID != d.OwnerID:
		return Errorf(EFORBIDDEN, "%s", msgNotOwner)
	case l < LevelDeploy:
		return errNeedLevel(LevelDeploy, d.ProjectID)
	}
	return nil
}

// notBeingExpired refuses while the destroy that the expiry (or Destroy
// now) opened has not ended.
func (s *Service) notBeingExpired(ctx context.Context, d *Deployment, e *Expiry) error {
	if e.Session == "" {
		return nil
	}
	sess, err := s.store.GetSession(ctx, d.GuildID, e.Session)
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ECONFLICT, msgBeingExpired, d.ID, e.Session)
	}
	if err != nil {
		return fmt.Errorf("expiry session of %s: %w", d.ID, err)
	}
	if !sess.State.Final() {
		return Errorf(ECONFLICT, msgBeingExpired, d.ID, e.Session)
	}
	return nil
}

// DestroyNow opens the destroy of a deployment with an expiry and applies
// it without approvals, as its expiry would (the reminder's button).
func (s *Service) DestroyNow(ctx context.Context, a Actor, id string) (*Session, error) {
	d, _, e, err := s.managedExpiry(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := s.notBeingExpired(ctx, d, e); err != nil {
		return nil, err
	}
	return s.openExpiryDestroy(ctx, d, e, a, a.UserID, fmt.Sprintf(noticeDestroyNow, a.UserID))
}

// SuggestExpiring is the suggestion purpose of /cloud-extend.
const SuggestExpiring = "expiring"

// suggestExpiring lists the live deployments with an expiry that the
// actor may extend (/cloud-extend), soonest expiry first.
func (s *Service) suggestExpiring(ctx context.Context, a Actor, prefix string) ([]*Session, error) {
	es, err := s.store.ExpiringDeployments(ctx, a.GuildID, s.now().AddDate(100, 0, 0))
	if err != nil {
		return nil, fmt.Errorf("suggest expiring deployments: %w", err)
	}
	live, err := s.store.Deployments(ctx, a.GuildID, "", true, 0)
	if err != nil {
		return nil, fmt.Errorf("suggest expiring deployments: %w", err)
	}
	byID := make(map[string]*Deployment, len(live))
	for _, d := range live {
		byID[d.ID] = d
	}
	levels := map[string]Level{}
	var out []*Session
	for _, e := range es {
		d, ok := byID[e.DeploymentID]
		if !ok || len(out) == maxSuggestions || !strings.HasPrefix(d.ID, strings.ToLower(prefix)) {
			continue
		}
		if !s.holds(ctx, a, d.ProjectID, LevelAdmin, levels) &&
			(d.OwnerID != a.UserID || !s.holds(ctx, a, d.ProjectID, LevelDeploy, levels)) {
			continue
		}
		out = append(out, &Session{ID: d.ID, GuildID: d.GuildID, ProjectID: d.ProjectID, OwnerID: d.OwnerID,
			Kind: KindDeploy, State: d.SessionState, Revision: d.Revision, ExpiresAt: e.At, TTL: e.TTL})
	}
	return out, nil
}
