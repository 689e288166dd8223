package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// deployedTTL deploys one VM with /cloud-deploy ttl:…, approved by its
// owner u, and returns its applied lobby.
func (h *harness) deployedTTL(u user, project, ttl, name string) lobby {
	h.t.Helper()
	return h.deployedTTLApproved(u, u, project, ttl, name)
}

// deployedTTLApproved is deployedTTL with the Approve click by approver.
func (h *harness) deployedTTLApproved(u, approver user, project, ttl, name string) lobby {
	h.t.Helper()
	r := h.command(u, "cloud-deploy", opt{"project", project}, opt{"ttl", ttl})
	if r.Type != 5 || r.Ephemeral() {
		h.t.Fatalf("cloud-deploy ttl:%s answered %s, want a public deferral", ttl, r.Raw)
	}
	l := h.deferredLobby(r)
	if got := l.field("Time to live"); !strings.HasPrefix(got, ttl+" ") {
		h.t.Errorf("draft lobby time to live %q, want %s", got, ttl)
	}
	if r := h.addResource(u, l, "compute_vm", map[string]string{"name": name, "size": "small"}); r.Type != 6 {
		h.t.Fatalf("adding %s answered %s", name, r.Raw)
	}
	l = h.planned(l.ID, "Plan: 1 to add, 0 to change, 0 to destroy.")
	if r := h.click(approver, l.ID, l.id("Approve")); r.Type != 6 {
		h.t.Fatalf("approve answered %s", r.Raw)
	}
	return h.waitState(l.ID, "APPLIED", 60*time.Second)
}

var timestampRE = regexp.MustCompile(`<t:(\d+):R>`)

// timestamp reads the first <t:UNIX:R> of s.
func timestamp(s string) (time.Time, bool) {
	m := timestampRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return time.Unix(n, 0), true
}

// reminders are the expiry reminders of a deployment in the channel.
func (h *harness) reminders(sid string) []lobby {
	var out []lobby
	for _, m := range h.fake.Messages(h.channel) {
		if strings.Contains(m.Content, "Deployment `"+sid+"`") && strings.Contains(m.Content, " expires <t:") {
			out = append(out, lobby{m})
		}
	}
	return out
}

// expiry reads a deployment's expiry from the store.
func (h *harness) expiry(sid string) *deploy.Expiry {
	h.t.Helper()
	e, err := h.main.DB.GetExpiry(context.Background(), h.guild, sid)
	if err != nil {
		h.t.Fatalf("expiry of %s: %v", sid, err)
	}
	return e
}

// destroyed waits until the deployment is recorded destroyed.
func (h *harness) destroyed(sid string, d time.Duration) {
	h.t.Helper()
	h.eventually("deployment "+sid+" destroyed", d, func() bool {
		dep, err := h.main.DB.GetDeployment(context.Background(), h.guild, sid)
		return err == nil && dep.Status == deploy.DeploymentDestroyed
	})
}

// destroySessions lists the destroy sessions of a deployment.
func (h *harness) destroySessions(sid string) []*deploy.Session {
	h.t.Helper()
	ss, _, err := h.main.DB.ListSessions(context.Background(), deploy.SessionFilter{GuildID: h.guild})
	if err != nil {
		h.t.Fatal(err)
	}
	var out []*deploy.Session
	for _, s := range ss {
		if s.Kind == deploy.KindDestroy && s.TargetID == sid {
			out = append(out, s)
		}
	}
	return out
}

// destroyThreads counts the threads named destroy-<project>-….
func (h *harness) destroyThreads(project string) []string {
	var out []string
	for _, th := range h.fake.Threads() {
		if strings.HasPrefix(th.Name, "destroy-"+project+"-") {
			out = append(out, th.Name)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func hasAudit(events []*deploy.AuditEvent, actor, action string) bool {
	for _, e := range events {
		if e.Actor == actor && e.Action == action {
			return true
		}
	}
	return false
}
