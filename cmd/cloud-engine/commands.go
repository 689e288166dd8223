package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/disgoorg/snowflake/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/handlers"
	"github.com/cloudengine/cloud-engine/tf"
)

// load reads the configuration once and builds the logger it asks for.
func load(need config.Need, stderr io.Writer) (*config.Config, *slog.Logger, error) {
	lookup, err := config.Lookup(".env")
	if err != nil {
		return nil, nil, err
	}
	c, err := config.Load(lookup, need)
	if err != nil {
		return nil, nil, err
	}
	return c, newLogger(c, stderr), nil
}

func newLogger(c *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel)) // validated by config.Load
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func serve(ctx context.Context, stderr io.Writer) error {
	c, log, err := load(config.NeedServe, stderr)
	if err != nil {
		return err
	}
	m := &app.Main{Config: c, Logger: log, Version: version}
	if err := m.Start(ctx); err != nil {
		_ = m.Close()
		return err
	}
	<-ctx.Done()
	log.Info("shutting down", "grace", c.ShutdownGrace)
	if err := m.Close(); err != nil {
		log.Error("shutdown incomplete", "err", err)
	}
	log.Info("stopped")
	return nil
}

func migrate(ctx context.Context, stdout, stderr io.Writer) error {
	c, log, err := load(config.NeedDatabase, stderr)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, c.DatabaseURL, c.DataDir, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrations applied (%s)\n", d.Dialect())
	return nil
}

func registerCommands(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("register-commands", flag.ContinueOnError)
	fs.SetOutput(stderr)
	guild := fs.String("guild", "", "register in this guild only (instant; for development)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, log, err := load(config.NeedBot, stderr)
	if err != nil {
		return err
	}
	var guildID snowflake.ID
	if *guild != "" {
		if guildID, err = snowflake.Parse(*guild); err != nil {
			return fmt.Errorf("--guild %q is not a Discord id", *guild)
		}
	}
	appID, _ := snowflake.Parse(c.ApplicationID) // validated by config.Load
	client, err := discordhttp.New(discordhttp.Config{BaseURL: c.DiscordAPIURL, ApplicationID: appID,
		BotToken: c.BotToken, Version: version, Logger: log, Registerer: prometheus.NewRegistry()})
	if err != nil {
		return err
	}
	cmds, err := client.BulkOverwriteCommands(ctx, guildID, handlers.Commands(tf.NewCatalog().ResourceTypes()))
	if err != nil {
		return fmt.Errorf("register commands: %w", err)
	}
	where := "globally"
	if *guild != "" {
		where = "in guild " + *guild
	}
	fmt.Fprintf(stdout, "registered %d commands %s\n", len(cmds), where)
	return nil
}
