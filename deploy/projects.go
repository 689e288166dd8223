package deploy

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// PageSize is how many items a list shows.
const PageSize = 10

// NewProject is what /cloud-create-project asks for.
type NewProject struct {
	ID, Provider, Description, Region, Account string
	Approvals                                  int
	TTL                                        string // as written, e.g. "7d"; "" for none
}

// CreateProject creates a project; administrators only.
func (s *Service) CreateProject(ctx context.Context, a Actor, in NewProject) (*Project, error) {
	if err := s.requireAdmin(a); err != nil {
		return nil, err
	}
	if !ValidProjectID(in.ID) {
		return nil, Errorf(EINVALID, "Invalid project id %q: use lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, 2–30 characters.", in.ID)
	}
	if !slices.Contains(Providers(), in.Provider) {
		return nil, Errorf(EINVALID, "Unknown provider %q: use gcp, aws, azure or sandbox.", in.Provider)
	}
	if in.Approvals < 0 || in.Approvals > 10 {
		return nil, Errorf(EINVALID, "Approvals must be between 0 and 10.")
	}
	if in.Region == "" {
		in.Region = s.tf.DefaultRegion(in.Provider)
	}
	if err := s.tf.ValidateRegion(in.Provider, in.Region); err != nil {
		return nil, err
	}
	// The operator's list comes first: an account not listed is refused in
	// the same words whatever its spelling.
	if err := s.checkNewAccount(in.Provider, in.Account); err != nil {
		return nil, err
	}
	if err := s.tf.ValidateAccount(in.Provider, in.Account); err != nil {
		return nil, err
	}
	if len(in.Description) > 200 || len(in.Account) > 100 {
		return nil, Errorf(EINVALID, "The description is limited to 200 characters and the account to 100.")
	}
	ttl, err := ParseTTL(in.TTL)
	if err != nil {
		return nil, err
	}
	p := &Project{GuildID: a.GuildID, ID: in.ID, Provider: in.Provider, Region: in.Region,
		Account: in.Account, Description: in.Description, Approvals: in.Approvals,
		CreatedBy: a.UserID, CreatedAt: s.now(), TTL: ttl, TTLText: in.TTL}
	if err := s.store.CreateProject(ctx, p); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, Errorf(ECONFLICT, "Project %s already exists.", in.ID)
		}
		return nil, fmt.Errorf("create project: %w", err)
	}
	s.audit(ctx, a, "create_project", p.ID, p.Provider+" "+p.Region)
	return p, nil
}

// Grant gives a user a level on a project, for d when d > 0.
func (s *Service) Grant(ctx context.Context, a Actor, projectID, userID string, l Level, d time.Duration) (*Grant, error) {
	if _, err := s.projectAdmin(ctx, a, projectID); err != nil {
		return nil, err
	}
	if l < LevelRead || l > LevelAdmin {
		return nil, Errorf(EINVALID, "Unknown level: use read, deploy or admin.")
	}
	if d < 0 {
		return nil, Errorf(EINVALID, "The duration must be positive.")
	}
	now := s.now()
	g := &Grant{GuildID: a.GuildID, ProjectID: projectID, UserID: userID, Level: l, GrantedBy: a.UserID, GrantedAt: now}
	if d > 0 {
		exp := now.Add(d)
		g.ExpiresAt = &exp
	}
	if err := s.store.PutGrant(ctx, g); err != nil {
		return nil, fmt.Errorf("put grant: %w", err)
	}
	s.audit(ctx, a, "grant", projectID, fmt.Sprintf("%s %s %s", userID, l, d))
	return g, nil
}

// Revoke removes a user's grant on a project.
func (s *Service) Revoke(ctx context.Context, a Actor, projectID, userID string) (bool, error) {
	if _, err := s.projectAdmin(ctx, a, projectID); err != nil {
		return false, err
	}
	ok, err := s.store.DeleteGrant(ctx, a.GuildID, projectID, userID)
	if err != nil {
		return false, fmt.Errorf("delete grant: %w", err)
	}
	if ok {
		s.audit(ctx, a, "revoke", projectID, userID)
	}
	return ok, nil
}

// projectAdmin allows administrators and the project's admins; anyone else
// is told the command is for administrators.
func (s *Service) projectAdmin(ctx context.Context, a Actor, projectID string) (*Project, error) {
	p, err := s.project(ctx, a, projectID, LevelNone)
	if err != nil {
		return nil, err
	}
	l, err := s.level(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	if l < LevelAdmin {
		return nil, Errorf(EFORBIDDEN, "%s", msgAdminOnly)
	}
	return p, nil
}

// SetQuota limits a resource type on a project; administrators only.
func (s *Service) SetQuota(ctx context.Context, a Actor, projectID, resourceType string, limit int) error {
	if err := s.requireAdmin(a); err != nil {
		return err
	}
	if _, err := s.project(ctx, a, projectID, LevelNone); err != nil {
		return err
	}
	if !s.isResourceType(resourceType) {
		return Errorf(EINVALID, "Unknown resource type %q: use %s.", resourceType, orList(s.resourceTypeIDs()))
	}
	if limit < 0 {
		return Errorf(EINVALID, "The limit must be 0 or more.")
	}
	if err := s.store.SetQuota(ctx, &Quota{GuildID: a.GuildID, ProjectID: projectID, ResourceType: resourceType, Limit: limit}); err != nil {
		return fmt.Errorf("set quota: %w", err)
	}
	s.audit(ctx, a, "set_quota", projectID, fmt.Sprintf("%s %d", resourceType, limit))
	return nil
}

// Projects lists the projects the actor may read, page from 1.
func (s *Service) Projects(ctx context.Context, a Actor, page int) ([]*Project, int, error) {
	page = max(page, 1)
	ps, total, err := s.store.ReadableProjects(ctx, a.GuildID, a.UserID, s.IsAdmin(a), s.now(), (page-1)*PageSize, PageSize)
	if err != nil {
		return nil, 0, fmt.Errorf("list projects: %w", err)
	}
	return ps, total, nil
}

// QuotaLine is one resource type's use and limit.
type QuotaLine struct {
	ResourceType string
	Used         int
	Limit        int // -1 when unlimited
}

// Quota shows a project's quotas and their use; read on the project.
func (s *Service) Quota(ctx context.Context, a Actor, projectID string) (*Project, []QuotaLine, error) {
	p, err := s.project(ctx, a, projectID, LevelRead)
	if err != nil {
		return nil, nil, err
	}
	qs, err := s.store.Quotas(ctx, a.GuildID, projectID)
	if err != nil {
		return nil, nil, fmt.Errorf("quotas: %w", err)
	}
	used, err := s.store.QuotaUsage(ctx, a.GuildID, projectID, "")
	if err != nil {
		return nil, nil, fmt.Errorf("quota usage: %w", err)
	}
	var lines []QuotaLine
	for _, t := range s.resourceTypeIDs() {
		l := QuotaLine{ResourceType: t, Used: used[t], Limit: -1}
		for _, q := range qs {
			if q.ResourceType == t {
				l.Limit = q.Limit
			}
		}
		lines = append(lines, l)
	}
	return p, lines, nil
}

// audit records an event; a failure is logged, never shown to the user,
// because the action itself already happened.
func (s *Service) audit(ctx context.Context, a Actor, action, target, detail string) {
	e := &AuditEvent{GuildID: a.GuildID, Actor: a.UserID, Action: action, Target: target, Detail: detail, At: s.now()}
	if err := s.store.AddAudit(ctx, e); err != nil {
		s.log.Error("audit event not recorded", "action", action, "target", target, "err", err)
	}
}
