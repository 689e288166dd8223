package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// serverJS is Discord's documented Node setup: express with the official
// discord-interactions verifyKeyMiddleware, answering PONG.
const serverJS = `const express = require('express');
const { InteractionType, InteractionResponseType, verifyKeyMiddleware } = require('discord-interactions');
const app = express();
app.post('/interactions', verifyKeyMiddleware(process.env.PUBLIC_KEY), (req, res) => {
  if (req.body.type === InteractionType.PING) {
    return res.send({ type: InteractionResponseType.PONG });
  }
  return res.status(400).end();
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`

// nodePeer is the Node server, running.
type nodePeer struct {
	URL string
	cmd *exec.Cmd
	dir string
}

// startNode installs discord-interactions 4 and express 5 into a temp
// directory and starts the server on a free port. It reports why when node
// or npm is missing or the install fails.
func startNode(ctx context.Context, key ed25519.PublicKey) (*nodePeer, error) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%s is not installed", tool)
		}
	}
	dir, err := os.MkdirTemp("", "loadgen-node-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	p := &nodePeer{dir: dir}
	if err := p.install(ctx); err != nil {
		p.Stop()
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		p.Stop()
		return nil, err
	}
	p.cmd = exec.Command("node", "server.js")
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), "PUBLIC_KEY="+hex.EncodeToString(key), fmt.Sprintf("PORT=%d", port),
		"NODE_ENV=production", "NODE_NO_WARNINGS=1")
	if err := p.cmd.Start(); err != nil {
		p.Stop()
		return nil, fmt.Errorf("start node: %w", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := waitListening(ctx, addr, 15*time.Second); err != nil {
		p.Stop()
		return nil, err
	}
	p.URL = "http://" + addr
	return p, nil
}

func (p *nodePeer) install(ctx context.Context) error {
	if err := os.WriteFile(filepath.Join(p.dir, "server.js"), []byte(serverJS), 0o600); err != nil {
		return fmt.Errorf("write server.js: %w", err)
	}
	if err := os.WriteFile(filepath.Join(p.dir, "package.json"), []byte(`{"private":true}`), 0o600); err != nil {
		return fmt.Errorf("write package.json: %w", err)
	}
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
		"discord-interactions@4", "express@5")
	cmd.Dir = p.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm install: %w: %s", err, out)
	}
	return nil
}

// Version reports the installed package versions for the report.
func (p *nodePeer) Version() string {
	cmd := exec.Command("node", "-e",
		`console.log("node "+process.version+", discord-interactions "+require("discord-interactions/package.json").version+", express "+require("express/package.json").version)`)
	cmd.Dir = p.dir
	out, err := cmd.Output()
	if err != nil {
		return "unknown versions"
	}
	return string(trimNL(out))
}

// Stop kills the server this process started and removes its directory.
func (p *nodePeer) Stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
	_ = os.RemoveAll(p.dir)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitListening(ctx context.Context, addr string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			_ = c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("node server did not listen on " + addr + " within " + d.String())
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
