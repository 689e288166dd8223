package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// fakeRateLimit is the fake Discord's requests per bucket per 2 s window:
// high enough never to throttle, so that the scenario measures the engine
// and not Discord's limits (e2e's rate-limit tests cover 429s).
const fakeRateLimit = 100000

// probeEvery paces the /cloud-list probe that measures answers while the
// deployments run (each deployment clicks only a few times, mostly early).
const probeEvery = 100 * time.Millisecond

// deployOptions configures the deployments scenario.
type deployOptions struct {
	deployments int
	maxRuns     int
	replicas    int
	projects    int    // the deployments are spread over this many projects
	databaseURL string // PostgreSQL server for the replicas phase; "" skips it
	timeout     time.Duration
}

// phaseSpec is one run of the scenario: how many replicas on which database.
type phaseSpec struct {
	name        string
	replicas    int
	databaseURL string // "" = SQLite in the first replica's data directory
}

// phaseResult is what one phase measured.
type phaseResult struct {
	spec         phaseSpec
	wall         time.Duration
	outcomes     []outcome
	checks       []threadCheck
	peakRSSKB    []int64 // VmHWM of each replica
	engineCPU    time.Duration
	terraformCPU time.Duration
	selfCPU      time.Duration
	peakTF       int
	peakTFRSSKB  int64
	lat          map[string][]time.Duration
	perReplica   []int
	runs         []runCount
	invalid      int64
	discordCalls int
}

// runDeployments runs the deployments scenario: the phase on one engine
// with SQLite, then the phase over several replicas on PostgreSQL.
func runDeployments(ctx context.Context, o deployOptions) error {
	tfPath := os.Getenv("TERRAFORM_PATH")
	if tfPath == "" {
		tfPath = "terraform"
	}
	dir, err := os.MkdirTemp("", "loadgen-deploy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(os.Stderr, "loadgen: building cloud-engine…")
	bin, err := buildEngine(ctx, dir)
	if err != nil {
		return err
	}
	phases := []phaseSpec{{name: "one engine, SQLite", replicas: 1}}
	if o.databaseURL != "" {
		phases = append(phases, phaseSpec{name: strconv.Itoa(o.replicas) + " replicas, one PostgreSQL", replicas: o.replicas, databaseURL: o.databaseURL})
	} else {
		fmt.Fprintln(os.Stderr, "loadgen: no -database-url or TEST_DATABASE_URL: the replicas phase is skipped (make bench provides one)")
	}
	var results []phaseResult
	failed := 0
	for i, ps := range phases {
		fmt.Fprintf(os.Stderr, "loadgen: %d deployments at once on %s…\n", o.deployments, ps.name)
		began := time.Now()
		r, err := runPhase(ctx, o, ps, bin, tfPath, filepath.Join(dir, "phase"+strconv.Itoa(i)))
		if err != nil {
			return fmt.Errorf("%s: %w", ps.name, err)
		}
		fmt.Fprintf(os.Stderr, "loadgen: %s took %s with the engines' start and stop\n", ps.name, time.Since(began).Round(time.Millisecond))
		results = append(results, r)
		failed += r.failures()
	}
	printDeployments(os.Stdout, o, results)
	if failed > 0 {
		// A benchmark reports what it measured, misses included (as the
		// endpoint scenario does); the end-to-end tests are what fail.
		fmt.Fprintf(os.Stderr, "loadgen: %d deployments failed or lost output; the report lists the first\n", failed)
	}
	return nil
}

func runPhase(ctx context.Context, o deployOptions, ps phaseSpec, bin, tfPath, dir string) (phaseResult, error) {
	r := phaseResult{spec: ps}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return r, err
	}
	var invalid atomic.Int64
	fake, err := discordtest.New(discordtest.Options{ApplicationID: appID, BotToken: "loadgen-bot-token",
		RateLimit: fakeRateLimit, OnInvalid: func(err error) {
			if invalid.Add(1) == 1 {
				fmt.Fprintln(os.Stderr, "loadgen: the fake Discord refused a request:", err)
			}
		}})
	if err != nil {
		return r, err
	}
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	fake.SetURL(srv.URL + "/api/v10")

	dbURL := ps.databaseURL
	if dbURL != "" {
		var drop func()
		if dbURL, drop, err = pgSchema(ctx, dbURL); err != nil {
			return r, err
		}
		defer drop()
	}
	engines, err := startReplicas(ctx, engineSpec{bin: bin, terraform: tfPath, discordURL: fake.URL(),
		databaseURL: dbURL, key: pub, maxRuns: o.maxRuns}, ps.replicas, dir)
	defer func() {
		for _, e := range engines {
			e.stop()
		}
	}()
	if err != nil {
		return r, err
	}
	store, err := db.Open(ctx, dbURL, filepath.Join(dir, "r0", "data"), slog.New(slog.DiscardHandler))
	if err != nil {
		return r, err
	}
	defer store.Close()
	var urls []string
	for _, e := range engines {
		urls = append(urls, e.url+"/interactions")
	}
	d := newDriver(priv, fake, urls)
	for i := range o.projects {
		if err := createProject(ctx, d, projectName(i)); err != nil {
			return r, err
		}
	}
	r.measure(ctx, o, d, store, engines)
	if r.runs, err = countRuns(ctx, dbURL, filepath.Join(dir, "r0", "data")); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen: counting runs:", err)
	}
	r.invalid, r.discordCalls = invalid.Load(), len(fake.Requests())
	return r, nil
}

// measure runs the deployments at once with the probe beside them, then
// reads what the engines and Discord show.
func (r *phaseResult) measure(ctx context.Context, o deployOptions, d *driver, store *db.DB, engines []*engineProc) {
	var pids []int
	for _, e := range engines {
		pids = append(pids, e.pid())
	}
	watch := watchChildren(pids)
	self0 := selfCPU()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	stopProbe := probe(ctx, d)
	begin := time.Now()
	r.outcomes = make([]outcome, o.deployments)
	var wg sync.WaitGroup
	for i := range o.deployments {
		wg.Go(func() {
			user := strconv.FormatUint(4400000000000100000+uint64(i), 10)
			r.outcomes[i] = deployment(ctx, d, store, projectName(i%o.projects), user, fmt.Sprintf("vm-%02d", i))
		})
	}
	wg.Wait()
	r.wall = time.Since(begin)
	stopProbe()
	r.checks = make([]threadCheck, len(r.outcomes))
	for i, oc := range r.outcomes {
		if oc.err == nil {
			r.checks[i] = settledThread(ctx, d.fake, oc.lobby)
		}
	}
	r.peakTF, r.peakTFRSSKB = watch.end()
	r.selfCPU = selfCPU() - self0
	for _, e := range engines {
		r.peakRSSKB = append(r.peakRSSKB, statusKB(e.pid(), "VmHWM"))
		_, cpu, children, _ := procStat(e.pid())
		r.engineCPU += cpu
		r.terraformCPU += children
	}
	r.lat, r.perReplica = map[string][]time.Duration{}, d.perReplica()
	for _, k := range []string{kindDeploy, kindSelect, kindSubmit, kindApprove, kindList, ""} {
		r.lat[k] = d.latencies(k)
	}
}

// settledThread checks a thread, giving the closing message a few seconds
// to follow the lobby's final edit.
func settledThread(ctx context.Context, fake *discordtest.Fake, lobbyID string) threadCheck {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c := checkThread(fake, lobbyID)
		if c.problem == "" || time.Now().After(deadline) || ctx.Err() != nil {
			return c
		}
		time.Sleep(pollEvery)
	}
}

// probe sends /cloud-list every probeEvery until stopped: a command that
// reads the database on the request path, to time answers all along the
// deployments and not only at their few clicks.
func probe(ctx context.Context, d *driver) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(probeEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := d.command(ctx, kindList, adminID, "cloud-list"); err != nil && ctx.Err() == nil {
					fmt.Fprintln(os.Stderr, "loadgen: probe:", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

func startReplicas(ctx context.Context, s engineSpec, n int, dir string) ([]*engineProc, error) {
	var out []*engineProc
	for i := range n {
		s.dir = filepath.Join(dir, "r"+strconv.Itoa(i))
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return out, err
		}
		e, err := startEngine(ctx, s)
		if err != nil {
			return out, fmt.Errorf("replica %d: %w", i+1, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func projectName(i int) string { return fmt.Sprintf("load-%02d", i) }

// createProject creates a sandbox project the deployments go into.
func createProject(ctx context.Context, d *driver, id string) error {
	a, err := d.command(ctx, kindSetup, adminID, "cloud-create-project",
		"project_id", id, "provider", "sandbox", "description", "load benchmark")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(a.str("content"), "Project "+id+" created") {
		return fmt.Errorf("create project %s: %s", id, a.raw)
	}
	return nil
}

// failures counts deployments that did not end APPLIED with their whole
// output in the thread.
func (r phaseResult) failures() int {
	n := 0
	for i, o := range r.outcomes {
		if o.err != nil || r.checks[i].problem != "" {
			n++
		}
	}
	return n
}
