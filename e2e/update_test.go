package e2e

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/db/dbtest"
	"github.com/cloudengine/cloud-engine/deploy"
)

// onPostgres runs the service on a PostgreSQL schema of the test's own
// (state in the pg backend), like a production replica.
func onPostgres(t *testing.T) func(c *config.Config) {
	u := dbtest.PostgresURL(t, "e2e")
	return func(c *config.Config) { c.DatabaseURL = u }
}

// TestUpdateHistoryRollback is Day 2 on both stores: deploy → change a
// parameter (1 to change) → apply (r2) → history → roll back to r1 (1 to
// change) → apply (r3 = r1) → add and remove in one update → destroy what
// the latest state holds.
func TestUpdateHistoryRollback(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			o := options{}
			if store == "postgres" {
				o.configure = onPostgres(t)
			}
			h := start(t, o)
			h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "read"})
			sid := h.deployed(alice, "dev", "web").field("Session")
			h.eventually("the applied session's saved plan to be removed", 10*time.Second, func() bool {
				_, err := h.store.GetArtifact(context.Background(), h.guild, sid)
				return deploy.ErrorCode(err) == deploy.ENOTFOUND
			})

			// Unchanged, an update plans to terraform's "No changes.".
			u := h.openUpdate(alice, sid)
			u = h.waitState(u.ID, "PLANNED", 30*time.Second)
			if !strings.Contains(u.field("Plan"), "No changes.") || !u.disabled("Approve & Update") {
				t.Fatalf("unchanged update: plan %q, approve disabled %v", u.field("Plan"), u.disabled("Approve & Update"))
			}
			if title := str(u.Embeds[0]["title"]); title != "Update "+sid+" in dev" {
				t.Errorf("update lobby title %q", title)
			}
			// One open change at a time, with SPEC's text naming it.
			uid := u.field("Session")
			want := "Deployment " + sid + " already has an open session: " + uid + "."
			wantEphemeral(t, "second update", h.command(alice, "cloud-update", opt{"session_id", sid}), want)
			wantEphemeral(t, "destroy beside the update", h.command(alice, "cloud-destroy", opt{"session_id", sid}), want)
			wantEphemeral(t, "update by a reader", h.command(bob, "cloud-update", opt{"session_id", sid}),
				"Permission denied: you need deploy on project dev.")

			// Change the VM's size: the modal keeps the name and shows the current values.
			r := h.choose(alice, u.ID, u.id("Change a resource…"), "web")
			if r.Type != 9 {
				t.Fatalf("change select answered %s", r.Raw)
			}
			inputs := modalInputs(r)
			if _, hasName := inputs["name"]; hasName || inputs["size"] != "small" {
				t.Fatalf("change modal inputs %v: want no name and size small", inputs)
			}
			if r := h.submit(alice, u.ID, str(r.Data["custom_id"]), map[string]string{"size": "medium", "region": inputs["region"]}); r.Type != 6 {
				t.Fatalf("change submit answered %s", r.Raw)
			}
			u = h.planned(u.ID, "Plan: 0 to add, 1 to change, 0 to destroy.")
			if strings.HasPrefix(u.field("Cost"), "-") || !strings.Contains(u.field("Cost"), "/hour") {
				t.Errorf("a bigger VM costs %q", u.field("Cost"))
			}
			h.applyUpdate(u, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.")
			threadName := ""
			for _, th := range h.fake.Threads() {
				if th.MessageID == u.ID {
					threadName = th.Name
				}
			}
			if threadName != "update-dev-"+uid {
				t.Errorf("update thread named %q", threadName)
			}

			// History: r2 then r1, and a select to roll back to r1.
			hr := h.command(bob, "cloud-history", opt{"session_id", sid})
			if hr.Type != 4 || !hr.Ephemeral() {
				t.Fatalf("history answered %s", hr.Raw)
			}
			hist := text(hr.Data)
			i2, i1 := strings.Index(hist, "**r2**"), strings.Index(hist, "**r1**")
			if i2 < 0 || i1 < i2 || !strings.Contains(hist, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.") {
				t.Fatalf("history text:\n%s", hist)
			}
			hm, _ := h.fake.Original(hr.Token)
			histMsg := lobby{hm}
			if got := selectValues(histMsg.component("Roll back to…")); !reflect.DeepEqual(got, []string{"r1"}) {
				t.Fatalf("roll back options %v, want [r1]", got)
			}
			// A reader may look but not roll back.
			wantEphemeral(t, "rollback by a reader", h.choose(bob, hm.ID, histMsg.id("Roll back to…"), "r1"),
				"Permission denied: you need deploy on project dev.")
			rb := h.choose(alice, hm.ID, histMsg.id("Roll back to…"), "r1")
			if rb.Type != 5 || rb.Ephemeral() {
				t.Fatalf("rollback answered %s, want a public deferral", rb.Raw)
			}
			u = h.deferredLobby(rb)
			if desc := str(u.Embeds[0]["description"]); !strings.HasPrefix(desc, "Rolls back to r1") {
				t.Errorf("rollback lobby description %q", desc)
			}
			u = h.planned(u.ID, "Plan: 0 to add, 1 to change, 0 to destroy.")
			if !strings.HasPrefix(u.field("Cost"), "-$") {
				t.Errorf("a smaller VM costs %q, want a decrease", u.field("Cost"))
			}
			h.applyUpdate(u, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.")
			ctx := context.Background()
			r1, err1 := h.main.DB.GetRevision(ctx, h.guild, sid, 1)
			r3, err3 := h.main.DB.GetRevision(ctx, h.guild, sid, 3)
			if err1 != nil || err3 != nil || !reflect.DeepEqual(r1.Resources, r3.Resources) {
				t.Fatalf("r3 %+v (%v) differs from r1 %+v (%v)", r3, err3, r1, err1)
			}

			// r1's resources are today's again: rolling back to it changes nothing.
			hr = h.command(alice, "cloud-history", opt{"session_id", sid})
			hm, _ = h.fake.Original(hr.Token)
			histMsg = lobby{hm}
			if got := selectValues(histMsg.component("Roll back to…")); !reflect.DeepEqual(got, []string{"r2", "r1"}) {
				t.Fatalf("roll back options after r3 %v, want [r2 r1]", got)
			}
			u = h.deferredLobby(h.choose(alice, hm.ID, histMsg.id("Roll back to…"), "r1"))
			u = h.planned(u.ID, "No changes.")
			if !u.disabled("Approve & Update") {
				t.Errorf("Approve enabled on a rollback with no changes")
			}
			h.click(alice, u.ID, u.id("Cancel"))
			h.waitState(u.ID, "CANCELLED", 10*time.Second)

			// Add and remove in one update.
			u = h.openUpdate(alice, sid)
			u = h.waitState(u.ID, "PLANNED", 30*time.Second)
			if r := h.addResource(alice, u, "storage_bucket", map[string]string{"name": "logs"}); r.Type != 6 {
				t.Fatalf("add answered %s", r.Raw)
			}
			u = h.planned(u.ID, "Plan: 1 to add, 0 to change, 0 to destroy.")
			if r := h.choose(alice, u.ID, u.id("Remove a resource…"), "web"); r.Type != 6 {
				t.Fatalf("remove answered %s", r.Raw)
			}
			u = h.planned(u.ID, "Plan: 1 to add, 0 to change, 1 to destroy.")
			h.applyUpdate(u, "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.")
			d, err := h.main.DB.GetDeployment(ctx, h.guild, sid)
			if err != nil || d.Revision != 4 || len(d.Resources) != 1 || d.Resources[0].Name != "logs" {
				t.Fatalf("deployment after r4 = %+v, %v", d, err)
			}
			list := h.command(alice, "cloud-list")
			if !strings.Contains(text(list.Data), "`"+sid+"` **dev** · deploy · APPLIED · r4") {
				t.Errorf("list does not show r4:\n%s", text(list.Data))
			}

			// Destroy removes what the latest state holds: the bucket.
			dl := h.deferredLobby(h.command(alice, "cloud-destroy", opt{"session_id", sid}))
			dl = h.planned(dl.ID, "Plan: 0 to add, 0 to change, 1 to destroy.")
			if !strings.Contains(dl.field("Plan"), "storage_bucket_logs") {
				t.Errorf("destroy plan %q does not name the bucket", dl.field("Plan"))
			}
			h.click(alice, dl.ID, dl.id("Approve & Destroy"))
			h.waitState(dl.ID, "APPLIED", 60*time.Second)
			wantEphemeral(t, "update of a destroyed deployment", h.command(alice, "cloud-update", opt{"session_id", sid}),
				"Session "+sid+" is not a live deployment.")
		})
	}
}

// openUpdate runs /cloud-update and waits for its lobby.
func (h *harness) openUpdate(u user, sid string) lobby {
	h.t.Helper()
	r := h.command(u, "cloud-update", opt{"session_id", sid})
	if r.Type != 5 || r.Ephemeral() {
		h.t.Fatalf("cloud-update answered %s, want a public deferral", r.Raw)
	}
	return h.deferredLobby(r)
}

// planned waits for a PLANNED lobby whose plan ends with line.
func (h *harness) planned(id, line string) lobby {
	h.t.Helper()
	var l lobby
	h.eventually("a plan saying "+line, 30*time.Second, func() bool {
		l = h.lobbyNow(id)
		return l.field("State") == "PLANNED" && strings.HasSuffix(l.field("Plan"), line)
	})
	return l
}

// applyUpdate approves an update lobby and waits for its closing line.
func (h *harness) applyUpdate(l lobby, closing string) {
	h.t.Helper()
	if l.disabled("Approve & Update") {
		h.t.Fatalf("Approve & Update disabled on a plan with changes")
	}
	if r := h.click(alice, l.ID, l.id("Approve & Update")); r.Type != 6 {
		h.t.Fatalf("approve answered %s", r.Raw)
	}
	h.waitState(l.ID, "APPLIED", 60*time.Second)
	_, content, _ := h.finalMessage(h.threadOf(l.ID), "APPLIED")
	if !strings.Contains(content, closing) {
		h.t.Fatalf("final message %q, want %q", content, closing)
	}
}

// modalInputs maps a modal answer's text inputs to their values.
func modalInputs(r reply) map[string]string {
	out := map[string]string{}
	comps, _ := r.Data["components"].([]any)
	for _, c := range comps {
		m, _ := c.(map[string]any)
		in, _ := m["component"].(map[string]any)
		if id := str(in["custom_id"]); id != "" {
			out[id] = str(in["value"])
		}
	}
	return out
}

func selectValues(sel map[string]any) []string {
	var out []string
	opts, _ := sel["options"].([]any)
	for _, o := range opts {
		m, _ := o.(map[string]any)
		out = append(out, str(m["value"]))
	}
	return out
}
