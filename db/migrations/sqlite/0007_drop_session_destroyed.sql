-- Whether a deployment was destroyed is its record's status (0002); the
-- session's own column has not been written since, so it goes rather than
-- mislead a reader of the table.
ALTER TABLE sessions DROP COLUMN destroyed;
