package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// signed is one request ready to send: body and Discord's headers.
type signed struct {
	body      []byte
	signature string
	timestamp string
}

// signAll signs every body now; a timestamp stays valid for five minutes,
// longer than any phase.
func signAll(key ed25519.PrivateKey, bodies [][]byte) []signed {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	out := make([]signed, len(bodies))
	for i, b := range bodies {
		sig := ed25519.Sign(key, append([]byte(ts), b...))
		out[i] = signed{body: b, signature: hex.EncodeToString(sig), timestamp: ts}
	}
	return out
}

// result is what one phase measured.
type result struct {
	Name     string
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
	FirstErr string
}

// RPS is successful requests per second.
func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// target is one endpoint and the signed requests it is sent.
type target struct {
	name string
	url  string
	pool []signed
	// refill, when set, makes a fresh pool for each phase of length d:
	// commands must not repeat, since the engine refuses a replayed
	// interaction id and the phase would measure the refusals.
	refill func(d time.Duration) []signed
}

// measure sends every target its requests from conns keep-alive
// connections for d in all, split into rounds that take the targets in
// turn, so that the load of a shared machine falls on all of them alike.
func measure(ctx context.Context, targets []target, conns int, d time.Duration, rounds int) []result {
	lat := make([][]time.Duration, len(targets))
	out := make([]result, len(targets))
	for i, tg := range targets {
		out[i].Name = tg.name
		run(ctx, tg, conns, min(time.Second, d/5)) // warm-up, not counted
	}
	for range rounds {
		for i, tg := range targets {
			r := run(ctx, tg, conns, d/time.Duration(rounds))
			lat[i] = append(lat[i], r.lat...)
			out[i].Requests += len(r.lat) + r.errs
			out[i].Errors += r.errs
			out[i].Elapsed += r.elapsed
			if out[i].FirstErr == "" {
				out[i].FirstErr = r.first
			}
		}
	}
	for i := range out {
		slices.Sort(lat[i])
		out[i].P50, out[i].P99 = percentile(lat[i], 0.50), percentile(lat[i], 0.99)
	}
	return out
}

// sample is one stretch of load on one target.
type sample struct {
	lat     []time.Duration
	errs    int
	first   string
	elapsed time.Duration
}

func run(ctx context.Context, tg target, conns int, d time.Duration) sample {
	pool := tg.pool
	if tg.refill != nil {
		pool = tg.refill(d)
	}
	reqs, host, err := serialize(tg.url, pool)
	if err != nil {
		return sample{errs: 1, first: err.Error()}
	}
	phase, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	lat, errs, first := hammer(phase, host, reqs, conns)
	return sample{lat: lat, errs: errs, first: first, elapsed: time.Since(start)}
}

// hammer runs conns workers, one connection each, until ctx ends and
// returns the latencies of the successful requests, the count of failed
// ones and the first failure.
func hammer(ctx context.Context, host string, pool []wire, conns int) ([]time.Duration, int, string) {
	var (
		next   atomic.Uint64
		mu     sync.Mutex
		all    []time.Duration
		errs   int
		first  string
		wg     sync.WaitGroup
		record = func(lat []time.Duration, e int, f string) {
			mu.Lock()
			defer mu.Unlock()
			all, errs = append(all, lat...), errs+e
			if first == "" {
				first = f
			}
		}
	)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &conn{addr: host}
			defer c.close()
			lat := make([]time.Duration, 0, 1<<14)
			e, f := 0, ""
			for ctx.Err() == nil {
				req := pool[next.Add(1)%uint64(len(pool))]
				begin := time.Now()
				if err := c.roundTrip(ctx, req); err != nil {
					if ctx.Err() == nil {
						e++
						if f == "" {
							f = err.Error()
						}
					}
					continue
				}
				lat = append(lat, time.Since(begin))
			}
			record(lat, e, f)
		}()
	}
	wg.Wait()
	return all, errs, first
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}
