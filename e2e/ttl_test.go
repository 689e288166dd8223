package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

// TestTimeToLive on both stores: a ttl over the project's is refused; a
// deploy with ttl:10s shows its expiry, gets its reminder halfway with
// Extend and Destroy now for the owner only, is extended by the button
// and by /cloud-extend, and at expiry is destroyed without approvals in a
// destroy-dev-… thread whose lobby is a channel message.
func TestTimeToLive(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			var pg func(c *config.Config)
			if store == "postgres" {
				pg = onPostgres(t)
			}
			h := start(t, options{configure: func(c *config.Config) {
				c.CleanupInterval = time.Second
				if pg != nil {
					pg(c)
				}
			}})
			r := h.command(admin, "cloud-create-project", opt{"project_id", "dev"}, opt{"provider", "sandbox"},
				opt{"description", "ttl"}, opt{"approvals", 1}, opt{"ttl", "7d"})
			if !strings.HasPrefix(r.Content(), "Project dev created") {
				t.Fatalf("create project: %s", r.Raw)
			}
			for _, u := range []user{alice, bob} {
				h.command(admin, "cloud-grant", opt{"user", u}, opt{"project", "dev"}, opt{"level", "deploy"})
			}
			wantEphemeral(t, "ttl over the project's", h.command(alice, "cloud-deploy", opt{"project", "dev"}, opt{"ttl", "8d"}),
				"TTL too long: the most for project dev is 7d.")
			wantEphemeral(t, "a bad ttl", h.command(alice, "cloud-deploy", opt{"project", "dev"}, opt{"ttl", "soon"}),
				`Invalid duration "soon"`)

			// Without a ttl on the deploy or the project, nothing expires.
			h.setupProject("free", 0, grant{alice, "deploy"})
			if free := h.deployed(alice, "free", "api"); free.field("Expires") != "" || h.expiry(free.field("Session")).At != nil {
				t.Errorf("a deployment without ttl has an expiry: %q", free.field("Expires"))
			}

			l := h.deployedTTLApproved(alice, bob, "dev", "10s", "web")
			sid := l.field("Session")
			shown, ok := timestamp(l.field("Expires"))
			e := h.expiry(sid)
			if !ok || e.At == nil || shown.Unix() != e.At.Unix() || time.Until(*e.At) > 10*time.Second {
				t.Fatalf("lobby expires %q, store %+v", l.field("Expires"), e)
			}

			// The reminder, halfway through the 10 s.
			var rem lobby
			h.eventually("the reminder", 15*time.Second, func() bool {
				rs := h.reminders(sid)
				if len(rs) > 0 {
					rem = rs[0]
				}
				return len(rs) > 0
			})
			if due := e.At.Add(-5 * time.Second); rem.CreatedAt.Before(due.Add(-100*time.Millisecond)) || !rem.CreatedAt.Before(*e.At) {
				t.Errorf("reminder at %v, want from %v (halfway) and before %v", rem.CreatedAt, due, *e.At)
			}
			if !strings.Contains(rem.Content, "<@"+alice.ID+">") || !strings.Contains(rem.Content, "<t:"+itoa(e.At.Unix())+":R>") {
				t.Errorf("reminder %q does not name the owner and the expiry", rem.Content)
			}
			if rem.component("Extend") == nil || rem.component("Destroy now") == nil {
				t.Fatalf("reminder components %v", fmtJSON(rem.Components))
			}
			for _, label := range []string{"Extend", "Destroy now"} {
				wantEphemeral(t, label+" by another member", h.click(bob, rem.ID, rem.id(label)), "Only the owner of this session can do that.")
			}
			ext := h.click(alice, rem.ID, rem.id("Extend"))
			wantEphemeral(t, "Extend by the owner", ext, "Deployment "+sid+" now expires <t:")
			moved := h.expiry(sid)
			if !moved.At.Equal(e.At.Add(10*time.Second)) || !strings.Contains(ext.Content(), "<t:"+itoa(moved.At.Unix())+":R>") {
				t.Fatalf("extended to %v (answer %q), want %v", moved.At, ext.Content(), e.At.Add(10*time.Second))
			}
			h.eventually("the deploy lobby to show the new expiry", 5*time.Second, func() bool {
				at, ok := timestamp(h.lobbyNow(l.ID).field("Expires"))
				return ok && at.Unix() == moved.At.Unix()
			})

			// /cloud-extend: owner yes, a stranger no, with SPEC's texts.
			wantEphemeral(t, "/cloud-extend by a stranger", h.command(carol, "cloud-extend", opt{"session_id", sid}, opt{"duration", "5s"}),
				"Only the owner of this session can do that.")
			wantEphemeral(t, "/cloud-extend beyond the project's ttl", h.command(alice, "cloud-extend", opt{"session_id", sid}, opt{"duration", "7d"}),
				"TTL too long: the most for project dev is 7d.")
			if got := choiceValues(h.choices(h.autocomplete(alice, "cloud-extend", "session_id", ""))); strings.Join(got, ",") != sid {
				t.Errorf("/cloud-extend suggests %v to the owner, want [%s]", got, sid)
			}
			if got := h.choices(h.autocomplete(carol, "cloud-extend", "session_id", "")); len(got) != 0 {
				t.Errorf("/cloud-extend suggests %v to a stranger", got)
			}
			cx := h.command(alice, "cloud-extend", opt{"session_id", sid}, opt{"duration", "5s"})
			wantEphemeral(t, "/cloud-extend by the owner", cx, "Deployment "+sid+" now expires <t:")
			final := h.expiry(sid)
			if !final.At.Equal(moved.At.Add(5 * time.Second)) {
				t.Fatalf("/cloud-extend moved the expiry to %v, want %v", final.At, moved.At.Add(5*time.Second))
			}

			// At expiry: destroyed without approvals (the project needs one).
			h.destroyed(sid, 40*time.Second)
			if time.Now().Before(*final.At) {
				t.Errorf("destroyed before its expiry %v", final.At)
			}
			ds := h.destroySessions(sid)
			if len(ds) != 1 || ds[0].OwnerID != alice.ID || len(ds[0].Approvals) != 0 {
				t.Fatalf("destroy sessions %+v, want one owned by the deployment's owner", ds)
			}
			dl := h.waitState(ds[0].LobbyMessageID, "APPLIED", 30*time.Second)
			if dl.Interaction != "" || dl.ChannelID != h.channel {
				t.Errorf("destroy lobby is not a channel message: %+v", dl.Message)
			}
			if th := h.destroyThreads("dev"); len(th) != 1 || th[0] != "destroy-dev-"+ds[0].ID {
				t.Errorf("destroy threads %v", th)
			}
			_, closing, _ := h.finalMessage(h.threadOf(dl.ID), "APPLIED")
			if !strings.Contains(closing, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.") {
				t.Errorf("closing message %q", closing)
			}
			if !strings.Contains(text(h.command(alice, "cloud-list").Data), "`"+sid+"` **dev** · deploy · APPLIED (destroyed)") {
				t.Errorf("list does not show the deployment destroyed")
			}
			events, _ := h.main.DB.Audit(context.Background(), h.guild, sid)
			if !hasAudit(events, "engine", "destroy") {
				t.Errorf("audit of %s has no destroy by the engine: %+v", sid, events)
			}
			wantEphemeral(t, "/cloud-extend of a destroyed deployment", h.command(alice, "cloud-extend", opt{"session_id", sid}, opt{"duration", "5s"}),
				"Session "+sid+" is not a live deployment.")
		})
	}
}
