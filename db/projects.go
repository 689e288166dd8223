package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

type projectRow struct {
	GuildID     string `db:"guild_id"`
	ID          string `db:"id"`
	Provider    string `db:"provider"`
	Region      string `db:"region"`
	Account     string `db:"account"`
	Description string `db:"description"`
	Approvals   int    `db:"approvals"`
	CreatedBy   string `db:"created_by"`
	CreatedAt   int64  `db:"created_at"`
	TTLMS       int64  `db:"ttl_ms"`
	TTLText     string `db:"ttl_text"`
}

// pagedProjectRow is a project with the total of the query it came from.
type pagedProjectRow struct {
	projectRow
	Total int `db:"total"`
}

func (r *projectRow) project() *deploy.Project {
	return &deploy.Project{
		GuildID: r.GuildID, ID: r.ID, Provider: r.Provider, Region: r.Region, Account: r.Account,
		Description: r.Description, Approvals: r.Approvals, CreatedBy: r.CreatedBy,
		CreatedAt: fromMillis(r.CreatedAt), TTL: time.Duration(r.TTLMS) * time.Millisecond, TTLText: r.TTLText,
	}
}

const projectColumns = `guild_id, id, provider, region, account, description, approvals, created_by, created_at, ttl_ms, ttl_text`

func unknownProject(id string) error {
	return deploy.Errorf(deploy.ENOTFOUND, "Unknown project %s.", id)
}

// CreateProject stores a new project; ECONFLICT when the id is taken in the guild.
func (db *DB) CreateProject(ctx context.Context, p *deploy.Project) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = db.now()
	}
	p.CreatedAt = ms(p.CreatedAt)
	_, err := db.exec(ctx, `INSERT INTO projects (`+projectColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.GuildID, p.ID, p.Provider, p.Region, p.Account, p.Description, p.Approvals, p.CreatedBy, toMillis(p.CreatedAt),
		p.TTL.Milliseconds(), p.TTLText)
	if isUniqueViolation(err) {
		return &deploy.Error{Code: deploy.ECONFLICT, Message: fmt.Sprintf("Project %s already exists.", p.ID), Err: err}
	}
	if err != nil {
		return fmt.Errorf("create project %s: %w", p.ID, err)
	}
	return nil
}

// GetProject returns a project of the guild, or ENOTFOUND.
func (db *DB) GetProject(ctx context.Context, guildID, projectID string) (*deploy.Project, error) {
	var r projectRow
	err := db.get(ctx, &r, `SELECT `+projectColumns+` FROM projects WHERE guild_id = ? AND id = ?`, guildID, projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unknownProject(projectID)
	}
	if err != nil {
		return nil, fmt.Errorf("get project %s: %w", projectID, err)
	}
	return r.project(), nil
}

// ReadableProjects lists, by id, the projects the user may read: all of the
// guild for an administrator, else those with an unexpired grant at now.
func (db *DB) ReadableProjects(ctx context.Context, guildID, userID string, admin bool, now time.Time, offset, limit int) ([]*deploy.Project, int, error) {
	from := `FROM projects p WHERE p.guild_id = ?`
	args := []any{guildID}
	if !admin {
		from += ` AND EXISTS (SELECT 1 FROM grants g WHERE g.guild_id = p.guild_id AND g.project_id = p.id
			AND g.user_id = ? AND g.level >= ? AND (g.expires_at IS NULL OR g.expires_at > ?))`
		args = append(args, userID, int(deploy.LevelRead), toMillis(now))
	}
	// One query for the page and the total: the list is on the path of a
	// command that answers within Discord's three seconds.
	var rows []pagedProjectRow
	query := `SELECT p.guild_id, p.id, p.provider, p.region, p.account, p.description, p.approvals, p.created_by, p.created_at,
		p.ttl_ms, p.ttl_text, COUNT(*) OVER () AS total ` + from + ` ORDER BY p.id LIMIT ? OFFSET ?`
	if err := db.all(ctx, &rows, query, append(args, pageLimit(limit), max(offset, 0))...); err != nil {
		return nil, 0, fmt.Errorf("list readable projects: %w", err)
	}
	total := 0
	if len(rows) > 0 {
		total = rows[0].Total
	} else if offset > 0 {
		if err := db.get(ctx, &total, `SELECT COUNT(*) `+from, args...); err != nil {
			return nil, 0, fmt.Errorf("count readable projects: %w", err)
		}
	}
	out := make([]*deploy.Project, len(rows))
	for i := range rows {
		out[i] = rows[i].project()
	}
	return out, total, nil
}

// pageLimit turns "no limit" (0 or less) into a number both dialects accept.
func pageLimit(limit int) int {
	if limit <= 0 {
		return 1 << 30
	}
	return limit
}
