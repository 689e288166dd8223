-- Drift: what the last check of a deployment found, and when the next
-- scheduled check is due; a check is claimed by one replica at a time.
ALTER TABLE deployments ADD COLUMN drift TEXT NOT NULL DEFAULT '';            -- '', in_sync, drifted
ALTER TABLE deployments ADD COLUMN drift_addresses TEXT NOT NULL DEFAULT '';  -- ', '-separated, when drifted
ALTER TABLE deployments ADD COLUMN drift_checked_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deployments ADD COLUMN drift_due_at BIGINT NOT NULL DEFAULT 0;    -- 0: not scheduled yet
ALTER TABLE deployments ADD COLUMN drift_claim TEXT NOT NULL DEFAULT '';      -- the replica checking it
ALTER TABLE deployments ADD COLUMN drift_claim_until BIGINT NOT NULL DEFAULT 0;
CREATE INDEX deployments_drift_due ON deployments (status, drift_due_at);
