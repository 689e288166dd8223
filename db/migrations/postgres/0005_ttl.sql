-- Time to live: a project's default and longest (with the text the admin
-- wrote, which refusals quote), what a deploy session asked for, and each
-- deployment's expiry with what the engine did about it.

ALTER TABLE projects ADD COLUMN ttl_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN ttl_text TEXT NOT NULL DEFAULT '';

ALTER TABLE sessions ADD COLUMN ttl_ms BIGINT NOT NULL DEFAULT 0;

ALTER TABLE deployments ADD COLUMN ttl_ms BIGINT NOT NULL DEFAULT 0;        -- 0: never expires
ALTER TABLE deployments ADD COLUMN expires_at BIGINT;                       -- NULL until the first successful apply
ALTER TABLE deployments ADD COLUMN reminded_for BIGINT;                     -- the expiry whose reminder was posted
ALTER TABLE deployments ADD COLUMN expiry_session TEXT NOT NULL DEFAULT ''; -- the destroy session the expiry opened
ALTER TABLE deployments ADD COLUMN expiry_claimed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deployments ADD COLUMN expiry_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deployments ADD COLUMN expiry_version BIGINT NOT NULL DEFAULT 0;  -- bumped by every change of the expiry

CREATE INDEX deployments_expiry ON deployments (status, expires_at);
