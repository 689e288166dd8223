package db

import (
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// TestDatabaseGoesAway cuts the store off its database: calls fail with
// internal errors (never a panic, never a misleading "not found" or
// "conflict"), and the same store works again once the database is back.
func TestDatabaseGoesAway(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			var (
				db           *DB
				cut, restore func()
			)
			if d == DialectSQLite {
				db, cut, restore = sqliteOutage(t)
			} else {
				db, cut, restore = postgresOutage(t)
			}
			ctx := context.Background()
			mustProject(t, db, "g1", "dev")
			s := mustSession(t, db, newSession("g1", "dev", "u1", "outage01"))

			cut()
			calls := map[string]func(ctx context.Context) error{
				"Ping":       db.Ping,
				"GetSession": func(ctx context.Context) error { _, err := db.GetSession(ctx, "g1", s.ID); return err },
				"SaveSession": func(ctx context.Context) error {
					c := *s
					c.State = deploy.StatePlanning
					return db.SaveSession(ctx, &c, deploy.StateDraft)
				},
				"ListSessions": func(ctx context.Context) error {
					_, _, err := db.ListSessions(ctx, deploy.SessionFilter{GuildID: "g1"})
					return err
				},
				"CountByState": func(ctx context.Context) error { _, err := db.CountByState(ctx); return err },
			}
			for name, call := range calls {
				ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				err := call(ctx)
				cancel()
				if deploy.ErrorCode(err) != deploy.EINTERNAL {
					t.Errorf("%s while the database is away: %v (code %q), want an internal error", name, err, deploy.ErrorCode(err))
				}
			}

			restore()
			deadline := time.Now().Add(15 * time.Second)
			var err error
			for time.Now().Before(deadline) {
				if _, err = db.GetSession(ctx, "g1", s.ID); err == nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err != nil {
				t.Fatalf("store did not recover: %v", err)
			}
			moveTo(t, db, s, deploy.StatePlanning)
		})
	}
}

// sqliteOutage moves the data directory away and back. Connections are not
// kept idle, so that every call has to reopen the file.
func sqliteOutage(t *testing.T) (*DB, func(), func()) {
	parent := t.TempDir()
	dir, away := parent+"/data", parent+"/away"
	db := openMigrated(t, "", dir)
	db.x.SetMaxIdleConns(0)
	move := func(from, to string) func() {
		return func() {
			if err := os.Rename(from, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db, move(dir, away), move(away, dir)
}

// postgresOutage puts a TCP proxy between the store and PostgreSQL and
// cuts it: the listener and every open connection close.
func postgresOutage(t *testing.T) (*DB, func(), func()) {
	raw := newPostgresURL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{t: t, target: u.Host, conns: map[net.Conn]struct{}{}}
	p.listen("127.0.0.1:0")
	t.Cleanup(p.cut)
	u.Host = p.addr
	db := openMigrated(t, u.String(), "")
	return db, p.cut, func() { p.listen(p.addr) }
}

type tcpProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
}

func (p *tcpProxy) listen(addr string) {
	var (
		ln  net.Listener
		err error
	)
	// The port was just released; give the kernel a moment if it still holds it.
	for range 50 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("proxy listen %s: %v", addr, err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go p.accept(ln)
}

func (p *tcpProxy) accept(ln net.Listener) {
	for {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		p.mu.Lock()
		p.conns[client], p.conns[server] = struct{}{}, struct{}{}
		p.mu.Unlock()
		go pipe(client, server)
		go pipe(server, client)
	}
}

func pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}
