package db

import (
	"context"
	"fmt"
	"time"
)

// RememberInteraction records an interaction id and reports whether it is
// new. The primary key makes the check atomic across replicas: of two
// deliveries of one id, exactly one inserts the row.
func (db *DB) RememberInteraction(ctx context.Context, id string, at time.Time) (bool, error) {
	n, err := db.exec(ctx, `INSERT INTO seen_interactions (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
		id, toMillis(at))
	if err != nil {
		return false, fmt.Errorf("remember interaction %s: %w", id, err)
	}
	return n == 1, nil
}

// ForgetInteractions deletes the interaction ids seen before, of every
// guild, and returns how many went.
func (db *DB) ForgetInteractions(ctx context.Context, before time.Time) (int64, error) {
	n, err := db.exec(ctx, `DELETE FROM seen_interactions WHERE seen_at < ?`, toMillis(before))
	if err != nil {
		return 0, fmt.Errorf("forget interactions: %w", err)
	}
	return n, nil
}
