-- A cancel is recorded on the session as well as on its running run, so
-- that a run recorded after the cancel arrived (between APPLYING and the
-- record of its run) still sees it.
ALTER TABLE sessions ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
