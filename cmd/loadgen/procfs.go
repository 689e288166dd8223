package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat:
// 100 on every Linux architecture Go supports (reading sysconf needs cgo).
const clockTicks = 100

// statusKB reads a "kB" field of /proc/<pid>/status, e.g. VmHWM, the peak
// resident set size of that process alone (not of its children).
func statusKB(pid int, field string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// procStat returns the parent pid of pid, its CPU time (user + system) and
// that of the children it has waited for (for the engine: terraform).
func procStat(pid int) (ppid int, cpu, children time.Duration, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, 0, false
	}
	// The command name may hold spaces and parentheses; fields follow the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return 0, 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	tick := func(s string) time.Duration {
		n, _ := strconv.ParseInt(s, 10, 64)
		return time.Duration(n) * time.Second / clockTicks
	}
	return ppid, tick(f[11]) + tick(f[12]), tick(f[13]) + tick(f[14]), true
}

// selfCPU is the CPU time of this process: the load generator and the
// fake Discord it serves.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childWatch samples the processes the engines started (terraform) to
// report them apart from the engines: how many ran at once and how much
// memory they held together at the peak.
type childWatch struct {
	mu       sync.Mutex
	peakN    int
	peakRSS  int64 // kB, summed over the children of one sample
	stopOnce sync.Once
	stop     context.CancelFunc
	done     chan struct{}
}

func watchChildren(parents []int) *childWatch {
	ctx, cancel := context.WithCancel(context.Background())
	w := &childWatch{stop: cancel, done: make(chan struct{})}
	set := map[int]bool{}
	for _, p := range parents {
		set[p] = true
	}
	go func() {
		defer close(w.done)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			w.sample(set)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *childWatch) sample(parents map[int]bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	n, rss := 0, int64(0)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, _, _, ok := procStat(pid)
		if !ok || !parents[ppid] {
			continue
		}
		n++
		rss += statusKB(pid, "VmRSS")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.peakN, w.peakRSS = max(w.peakN, n), max(w.peakRSS, rss)
}

// end stops sampling and returns the peaks. A process shorter than the
// sampling interval may be missed: the figures are lower bounds.
func (w *childWatch) end() (peakN int, peakRSSKB int64) {
	w.stopOnce.Do(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peakN, w.peakRSS
}
