package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/playground"
)

// Playground defaults: the page is for this machine only, and text logs
// read better in a terminal.
const (
	playgroundListen  = "127.0.0.1:8080"
	playgroundMetrics = "127.0.0.1:0"
)

// runPlayground serves the real service wired to the built-in Discord
// stand-in, with its web page at / of LISTEN_ADDR.
func runPlayground(ctx context.Context, stdout, stderr io.Writer) error {
	c, log, err := loadPlayground(stderr)
	if err != nil {
		return err
	}
	pg, err := playground.New(ctx, playground.Options{Logger: log})
	if err != nil {
		return err
	}
	defer pg.Close()
	pg.Configure(c)
	m := &app.Main{Config: c, Logger: log, Version: version, Extra: pg.Routes}
	if err := m.Start(ctx); err != nil {
		_ = m.Close()
		return err
	}
	pg.Connect(m.Addr())
	if err := pg.Bootstrap(ctx); err != nil {
		_ = m.Close()
		return err
	}
	fmt.Fprintf(stdout, "\nCloud Engine playground: open http://%s/ in your browser (Ctrl-C stops it).\n\n", m.Addr())
	<-ctx.Done()
	log.Info("shutting down", "grace", c.ShutdownGrace)
	if err := m.Close(); err != nil {
		log.Error("shutdown incomplete", "err", err)
	}
	return nil
}

// loadPlayground reads the configuration like serve does, with the
// playground's defaults for the listeners and the log format.
func loadPlayground(stderr io.Writer) (*config.Config, *slog.Logger, error) {
	lookup, err := config.Lookup(".env")
	if err != nil {
		return nil, nil, err
	}
	c, err := config.Load(lookup, config.NeedPlayground)
	if err != nil {
		return nil, nil, err
	}
	if !isSet(lookup, "LISTEN_ADDR") {
		c.ListenAddr = playgroundListen
	}
	if !isSet(lookup, "METRICS_ADDR") {
		c.MetricsAddr = playgroundMetrics
	}
	if !isSet(lookup, "LOG_FORMAT") {
		c.LogFormat = "text"
	}
	return c, newLogger(c, stderr), nil
}

func isSet(lookup func(string) (string, bool), name string) bool {
	v, ok := lookup(name)
	return ok && strings.TrimSpace(v) != ""
}
