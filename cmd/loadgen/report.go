package main

import (
	"fmt"
	"io"
	"time"
)

// Targets of the interactions endpoint.
const (
	targetVsNode      = 3.0
	targetVsMinimal   = 0.80
	targetPingP99     = 5 * time.Millisecond
	targetCommandRPS  = 5000.0
	targetCommandP99  = 10 * time.Millisecond
	notMeasured       = "not measured"
	checkMet, checkNo = "met", "MISSED"
)

// Names of the measured targets.
const (
	nameEngine  = "PING, cloud-engine"
	nameMinimal = "PING, minimal chi + ed25519"
	nameNode    = "PING, Node discord-interactions + express"
	nameCommand = "/cloud-projects, cloud-engine"
)

// report is everything one run measured.
type report struct {
	Conns    int
	Duration time.Duration
	Rounds   int
	Engine   result
	Minimal  result
	Node     *result
	NodeNote string
	Command  result
}

// set files each result under its target.
func (r *report) set(results []result) {
	for _, x := range results {
		switch x.Name {
		case nameEngine:
			r.Engine = x
		case nameMinimal:
			r.Minimal = x
		case nameNode:
			n := x
			r.Node = &n
		case nameCommand:
			r.Command = x
		}
	}
}

func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "\nInteractions endpoint: %d keep-alive connections, %s per target in %d interleaved rounds\n\n",
		r.Conns, r.Duration, r.Rounds)
	fmt.Fprintf(w, "| target | requests/s | p50 | p99 | errors |\n|---|---:|---:|---:|---:|\n")
	rows := []result{r.Engine, r.Minimal}
	if r.Node != nil {
		rows = append(rows, *r.Node)
	}
	rows = append(rows, r.Command)
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %d |\n", x.Name, x.RPS(), ms(x.P50), ms(x.P99), x.Errors)
	}
	if r.NodeNote != "" {
		fmt.Fprintf(w, "\nNode peer: %s\n", r.NodeNote)
	}
	fmt.Fprintf(w, "\n| check | target | measured | |\n|---|---|---:|---|\n")
	nodeRatio, nodeOK := notMeasured, ""
	if r.Node != nil && r.Node.RPS() > 0 {
		x := r.Engine.RPS() / r.Node.RPS()
		nodeRatio, nodeOK = fmt.Sprintf("%.1f×", x), verdict(x >= targetVsNode)
	}
	vsMin := r.Engine.RPS() / max(r.Minimal.RPS(), 1)
	fmt.Fprintf(w, "| PING vs Node discord-interactions | ≥ %.0f× | %s | %s |\n", targetVsNode, nodeRatio, nodeOK)
	fmt.Fprintf(w, "| PING vs minimal chi + ed25519 | ≥ %.0f%% | %.0f%% | %s |\n", targetVsMinimal*100, vsMin*100, verdict(vsMin >= targetVsMinimal))
	fmt.Fprintf(w, "| PING p99 | < %s | %s | %s |\n", ms(targetPingP99), ms(r.Engine.P99), verdict(r.Engine.P99 < targetPingP99))
	fmt.Fprintf(w, "| /cloud-projects requests/s | ≥ %.0f | %.0f | %s |\n", targetCommandRPS, r.Command.RPS(), verdict(r.Command.RPS() >= targetCommandRPS))
	fmt.Fprintf(w, "| /cloud-projects p99 | < %s | %s | %s |\n", ms(targetCommandP99), ms(r.Command.P99), verdict(r.Command.P99 < targetCommandP99))
	for _, x := range rows {
		if x.FirstErr != "" {
			fmt.Fprintf(w, "\nfirst error of %s: %s\n", x.Name, x.FirstErr)
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return checkMet
	}
	return checkNo
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
