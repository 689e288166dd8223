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
	"net/http"
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
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measuring time per target")
	fs.IntVar(&o.conns, "conns", 32, "concurrent keep-alive connections")
	fs.BoolVar(&o.node, "node", true, "also measure the Node discord-interactions peer (needs node and npm)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the /cloud-projects phase to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.duration <= 0 || o.conns < 1 {
		return o, fmt.Errorf("-duration and -conns must be positive")
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
	r := report{Conns: o.conns, Duration: o.duration}
	// The Node peer first: its npm install must not eat into a measurement.
	if o.node {
		r.Node, r.NodeNote = measureNode(ctx, pub, priv, o)
	} else {
		r.NodeNote = "skipped (-node=false)"
	}
	if err := measureGo(ctx, pub, priv, o, &r); err != nil {
		return err
	}
	r.print(os.Stdout)
	return nil
}

func measureNode(ctx context.Context, pub ed25519.PublicKey, priv ed25519.PrivateKey, o options) (*result, string) {
	fmt.Fprintln(os.Stderr, "loadgen: installing discord-interactions@4 and express@5 with npm…")
	peer, err := startNode(ctx, pub)
	if err != nil {
		note := "skipped: " + err.Error()
		fmt.Fprintln(os.Stderr, "loadgen: Node peer", note)
		return nil, note
	}
	defer peer.Stop()
	fmt.Fprintln(os.Stderr, "loadgen: measuring the Node peer…")
	res := run(ctx, "PING, Node discord-interactions + express", peer.URL+"/interactions", signAll(priv, pings(4096)), o.conns, o.duration)
	return &res, peer.Version()
}

func measureGo(ctx context.Context, pub ed25519.PublicKey, priv ed25519.PrivateKey, o options, r *report) error {
	minimal := newMinimal(pub)
	defer minimal.Close()
	fmt.Fprintln(os.Stderr, "loadgen: measuring the minimal chi + ed25519 handler…")
	r.Minimal = run(ctx, "PING, minimal chi + ed25519", minimal.URL+"/interactions", signAll(priv, pings(4096)), o.conns, o.duration)

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
	fmt.Fprintln(os.Stderr, "loadgen: measuring cloud-engine PING…")
	r.Engine = run(ctx, "PING, cloud-engine", url, signAll(priv, pings(4096)), o.conns, o.duration)
	if err := seed(ctx, url, priv); err != nil {
		return err
	}
	stopProfile, err := startProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "loadgen: measuring cloud-engine /cloud-projects…")
	r.Command = run(ctx, "/cloud-projects, cloud-engine", url, signAll(priv, commands("cloud-projects", 8192, nil)), o.conns, o.duration)
	stopProfile()
	fmt.Fprintf(os.Stderr, "loadgen: the Discord sink received %d requests\n", discord.requests.Load())
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

func defaultClient() *http.Client { return &http.Client{Timeout: 10 * time.Second} }
