package app_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// closeBound is how long Close may take once nothing holds it back.
const closeBound = 5 * time.Second

// TestCloseWaitsForRequestsAndJobs holds a request and a background job
// open while Close runs: the listener stops taking connections at once,
// the request still gets its answer, the job runs to its end, and only
// then does Close return.
func TestCloseWaitsForRequestsAndJobs(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	inRequest, releaseRequest := make(chan struct{}), make(chan struct{})
	m := &app.Main{Config: testConfig(t, fake.URL(), pub), Extra: func(r chi.Router) {
		// A real route on the public listener (the playground's hook) that
		// answers only when the test says so.
		r.Get("/slow", func(w http.ResponseWriter, _ *http.Request) {
			close(inRequest)
			<-releaseRequest
			_, _ = io.WriteString(w, "finished")
		})
	}}
	startMain(t, m, &discordtest.LogBuffer{})
	base := "http://" + m.Addr()

	releaseJob := make(chan struct{})
	var jobEnded atomic.Bool
	if !m.Jobs.Go("held job", func(context.Context) { <-releaseJob; jobEnded.Store(true) }) {
		t.Fatal("the job was refused before shutdown")
	}
	answer := make(chan string, 1)
	go func() { answer <- get(base + "/slow") }()
	<-inRequest

	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()
	eventually(t, "the public listener to refuse new connections", closeBound, func() bool {
		c, err := net.DialTimeout("tcp", m.Addr(), 100*time.Millisecond)
		if err == nil {
			_ = c.Close()
		}
		return err != nil
	})
	notYet(t, closed, "a request was in flight")

	close(releaseRequest)
	if got := <-answer; got != "200 finished" {
		t.Errorf("in-flight request got %q, want 200 finished", got)
	}
	notYet(t, closed, "a background job was running")
	if m.Jobs.Go("late job", func(context.Context) {}) {
		t.Error("a job was started after shutdown began")
	}

	close(releaseJob)
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
		if !jobEnded.Load() {
			t.Error("Close returned before the job ended")
		}
	case <-time.After(closeBound):
		t.Fatalf("Close did not return within %s of the job ending", closeBound)
	}
}

// TestCloseInterruptsJobsAfterGrace: a job that outlives SHUTDOWN_GRACE
// sees its context cancelled (terraform is interrupted) and Close still
// returns within a bound.
func TestCloseInterruptsJobsAfterGrace(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	c := testConfig(t, fake.URL(), pub)
	c.ShutdownGrace = 300 * time.Millisecond
	m := &app.Main{Config: c}
	startMain(t, m, &discordtest.LogBuffer{})

	var cause atomic.Value
	started := make(chan struct{})
	m.Jobs.Go("long apply", func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		cause.Store(ctx.Err())
	})
	<-started
	begin := time.Now()
	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	took := time.Since(begin)
	if took < c.ShutdownGrace {
		t.Errorf("Close took %s: the job was interrupted before the grace of %s", took, c.ShutdownGrace)
	}
	if took > c.ShutdownGrace+closeBound {
		t.Errorf("Close took %s, more than grace + %s", took, closeBound)
	}
	if err, _ := cause.Load().(error); !errors.Is(err, context.Canceled) {
		t.Errorf("the job's context ended with %v, want context.Canceled", err)
	}
}

func get(url string) string {
	resp, err := http.Get(url)
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.Status[:3] + " " + string(b)
}

// notYet fails when closed has already delivered.
func notYet(t *testing.T, closed <-chan error, why string) {
	t.Helper()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while %s", err, why)
	case <-time.After(200 * time.Millisecond):
	}
}
