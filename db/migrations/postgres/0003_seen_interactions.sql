-- Interaction ids already handled, so that a replayed request (the same
-- signed body again, within the timestamp window) is refused by whichever
-- replica receives it. Rows older than the window are pruned by the cleanup
-- loop. Interaction ids are Discord-wide snowflakes, hence no guild key.
CREATE TABLE seen_interactions (
	id      TEXT   NOT NULL PRIMARY KEY,
	seen_at BIGINT NOT NULL
);
CREATE INDEX seen_interactions_seen_at ON seen_interactions (seen_at);
