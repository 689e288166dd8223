package db

import (
	"context"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jmoiron/sqlx"
)

// lockClassQuota is the two-key advisory lock class of project quota
// checks, apart from the migrator's (lockClassEngine) and from the one-key
// locks of terraform's pg backend.
const lockClassQuota = 0x436c5147 // "ClQG"

// projectUnlockTimeout bounds the unlock of a project, which runs even when
// the caller's context has ended.
const projectUnlockTimeout = 5 * time.Second

// LockProject holds a project's quota lock until unlock is called, so that
// checking a quota and adding a resource are one step across replicas. On
// PostgreSQL it is a session advisory lock on a connection of its own; on
// SQLite (one replica) a mutex.
func (db *DB) LockProject(ctx context.Context, guildID, projectID string) (unlock func(), err error) {
	key := guildID + "/" + projectID
	if db.dialect != DialectPostgres {
		// A one-slot channel is a mutex whose wait the context can end.
		m, _ := db.projectLocks.LoadOrStore(key, make(chan struct{}, 1))
		slot := m.(chan struct{})
		select {
		case slot <- struct{}{}:
			return func() { <-slot }, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("lock project %s: %w", projectID, ctx.Err())
		}
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	object := int32(h.Sum32())
	conn, err := db.tryProjectLock(ctx, projectID, object)
	if err != nil {
		return nil, err
	}
	return func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), projectUnlockTimeout)
		defer cancel()
		if _, err := conn.ExecContext(uctx, `SELECT pg_advisory_unlock($1, $2)`, lockClassQuota, object); err != nil {
			// A session lock lives as long as its connection: discard it
			// rather than return it to the pool still locked.
			db.logger.Warn("project lock not released; discarding its connection", "project", projectID, "err", err)
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		_ = conn.Close()
	}, nil
}

// projectLockRetry is how often a waiting quota check tries the lock again.
const projectLockRetry = 10 * time.Millisecond

// tryProjectLock takes the advisory lock without waiting inside the
// database: a waiter holding a pooled connection could starve the holder
// of the connections it needs to finish.
func (db *DB) tryProjectLock(ctx context.Context, projectID string, object int32) (*sqlx.Conn, error) {
	for {
		conn, err := db.x.Connx(ctx)
		if err != nil {
			return nil, fmt.Errorf("lock project %s: %w", projectID, err)
		}
		var got bool
		if err := conn.GetContext(ctx, &got, `SELECT pg_try_advisory_lock($1, $2)`, lockClassQuota, object); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("lock project %s: %w", projectID, err)
		}
		if got {
			return conn, nil
		}
		_ = conn.Close()
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock project %s: %w", projectID, ctx.Err())
		case <-time.After(projectLockRetry):
		}
	}
}
