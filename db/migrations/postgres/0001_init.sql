-- Times are UTC milliseconds since the Unix epoch (BIGINT), the same in
-- both dialects, so that comparisons and round trips are exact.

CREATE TABLE projects (
	guild_id    TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	provider    TEXT    NOT NULL,
	region      TEXT    NOT NULL DEFAULT '',
	account     TEXT    NOT NULL DEFAULT '',
	description TEXT    NOT NULL DEFAULT '',
	approvals   INTEGER NOT NULL DEFAULT 0,
	created_by  TEXT    NOT NULL DEFAULT '',
	created_at  BIGINT  NOT NULL,
	PRIMARY KEY (guild_id, id)
);

CREATE TABLE grants (
	guild_id   TEXT    NOT NULL,
	project_id TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	level      INTEGER NOT NULL,
	expires_at BIGINT,
	granted_by TEXT    NOT NULL DEFAULT '',
	granted_at BIGINT  NOT NULL,
	PRIMARY KEY (guild_id, project_id, user_id),
	FOREIGN KEY (guild_id, project_id) REFERENCES projects (guild_id, id) ON DELETE CASCADE
);
CREATE INDEX grants_user ON grants (guild_id, user_id);

CREATE TABLE quotas (
	guild_id      TEXT    NOT NULL,
	project_id    TEXT    NOT NULL,
	resource_type TEXT    NOT NULL,
	max_count     INTEGER NOT NULL,
	PRIMARY KEY (guild_id, project_id, resource_type),
	FOREIGN KEY (guild_id, project_id) REFERENCES projects (guild_id, id) ON DELETE CASCADE
);

CREATE TABLE sessions (
	id               TEXT    NOT NULL PRIMARY KEY,
	guild_id         TEXT    NOT NULL,
	channel_id       TEXT    NOT NULL DEFAULT '',
	lobby_message_id TEXT    NOT NULL DEFAULT '',
	token            TEXT    NOT NULL DEFAULT '',
	token_issued_at  BIGINT  NOT NULL DEFAULT 0,
	thread_id        TEXT    NOT NULL DEFAULT '',
	owner_id         TEXT    NOT NULL,
	project_id       TEXT    NOT NULL,
	provider         TEXT    NOT NULL,
	region           TEXT    NOT NULL DEFAULT '',
	kind             TEXT    NOT NULL,
	target_id        TEXT    NOT NULL DEFAULT '',
	state            TEXT    NOT NULL,
	resources        TEXT    NOT NULL DEFAULT '[]', -- JSON array of deploy.Resource
	plan             TEXT    NOT NULL DEFAULT '',   -- JSON deploy.Plan, '' when none
	error            TEXT    NOT NULL DEFAULT '',
	approvals        TEXT    NOT NULL DEFAULT '[]', -- JSON array of {user_id, at}
	destroyed        BOOLEAN NOT NULL DEFAULT FALSE,
	created_at       BIGINT  NOT NULL,
	updated_at       BIGINT  NOT NULL,
	last_activity_at BIGINT  NOT NULL,
	version          BIGINT  NOT NULL,
	FOREIGN KEY (guild_id, project_id) REFERENCES projects (guild_id, id)
);
CREATE INDEX sessions_owner ON sessions (guild_id, owner_id, created_at);
CREATE INDEX sessions_project ON sessions (guild_id, project_id, state);
CREATE INDEX sessions_created ON sessions (guild_id, created_at);
CREATE INDEX sessions_idle ON sessions (state, last_activity_at);
-- Only one destroy session per deployment may be open at a time.
CREATE UNIQUE INDEX sessions_open_destroy ON sessions (guild_id, target_id)
	WHERE kind = 'destroy' AND state IN ('DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPROVED', 'APPLYING');

CREATE TABLE runs (
	id               BIGSERIAL PRIMARY KEY,
	guild_id         TEXT    NOT NULL,
	session_id       TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	operation        TEXT    NOT NULL,
	instance         TEXT    NOT NULL,
	started_at       BIGINT  NOT NULL,
	lease_renewed_at BIGINT  NOT NULL,
	ended_at         BIGINT,
	outcome          TEXT    NOT NULL DEFAULT '',
	summary          TEXT    NOT NULL DEFAULT '',
	log_tail         TEXT    NOT NULL DEFAULT '',
	cancel_requested BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX runs_session ON runs (guild_id, session_id);
CREATE INDEX runs_live ON runs (lease_renewed_at) WHERE ended_at IS NULL;

CREATE TABLE artifacts (
	session_id TEXT   NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
	guild_id   TEXT   NOT NULL,
	plan_file  BYTEA  NOT NULL,
	lock_file  BYTEA  NOT NULL,
	saved_at   BIGINT NOT NULL
);

CREATE TABLE audit_events (
	id       BIGSERIAL PRIMARY KEY,
	guild_id TEXT   NOT NULL,
	actor    TEXT   NOT NULL,
	action   TEXT   NOT NULL,
	target   TEXT   NOT NULL DEFAULT '',
	detail   TEXT   NOT NULL DEFAULT '',
	at       BIGINT NOT NULL
);
CREATE INDEX audit_target ON audit_events (guild_id, target, at);
