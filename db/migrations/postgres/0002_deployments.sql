-- Deployments become a record of their own, with their revisions, instead
-- of a property derived from the deploy session that created them.

CREATE TABLE deployments (
	id         TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id),
	guild_id   TEXT    NOT NULL,
	project_id TEXT    NOT NULL,
	provider   TEXT    NOT NULL,
	region     TEXT    NOT NULL DEFAULT '',
	owner_id   TEXT    NOT NULL DEFAULT '',
	channel_id TEXT    NOT NULL DEFAULT '',
	status     TEXT    NOT NULL,                -- live, destroyed
	resources  TEXT    NOT NULL DEFAULT '[]',   -- JSON array of deploy.Resource: what it holds now
	revision   INTEGER NOT NULL DEFAULT 0,      -- the latest revision, 0 before one was applied
	created_at BIGINT  NOT NULL,
	updated_at BIGINT  NOT NULL,
	FOREIGN KEY (guild_id, project_id) REFERENCES projects (guild_id, id)
);
CREATE INDEX deployments_project ON deployments (guild_id, project_id, status);
CREATE INDEX deployments_created ON deployments (guild_id, created_at);

CREATE TABLE revisions (
	deployment_id TEXT    NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
	number        INTEGER NOT NULL,
	guild_id      TEXT    NOT NULL,
	session_id    TEXT    NOT NULL,
	applied_by    TEXT    NOT NULL DEFAULT '',
	applied_at    BIGINT  NOT NULL,
	resources     TEXT    NOT NULL DEFAULT '[]',
	plan_line     TEXT    NOT NULL DEFAULT '',
	closing_line  TEXT    NOT NULL DEFAULT '',
	cost          TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (deployment_id, number)
);

-- The revision an update session rolls back to (0: none).
ALTER TABLE sessions ADD COLUMN restores INTEGER NOT NULL DEFAULT 0;

-- One open update or destroy session per deployment.
DROP INDEX sessions_open_destroy;
CREATE UNIQUE INDEX sessions_open_change ON sessions (guild_id, target_id)
	WHERE kind IN ('destroy', 'update') AND state IN ('DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPROVED', 'APPLYING');

-- Every deploy session that reached the apply is a deployment; the ones
-- applied get their first revision.
INSERT INTO deployments (id, guild_id, project_id, provider, region, owner_id, channel_id, status, resources, revision, created_at, updated_at)
SELECT s.id, s.guild_id, s.project_id, s.provider, s.region, s.owner_id, s.channel_id,
	CASE WHEN s.destroyed THEN 'destroyed' ELSE 'live' END, s.resources,
	CASE WHEN s.state = 'APPLIED' THEN 1 ELSE 0 END, s.created_at, s.updated_at
FROM sessions s
WHERE s.kind = 'deploy' AND (s.state IN ('APPLYING', 'APPLIED', 'FAILED') OR (s.state = 'CANCELLED' AND s.thread_id <> ''));

INSERT INTO revisions (deployment_id, number, guild_id, session_id, applied_by, applied_at, resources, plan_line, closing_line, cost)
SELECT s.id, 1, s.guild_id, s.id, s.owner_id, s.updated_at, s.resources,
	CASE WHEN s.plan <> '' THEN COALESCE((s.plan::json ->> 'line'), '') ELSE '' END,
	COALESCE((SELECT r.summary FROM runs r WHERE r.session_id = s.id AND r.operation = 'apply' ORDER BY r.id DESC LIMIT 1), ''),
	CASE WHEN s.plan <> '' THEN COALESCE((s.plan::json ->> 'cost'), '') ELSE '' END
FROM sessions s
WHERE s.kind = 'deploy' AND s.state = 'APPLIED';
