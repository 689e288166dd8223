package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// driftInterval is DRIFT_INTERVAL in these tests.
const driftInterval = 2 * time.Second

// TestDriftCheckAnnounceReconcile: a resource removed from a deployment's
// state behind Cloud Engine's back is named by /cloud-drift, announced once
// in the lobby's channel with Reconcile, set back by the update Reconcile
// opens, and the next check says in sync; drifting again announces again.
func TestDriftCheckAnnounceReconcile(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			pg := ""
			h := start(t, options{configure: func(c *config.Config) {
				c.DriftInterval = driftInterval
				if store == "postgres" {
					onPostgres(t)(c)
					pg = c.DatabaseURL
				}
			}})
			h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "read"})
			l := h.plannedLobby(alice, "dev", "web", "api")
			h.click(alice, l.ID, l.id("Approve & Deploy"))
			sid := h.waitState(l.ID, "APPLIED", 60*time.Second).field("Session")

			if got := h.driftReport(bob, "dev"); got != sid+" in sync" {
				t.Fatalf("drift before any change: %q", got)
			}
			wantEphemeral(t, "drift without read", h.command(carol, "cloud-drift", opt{"project", "dev"}),
				"Permission denied: you need read on project dev.")

			h.stateRm(sid, pg, "terraform_data.compute_vm_web")
			want := sid + " drifted: terraform_data.compute_vm_web"
			if got := h.driftReport(bob, "dev"); got != want {
				t.Fatalf("drift after the state lost web: %q, want %q", got, want)
			}
			notice := h.driftNotices(sid, 1)[0]
			if !strings.HasPrefix(notice.Content, want) {
				t.Errorf("drift notice %q", notice.Content)
			}
			if got := h.metric("cloudengine_deployments", `status="drifted"`); got != "1" {
				t.Errorf("cloudengine_deployments{status=drifted} = %q", got)
			}
			// Scheduled checks keep finding the drift; it is not announced again.
			time.Sleep(3 * driftInterval)
			h.driftNotices(sid, 1)
			if got := h.metric("cloudengine_drift_checks_total", `outcome="drifted"`); got == "" || got == "1" {
				t.Errorf("scheduled checks did not run: cloudengine_drift_checks_total{outcome=drifted} = %q", got)
			}

			// A reader may not reconcile; a member with deploy may.
			n := lobby{notice}
			wantEphemeral(t, "reconcile by a reader", h.click(bob, notice.ID, n.id("Reconcile")),
				"Permission denied: you need deploy on project dev.")
			r := h.click(alice, notice.ID, n.id("Reconcile"))
			if r.Type != 5 || r.Ephemeral() {
				t.Fatalf("reconcile answered %s, want a public deferral", r.Raw)
			}
			u := h.deferredLobby(r)
			u = h.planned(u.ID, "Plan: 1 to add, 0 to change, 0 to destroy.")
			if !strings.Contains(u.field("Plan"), "terraform_data.compute_vm_web") {
				t.Errorf("reconcile plan %q does not restore web", u.field("Plan"))
			}
			h.applyUpdate(u, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.")
			if got := h.driftReport(bob, "dev"); got != sid+" in sync" {
				t.Fatalf("drift after the reconcile: %q", got)
			}
			h.stateRm(sid, pg, "terraform_data.compute_vm_api")
			h.driftNotices(sid, 2)
		})
	}
}

// TestDriftScheduledOnceAcrossReplicas: two replicas on one PostgreSQL
// check a deployment one at a time, about once per interval, and announce
// its drift once.
func TestDriftScheduledOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	pg := onPostgres(t)
	url := ""
	conf := func(c *config.Config) { pg(c); url = c.DatabaseURL; c.DriftInterval = driftInterval }
	a := start(t, options{configure: conf})
	start(t, options{fake: a.fake, configure: conf})
	a.setupProject("dev", 0, grant{alice, "deploy"})
	sid := a.deployed(alice, "dev", "web").field("Session")
	a.stateRm(sid, url, "terraform_data.compute_vm_web")
	a.driftNotices(sid, 1)
	time.Sleep(4 * driftInterval)
	a.driftNotices(sid, 1)

	conn, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var runs []struct {
		Instance string `db:"instance"`
		Started  int64  `db:"started_at"`
		Ended    *int64 `db:"ended_at"`
	}
	err = conn.SelectContext(context.Background(), &runs, `SELECT instance, started_at, ended_at FROM runs
WHERE session_id = $1 AND operation = 'drift' ORDER BY started_at`, sid)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) < 2 {
		t.Fatalf("%d scheduled checks in %s, want one about every %s", len(runs), 5*driftInterval, driftInterval)
	}
	instances := map[string]bool{}
	for i, r := range runs {
		instances[r.Instance] = true
		if i == 0 || runs[i-1].Ended == nil {
			continue
		}
		if gap := time.Duration(r.Started-*runs[i-1].Ended) * time.Millisecond; gap < driftInterval-500*time.Millisecond {
			t.Errorf("check %d started %s after the previous one ended, want about %s", i, gap, driftInterval)
		}
	}
	t.Logf("%d checks by %d replicas", len(runs), len(instances))
}

// driftReport runs /cloud-drift and returns its answer, asking again while
// a scheduled check holds the deployment (busy).
func (h *harness) driftReport(u user, project string) string {
	h.t.Helper()
	var got string
	h.eventually("a drift report that is not busy", 60*time.Second, func() bool {
		r := h.command(u, "cloud-drift", opt{"project", project})
		if r.Type != 5 || !r.Ephemeral() {
			h.t.Fatalf("cloud-drift answered %s, want an ephemeral deferral", r.Raw)
		}
		h.eventually("the drift report", 30*time.Second, func() bool {
			m, ok := h.fake.Original(r.Token)
			got = m.Content
			return ok && got != ""
		})
		return !strings.HasSuffix(got, " busy")
	})
	return got
}

// driftNotices waits until the channel holds want drift notices of a
// deployment and returns them.
func (h *harness) driftNotices(deployment string, want int) []discordtest.Message {
	h.t.Helper()
	var got []discordtest.Message
	h.eventually("drift notices", 30*time.Second, func() bool {
		got = nil
		for _, m := range h.fake.Messages(h.channel) {
			if !m.Ephemeral && strings.HasPrefix(m.Content, deployment+" drifted: ") {
				got = append(got, m)
			}
		}
		return len(got) >= want
	})
	if len(got) != want {
		h.t.Fatalf("%d drift notices of %s, want %d", len(got), deployment, want)
	}
	return got
}

// stateRm removes an address from a deployment's state through its own
// backend, the way someone working behind Cloud Engine's back would.
func (h *harness) stateRm(deployment, pgURL, address string) {
	h.t.Helper()
	dir := h.t.TempDir()
	backend := map[string]any{"local": map[string]any{"path": filepath.Join(h.main.Config.DataDir, "state", deployment, "terraform.tfstate")}}
	if pgURL != "" {
		backend = map[string]any{"pg": map[string]any{"schema_name": "terraform_state"}}
	}
	cfg, _ := json.Marshal(map[string]any{"terraform": map[string]any{"backend": backend}})
	if err := os.WriteFile(filepath.Join(dir, "main.tf.json"), cfg, 0o600); err != nil {
		h.t.Fatal(err)
	}
	env := append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=", "PG_CONN_STR="+pgURL)
	steps := [][]string{{"init", "-input=false"}, {"state", "rm", address}}
	if pgURL != "" {
		steps = [][]string{{"init", "-input=false"}, {"workspace", "select", deployment}, {"state", "rm", address}}
	}
	for _, args := range steps {
		cmd := exec.Command(terraformPath(h.t), args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			h.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// metric reads one sample of the service's /metrics ("" when absent).
func (h *harness) metric(name, labels string) string {
	h.t.Helper()
	resp, err := http.Get("http://" + h.main.MetricsAddr() + "/metrics")
	if err != nil {
		h.t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, name+"{") && strings.Contains(line, labels) {
			return line[strings.LastIndexByte(line, ' ')+1:]
		}
	}
	return ""
}
