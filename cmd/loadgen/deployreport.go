package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Targets of the deployments scenario (issue 11).
const (
	targetPeakRSSBytes = 150e6
	// targetAnswerP99 is "well under Discord's 3 s": a third of it.
	targetAnswerP99 = time.Second
)

func printDeployments(w io.Writer, o deployOptions, results []phaseResult) {
	for _, r := range results {
		r.print(w, o)
	}
}

func (r phaseResult) print(w io.Writer, o deployOptions) {
	fmt.Fprintf(w, "\n%d sandbox deployments at once: %s (MAX_CONCURRENT_RUNS=%d per replica)\n\n", len(r.outcomes), r.spec.name, o.maxRuns)
	applied, complete := 0, 0
	var problems []string
	for i, oc := range r.outcomes {
		switch {
		case oc.err != nil:
			problems = append(problems, fmt.Sprintf("deployment %d (session %s): %v", i, oc.session, oc.err))
		case r.checks[i].problem != "":
			applied++
			problems = append(problems, fmt.Sprintf("deployment %d (session %s): %s", i, oc.session, r.checks[i].problem))
		default:
			applied++
			complete++
		}
	}
	n := len(r.outcomes)
	all := r.lat[""]
	peak := slices.Max(r.peakRSSKB)
	fmt.Fprintf(w, "| check | target | measured | |\n|---|---|---:|---|\n")
	fmt.Fprintf(w, "| sessions APPLIED | %d/%d | %d/%d (%d failed) | %s |\n", n, n, applied, n, n-applied, verdict(applied == n))
	fmt.Fprintf(w, "| threads complete: closing line, log attached, every log line streamed | %d/%d | %d/%d | %s |\n", n, n, complete, n, verdict(complete == n))
	fmt.Fprintf(w, "| peak RSS of the engine process (VmHWM; terraform apart) | ≤ %s | %s | %s |\n",
		mb(targetPeakRSSBytes), rssList(r.peakRSSKB), verdict(float64(peak)*1024 <= targetPeakRSSBytes))
	fmt.Fprintf(w, "| answer p99, all %d interactions | ≤ %s (Discord allows 3 s) | %s | %s |\n",
		len(all), secs(targetAnswerP99), secs(percentile(all, 0.99)), verdict(percentile(all, 0.99) <= targetAnswerP99))

	fmt.Fprintf(w, "\n| interaction | answers | p50 | p99 | max |\n|---|---:|---:|---:|---:|\n")
	for _, k := range []string{kindDeploy, kindSelect, kindSubmit, kindApprove, kindList, ""} {
		l, name := r.lat[k], k
		if k == "" {
			name = "all"
		}
		if len(l) == 0 {
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s |\n", name, len(l), secs(percentile(l, 0.5)), secs(percentile(l, 0.99)), secs(l[len(l)-1]))
	}
	r.printTimes(w)
	r.printSpread(w)
	for i, p := range problems {
		if i == 5 {
			fmt.Fprintf(w, "… and %d more\n", len(problems)-i)
			break
		}
		fmt.Fprintf(w, "problem: %s\n", oneLine(p))
	}
}

func (r phaseResult) printTimes(w io.Writer) {
	var planned, applied []time.Duration
	lines := 0
	for i, oc := range r.outcomes {
		if oc.planned > 0 {
			planned = append(planned, oc.planned)
		}
		if oc.applied > 0 {
			applied = append(applied, oc.applied)
		}
		lines += r.checks[i].logLines
	}
	slices.Sort(planned)
	slices.Sort(applied)
	fmt.Fprintf(w, "\nall %d done in %s; from /cloud-deploy to PLANNED p50 %s, max %s; to APPLIED p50 %s, max %s\n",
		len(r.outcomes), secs(r.wall), secs(percentile(planned, 0.5)), secs(last(planned)), secs(percentile(applied, 0.5)), secs(last(applied)))
	fmt.Fprintf(w, "apply log lines checked in the threads: %d; Discord requests: %d (%d refused as invalid by the fake)\n",
		lines, r.discordCalls, r.invalid)
	fmt.Fprintf(w, "CPU: engine%s %s, terraform %s, load generator + fake Discord %s, over %s on the machine's cores\n",
		plural(len(r.peakRSSKB)), secs(r.engineCPU), secs(r.terraformCPU), secs(r.selfCPU), secs(r.wall))
	fmt.Fprintf(w, "terraform processes at once (sampled every 200 ms): up to %d, %s RSS together\n", r.peakTF, mb(float64(r.peakTFRSSKB)*1024))
}

func (r phaseResult) printSpread(w io.Writer) {
	if len(r.perReplica) > 1 {
		fmt.Fprintf(w, "interactions answered per replica (round robin): %v\n", r.perReplica)
	}
	if len(r.runs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n| instance (runs table) | plan | apply |\n|---|---:|---:|\n")
	by := map[string]map[string]int{}
	var order []string
	for _, c := range r.runs {
		if by[c.Instance] == nil {
			by[c.Instance] = map[string]int{}
			order = append(order, c.Instance)
		}
		by[c.Instance][c.Operation] += c.Runs
	}
	for _, in := range order {
		fmt.Fprintf(w, "| %s | %d | %d |\n", in, by[in]["plan"], by[in]["apply"])
	}
}

func rssList(kb []int64) string {
	var s []string
	for _, k := range kb {
		s = append(s, mb(float64(k)*1024))
	}
	return strings.Join(s, ", ")
}

func mb(bytes float64) string { return fmt.Sprintf("%.0f MB", bytes/1e6) }

func secs(d time.Duration) string {
	if d < time.Second {
		return ms(d)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func last(l []time.Duration) time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[len(l)-1]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// oneLine folds terraform's multi-line errors into one short report line.
func oneLine(s string) string {
	var parts []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	s = strings.Join(parts, " / ")
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}
