// Command loadgen measures the interactions endpoint under load: the real
// engine started in this process on SQLite, against a minimal chi +
// crypto/ed25519 handler and against Discord's official Node stack
// (discord-interactions with express), all with the same signed requests.
// `make bench` runs it.
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
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.duration <= 0 || o.conns < 1 || o.rounds < 1 {
		return o, fmt.Errorf("-duration, -conns and -rounds must be positive")
	}
	return o, nil
}

func runAll(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
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
