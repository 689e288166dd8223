package deploy

import (
	"context"
	"fmt"
)

func errNotLive(id string) error { return Errorf(EINVALID, "Session %s is not a live deployment.", id) }

func errOpenChange(dep, open string) error {
	return Errorf(ECONFLICT, "Deployment %s already has an open session: %s.", dep, open)
}

// deployment loads the deployment a session id names, checking that the
// actor holds need on its project. A session that created no deployment is
// reported with SPEC's "not a live deployment".
func (s *Service) deployment(ctx context.Context, a Actor, id string, need Level) (*Deployment, *Project, error) {
	sess, err := s.session(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.project(ctx, a, sess.ProjectID, need)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.store.GetDeployment(ctx, a.GuildID, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, errNotLive(id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("get deployment %s: %w", id, err)
	}
	return d, p, nil
}

// checkChange runs the checks shared by /cloud-update, /cloud-destroy and
// a rollback: deploy on the project, a live deployment, no open change.
func (s *Service) checkChange(ctx context.Context, a Actor, id string) (*Deployment, *Project, error) {
	d, p, err := s.deployment(ctx, a, id, LevelDeploy)
	if err != nil {
		return nil, nil, err
	}
	if !d.Live() {
		return nil, nil, errNotLive(id)
	}
	open, err := s.store.OpenChange(ctx, a.GuildID, id)
	switch {
	case err == nil:
		return nil, nil, errOpenChange(id, open.ID)
	case ErrorCode(err) != ENOTFOUND:
		return nil, nil, fmt.Errorf("open change of %s: %w", id, err)
	}
	return d, p, nil
}

// CheckUpdate runs the checks of /cloud-update before the deferred answer.
func (s *Service) CheckUpdate(ctx context.Context, a Actor, id string) (*Deployment, *Project, error) {
	return s.checkChange(ctx, a, id)
}

// StartUpdate opens an update session on a deployment, seeded with its
// resources (or, for a rollback, with those of revision restore) and
// planned at once against the deployment's state.
func (s *Service) StartUpdate(ctx context.Context, a Actor, d *Deployment, p *Project, restore *Revision, tok Token) (*Session, error) {
	sess := s.newChange(a, d, p, KindUpdate, tok)
	sess.Resources = d.Resources
	if restore != nil {
		sess.Resources, sess.Restores = restore.Resources, restore.Number
		// A rollback may bring back resources the deployment no longer has.
		unlock, err := s.holdQuota(ctx, sess, d, sess.Resources, nil)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	if err := s.createChange(ctx, sess); err != nil {
		return nil, err
	}
	detail := p.ID
	if restore != nil {
		detail = fmt.Sprintf("%s rollback to r%d", p.ID, restore.Number)
	}
	s.audit(ctx, a, "update", d.ID, detail)
	s.startPlan(ctx, sess, p)
	return sess, nil
}

// newChange is a session that changes deployment d; it starts in PLANNING.
func (s *Service) newChange(a Actor, d *Deployment, p *Project, kind Kind, tok Token) *Session {
	now := s.now()
	return &Session{GuildID: a.GuildID, ChannelID: a.ChannelID, OwnerID: a.UserID, ProjectID: p.ID,
		Provider: d.Provider, Region: d.Region, Kind: kind, TargetID: d.ID, State: StatePlanning,
		Resources: d.Resources, Token: tok.Value, TokenIssuedAt: tok.IssuedAt,
		CreatedAt: now, UpdatedAt: now, LastActivityAt: now}
}

// createChange stores a change session; when another replica or click
// opened one for the same deployment first, the store's unique index says
// so and the user gets SPEC's text naming it.
func (s *Service) createChange(ctx context.Context, sess *Session) error {
	err := s.create(ctx, sess)
	if err == nil || ErrorCode(err) != ECONFLICT {
		return err
	}
	if open, oerr := s.store.OpenChange(ctx, sess.GuildID, sess.TargetID); oerr == nil {
		return errOpenChange(sess.TargetID, open.ID)
	}
	return err
}

// ChangeForm returns the modal fields of an update session's resource
// named name, filled with its current values; the name is kept, so it is
// not asked for.
func (s *Service) ChangeForm(ctx context.Context, c Click, name string) (Resource, []Field, error) {
	c.Token = Token{}
	sess, _, err := s.ownerClick(ctx, c)
	if err != nil {
		return Resource{}, nil, err
	}
	r, err := changeable(sess, name)
	if err != nil {
		return Resource{}, nil, err
	}
	fields, err := s.tf.Fields(sess.Provider, r.Type, sess.Region)
	if err != nil {
		return Resource{}, nil, err
	}
	out := make([]Field, 0, len(fields))
	for _, f := range fields {
		if f.ID == "name" {
			continue
		}
		if v, ok := r.Params[f.ID]; ok {
			f.Default = v
		}
		out = append(out, f)
	}
	return r, out, nil
}

// ChangeResource replaces the parameters of an update session's resource
// and re-plans.
func (s *Service) ChangeResource(ctx context.Context, c Click, name string, params map[string]string) (*Session, error) {
	sess, p, err := s.ownerClick(ctx, c)
	if err != nil {
		return nil, err
	}
	old, err := changeable(sess, name)
	if err != nil {
		return nil, err
	}
	r, err := s.tf.Validate(sess.Provider, sess.Region, Resource{Type: old.Type, Name: old.Name, Params: params})
	if err != nil {
		return nil, err
	}
	for i := range sess.Resources {
		if sess.Resources[i].Name == name {
			sess.Resources[i] = r
		}
	}
	return s.replan(ctx, sess, p)
}

// changeable finds a resource that an update session may change now.
func changeable(sess *Session, name string) (Resource, error) {
	if err := editable(sess); err != nil {
		return Resource{}, err
	}
	if sess.Kind != KindUpdate {
		return Resource{}, Errorf(EINVALID, "Only an update session changes resources in place.")
	}
	for _, r := range sess.Resources {
		if r.Name == name {
			return r, nil
		}
	}
	return Resource{}, Errorf(EINVALID, "There is no resource named %s in this session.", name)
}
