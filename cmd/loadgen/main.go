// Command loadgen measures Cloud Engine under load; `make bench` runs both
// of its scenarios.
//
// -scenario endpoint (the default) measures the interactions endpoint: the
// real engine started in this process on SQLite, against a minimal chi +
// crypto/ed25519 handler and against Discord's official Node stack
// (discord-interactions with express), all with the same signed requests.
//
// -scenario deployments runs many whole sandbox deployments at once — lobby,
// modal, plan, approval, apply — on one engine with SQLite and then over
// several replicas on one PostgreSQL, each engine a child process, against
// the recording fake Discord.
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := runAll(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type options struct {
	scenario   string
	deploy     deployOptions
	duration   time.Duration
	conns      int
	node       bool
	cpuProfile string
	rounds     int
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measuring time per target")
	fs.IntVar(&o.conns, "conns", 32, "concurrent keep-alive connections")
	fs.BoolVar(&o.node, "node", true, "also measure the Node discord-interactions peer (needs node and npm)")
	fs.IntVar(&o.rounds, "rounds", 5, "rounds that take the targets in turn (evens out a shared machine's load)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the measurement to this file")
	fs.StringVar(&o.scenario, "scenario", scenarioEndpoint, "what to measure: "+scenarioEndpoint+" or "+scenarioDeployments)
	fs.IntVar(&o.deploy.deployments, "deployments", 50, "deployments: how many run at once")
	fs.IntVar(&o.deploy.maxRuns, "max-runs", 50, "deployments: MAX_CONCURRENT_RUNS of each replica")
	fs.IntVar(&o.deploy.replicas, "replicas", 3, "deployments: replicas of the PostgreSQL phase")
	fs.IntVar(&o.deploy.projects, "projects", 1, "deployments: how many sandbox projects they are spread over")
	fs.StringVar(&o.deploy.databaseURL, "database-url", os.Getenv("TEST_DATABASE_URL"),
		"deployments: PostgreSQL server of the replicas phase (default $TEST_DATABASE_URL; none skips the phase)")
	fs.DurationVar(&o.deploy.timeout, "deploy-timeout", 15*time.Minute, "deployments: the most a phase may take")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.scenario != scenarioEndpoint && o.scenario != scenarioDeployments:
		return o, fmt.Errorf("-scenario %q: want %s or %s", o.scenario, scenarioEndpoint, scenarioDeployments)
	case o.deploy.deployments < 1 || o.deploy.maxRuns < 1 || o.deploy.replicas < 1 || o.deploy.projects < 1 || o.deploy.timeout <= 0:
		return o, fmt.Errorf("-deployments, -max-runs, -replicas, -projects and -deploy-timeout must be positive")
	}
	if o.duration <= 0 || o.conns < 1 || o.rounds < 1 {
		return o, fmt.Errorf("-duration, -conns and -rounds must be positive")
	}
	return o, nil
}

// Scenarios.
const (
	scenarioEndpoint    = "endpoint"
	scenarioDeployments = "deployments"
)

func runAll(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	if o.scenario == scenarioDeployments {
		return runDeployments(ctx, o.deploy)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	r := report{Conns: o.conns, Duration: o.duration, Rounds: o.rounds}
	var targets []target
	if o.node {
		fmt.Fprintln(os.Stderr, "loadgen: installing discord-interactions@4 and express@5 with npm…")
		peer, err := startNode(ctx, pub)
		if err != nil {
			r.NodeNote = "skipped: " + err.Error()
			fmt.Fprintln(os.Stderr, "loadgen: Node peer", r.NodeNote)
		} else {
			defer peer.Stop()
			r.NodeNote = peer.Version()
			targets = append(targets, target{name: nameNode, url: peer.URL + "/interactions", pool: signAll(priv, pings(4096))})
		}
	} else {
		r.NodeNote = "skipped (-node=false)"
	}
	minimal := newMinimal(pub)
	defer minimal.Close()
	targets = append(targets, target{name: nameMinimal, url: minimal.URL + "/interactions", pool: signAll(priv, pings(4096))})
	dataDir, err := os.MkdirTemp("", "loadgen-data-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dataDir)
	discord := newSink()
	defer discord.Close()
	m, err := startService(ctx, pub, discord.URL(), dataDir)
	if err != nil {
		return err
	}
	defer m.Close()
	url := "http://" + m.Addr() + "/interactions"
	ids := &snowflakes{}
	if err := seed(ctx, url, priv, ids); err != nil {
		return err
	}
	targets = append(targets,
		target{name: nameEngine, url: url, pool: signAll(priv, pings(4096))},
		target{name: nameCommand, url: url, refill: func(d time.Duration) []signed {
			// Enough for 20,000 requests a second, several times what it serves.
			return signAll(priv, commands(ids, "cloud-projects", max(8192, int(d.Seconds()*20000)), nil))
		}})
	stopProfile, err := startProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loadgen: measuring %d targets, %s each in %d rounds…\n", len(targets), o.duration, o.rounds)
	r.set(measure(ctx, targets, o.conns, o.duration, o.rounds))
	stopProfile()
	fmt.Fprintf(os.Stderr, "loadgen: the Discord sink received %d requests\n", discord.requests.Load())
	r.print(os.Stdout)
	return nil
}

func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
