// Package app assembles the service: configuration in, every adapter
// built once, listeners started, and a graceful stop. The binary and the
// end-to-end tests run the very same Main.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/disgoorg/snowflake/v2"
	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/cloudengine/cloud-engine/api"
	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/deploy"
	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/handlers"
	"github.com/cloudengine/cloud-engine/tf"
)

// Main is one running service.
type Main struct {
	Config  *config.Config
	Logger  *slog.Logger
	Version string
	Env     []string // the environment terraform's credentials come from
	// Extra mounts more routes on the public listener (the playground).
	Extra func(r chi.Router)
	// DiscordBucketCleanup is how often the Discord client's rate limiter
	// drops expired buckets; 0 keeps its default (10 s).
	DiscordBucketCleanup time.Duration

	Registry *prometheus.Registry
	DB       *db.DB
	Discord  *discordhttp.Client
	Engine   *tf.Engine
	Service  *deploy.Service
	Jobs     *deploy.Jobs

	public, metrics  *http.Server
	publicLn, metrLn net.Listener
	stopLoops        context.CancelFunc
	loops            sync.WaitGroup
}

// Start opens the database (migrating it), builds the adapters and the
// service, and starts both listeners and the background loops.
func (m *Main) Start(ctx context.Context) error {
	c := m.Config
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	if m.Env == nil {
		m.Env = os.Environ()
	}
	m.Registry = prometheus.NewRegistry()
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	if m.DB, err = db.Open(ctx, c.DatabaseURL, c.DataDir, m.Logger); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	if err = m.DB.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	if err = m.build(ctx); err != nil {
		return err
	}
	return m.listen()
}

func (m *Main) build(ctx context.Context) error {
	c := m.Config
	appID, err := snowflake.Parse(c.ApplicationID)
	if err != nil {
		return fmt.Errorf("DISCORD_APPLICATION_ID: %w", err)
	}
	m.Discord, err = discordhttp.New(discordhttp.Config{BaseURL: c.DiscordAPIURL, ApplicationID: appID,
		BotToken: c.BotToken, Version: m.Version, Logger: m.Logger, Registerer: m.Registry,
		BucketCleanup: m.DiscordBucketCleanup})
	if err != nil {
		return fmt.Errorf("discord client: %w", err)
	}
	m.Engine, err = tf.New(tf.Config{Path: c.TerraformPath, DataDir: c.DataDir, DatabaseURL: c.DatabaseURL,
		MaxConcurrent: c.MaxConcurrentRuns, InterruptGrace: c.InterruptGrace, Env: m.Env, Logger: m.Logger, Registerer: m.Registry})
	if err != nil {
		return fmt.Errorf("terraform engine: %w", err)
	}
	if err := m.Engine.Check(); err != nil {
		m.Logger.Warn("terraform is not usable; plans will fail until it is", "err", err)
	}
	m.Jobs = deploy.NewJobs(ctx, m.Logger)
	rep := handlers.NewReporter(m.Discord, m.Logger, nil)
	m.Service = deploy.New(deploy.Config{SessionTTL: c.SessionTTL, PlanTimeout: c.PlanTimeout,
		ApplyTimeout: c.ApplyTimeout, AdminUserIDs: c.AdminUserIDs, AdminRoleIDs: c.AdminRoleIDs,
		Instance: instanceID(), LeaseInterval: c.LeaseInterval, LeaseTimeout: c.LeaseTimeout,
		AllowedGuildIDs: c.AllowedGuildIDs, AllowedAccounts: c.AllowedAccounts, DriftInterval: c.DriftInterval},
		m.DB, m.Engine, rep, m.Jobs, m.Logger, nil)
	if len(c.AllowedGuildIDs) == 0 {
		m.Logger.Warn("ALLOWED_GUILD_IDS is empty: every server that adds the bot may use the engine's cloud credentials")
	}
	m.Registry.MustRegister(api.NewSessionsCollector(m.DB.CountByState, m.Logger))
	m.Registry.MustRegister(api.NewDeploymentsCollector(m.DB.CountDeployments, m.Logger))
	h := handlers.New(m.Service, m.Jobs, m.Discord, m.Logger, handlers.NewMetrics(m.Registry), nil)
	m.public = boundedServer(api.NewRouter(api.Options{PublicKey: c.PublicKey, Interactions: h,
		Ready: m.Service.Ready, Logger: m.Logger, Extra: m.Extra}))
	m.metrics = boundedServer(api.NewMetricsRouter(m.Registry))
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.stopLoops = cancel
	m.loops.Add(2)
	go func() { defer m.loops.Done(); m.Service.Loop(loopCtx, c.CleanupInterval) }()
	go func() { defer m.loops.Done(); m.Service.DriftLoop(loopCtx) }()
	return nil
}

func (m *Main) listen() error {
	var err error
	if m.publicLn, err = net.Listen("tcp", m.Config.ListenAddr); err != nil {
		return fmt.Errorf("LISTEN_ADDR %s: %w", m.Config.ListenAddr, err)
	}
	if m.metrLn, err = net.Listen("tcp", m.Config.MetricsAddr); err != nil {
		return fmt.Errorf("METRICS_ADDR %s: %w", m.Config.MetricsAddr, err)
	}
	for _, s := range []struct {
		srv *http.Server
		ln  net.Listener
	}{{m.public, m.publicLn}, {m.metrics, m.metrLn}} {
		go func() {
			if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				m.Logger.Error("listener stopped", "addr", s.ln.Addr().String(), "err", err)
			}
		}()
	}
	m.Logger.Info("cloud engine started", "listen", m.Addr(), "metrics", m.MetricsAddr(),
		"database", m.DB.Dialect(), "version", m.Version)
	return nil
}

// Addr is the public listener's address (useful with ":0").
func (m *Main) Addr() string { return m.publicLn.Addr().String() }

// MetricsAddr is the metrics listener's address.
func (m *Main) MetricsAddr() string { return m.metrLn.Addr().String() }

// Close stops accepting, finishes in-flight requests, waits up to
// SHUTDOWN_GRACE for running jobs (then interrupts them), and closes the
// database.
// reportMargin is the time, past terraform's interrupt grace, for an
// interrupted run to record its outcome and tell Discord (the chart's
// terminationGraceMarginSeconds covers it).
const reportMargin = 30 * time.Second

// interruptGrace is INTERRUPT_GRACE as the terraform engine applies it.
func interruptGrace(c *config.Config) time.Duration {
	if c.InterruptGrace > 0 {
		return c.InterruptGrace
	}
	return tf.DefaultInterruptGrace
}

func (m *Main) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	if m.public != nil {
		errs = append(errs, m.public.Shutdown(ctx))
	}
	if m.stopLoops != nil {
		m.stopLoops()
		m.loops.Wait()
	}
	if m.Jobs != nil && !m.Jobs.Drain(m.Config.ShutdownGrace, interruptGrace(m.Config)+reportMargin) {
		errs = append(errs, errors.New("some background jobs did not end in time"))
	}
	if m.metrics != nil {
		errs = append(errs, m.metrics.Shutdown(ctx))
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	return errors.Join(errs...)
}

// instanceID names this process for run leases.
func instanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}
