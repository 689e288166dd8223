package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
)

// TestUpdateQuotaCountsTheDeploymentOnce: an update's own resources are
// the deployment's, so changing them needs no quota; adding one does.
func TestUpdateQuotaCountsTheDeploymentOnce(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	h.command(admin, "cloud-set-quota", opt{"project", "dev"}, opt{"resource_type", "compute_vm"}, opt{"limit", 1})
	sid := h.deployed(alice, "dev", "web").field("Session")

	u := h.waitState(h.openUpdate(alice, sid).ID, "PLANNED", 30*time.Second)
	wantEphemeral(t, "a second VM in an update", h.addResource(alice, u, "compute_vm", map[string]string{"name": "api", "size": "small"}),
		"Quota exceeded: compute_vm 2/1")
	r := h.choose(alice, u.ID, u.id("Change a resource…"), "web")
	if r := h.submit(alice, u.ID, str(r.Data["custom_id"]), map[string]string{"size": "large"}); r.Type != 6 {
		t.Fatalf("changing the deployed VM answered %s", r.Raw)
	}
	u = h.planned(u.ID, "Plan: 0 to add, 1 to change, 0 to destroy.")
	// Removing the VM frees its quota once applied, not before.
	if r := h.choose(alice, u.ID, u.id("Remove a resource…"), "web"); r.Type != 6 {
		t.Fatalf("remove answered %s", r.Raw)
	}
	u = h.planned(u.ID, "Plan: 0 to add, 0 to change, 1 to destroy.")
	l, _ := h.openLobby(alice, "dev")
	wantEphemeral(t, "a VM while the removal is not applied", h.addResource(alice, l, "compute_vm", map[string]string{"name": "api", "size": "small"}),
		"Quota exceeded: compute_vm 2/1")
	h.applyUpdate(u, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.")
	if r := h.addResource(alice, h.lobbyNow(l.ID), "compute_vm", map[string]string{"name": "api", "size": "small"}); r.Type != 6 {
		t.Errorf("a VM after the removal was applied answered %s", r.Raw)
	}
}

// TestUpdateRacesDestroyAcrossReplicas: an update and a destroy of the same
// deployment asked at once on two replicas of one PostgreSQL: one opens,
// the other is told which session holds it.
func TestUpdateRacesDestroyAcrossReplicas(t *testing.T) {
	t.Parallel()
	pg := onPostgres(t)
	a := start(t, options{configure: pg})
	b := start(t, options{fake: a.fake, configure: pg})
	a.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "deploy"})
	sid := a.deployed(alice, "dev", "web").field("Session")

	for round := range 3 {
		var wg sync.WaitGroup
		var ru, rd reply
		wg.Go(func() { ru = a.command(alice, "cloud-update", opt{"session_id", sid}) })
		wg.Go(func() { rd = b.command(bob, "cloud-destroy", opt{"session_id", sid}) })
		wg.Wait()
		var lobbies []lobby
		var refusals []string
		for _, r := range []reply{ru, rd} {
			if r.Type == 4 {
				refusals = append(refusals, r.Content())
				continue
			}
			var said string
			a.eventually("the deferred answer", 10*time.Second, func() bool {
				m, ok := a.fake.Original(r.Token)
				l := lobby{m}
				if ok && l.field("Session") != "" {
					lobbies = append(lobbies, l)
					return true
				}
				said = m.Content
				return ok && said != ""
			})
			if said != "" {
				refusals = append(refusals, said)
			}
		}
		if len(lobbies) != 1 || len(refusals) != 1 {
			t.Fatalf("round %d: %d lobbies and refusals %q, want one of each", round, len(lobbies), refusals)
		}
		open := lobbies[0].field("Session")
		if want := "Deployment " + sid + " already has an open session: " + open + "."; refusals[0] != want {
			t.Fatalf("round %d: refusal %q, want %q", round, refusals[0], want)
		}
		l := a.waitState(lobbies[0].ID, "PLANNED", 30*time.Second)
		a.click(ownerOf(l), l.ID, l.id("Cancel"))
		a.waitState(l.ID, "CANCELLED", 10*time.Second)
	}
}

// ownerOf is the member who owns a lobby (alice or bob in these tests).
func ownerOf(l lobby) user {
	if strings.Contains(l.field("Owner"), bob.ID) {
		return bob
	}
	return alice
}

// TestDeploymentSuggestions: /cloud-update and /cloud-destroy suggest live
// deployments to members with deploy; /cloud-history suggests every
// deployment to readers.
func TestDeploymentSuggestions(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.setupProject("dev", 0, grant{alice, "deploy"}, grant{bob, "read"})
	live := h.deployed(alice, "dev", "web").field("Session")
	gone := h.deployed(alice, "dev", "db").field("Session")
	dl := h.deferredLobby(h.command(alice, "cloud-destroy", opt{"session_id", gone}))
	dl = h.waitState(dl.ID, "PLANNED", 30*time.Second)
	h.click(alice, dl.ID, dl.id("Approve & Destroy"))
	h.waitState(dl.ID, "APPLIED", 60*time.Second)
	draft, _ := h.openLobby(alice, "dev")

	cases := []struct {
		who     user
		command string
		want    []string
	}{
		{alice, "cloud-update", []string{live}},
		{alice, "cloud-destroy", []string{live}},
		{bob, "cloud-update", nil},
		{bob, "cloud-history", []string{gone, live}},
		{carol, "cloud-history", nil},
	}
	for _, c := range cases {
		got := choiceValues(h.choices(h.autocomplete(c.who, c.command, "session_id", "")))
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s for %s suggests %v, want %v (draft %s is never one)", c.command, c.who.ID, got, c.want, draft.field("Session"))
		}
	}
}

// TestUpdateCancelledMidApplyRecordsTheState: an update cancelled while
// terraform applies leaves the deployment holding what the state holds,
// not what it held before nor what the update asked for.
func TestUpdateCancelledMidApplyRecordsTheState(t *testing.T) {
	t.Parallel()
	slow := slowTerraform(t, "apply", 6*time.Second)
	h := start(t, options{configure: func(c *config.Config) { c.TerraformPath = slow }})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	sid := h.deployed(alice, "dev", "web").field("Session")

	u := h.waitState(h.openUpdate(alice, sid).ID, "PLANNED", 30*time.Second)
	h.addResource(alice, u, "storage_bucket", map[string]string{"name": "logs"})
	u = h.planned(u.ID, "Plan: 1 to add, 0 to change, 0 to destroy.")
	h.choose(alice, u.ID, u.id("Remove a resource…"), "web")
	u = h.planned(u.ID, "Plan: 1 to add, 0 to change, 1 to destroy.")
	h.click(alice, u.ID, u.id("Approve & Update"))
	thread := h.threadOf(u.ID)
	h.eventually("the apply's changes in the thread", 20*time.Second, func() bool {
		all := ""
		for _, m := range h.fake.Messages(thread) {
			all += m.Content
		}
		return strings.Contains(all, "Creation complete") && strings.Contains(all, "Destruction complete")
	})
	wantEphemeral(t, "cancel during the update", h.command(alice, "cloud-cancel", opt{"session_id", u.field("Session")}), "Cancelling session")
	h.waitState(u.ID, "CANCELLED", 20*time.Second)

	inState := stateAddresses(t, h, sid)
	d, err := h.main.DB.GetDeployment(context.Background(), h.guild, sid)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Resources) != 1 || d.Resources[0].Name != "logs" || !reflect.DeepEqual(inState, []string{"terraform_data.storage_bucket_logs"}) {
		t.Fatalf("deployment holds %+v; the state holds %v", d.Resources, inState)
	}
	if d.Revision != 1 {
		t.Errorf("a cancelled update added revision r%d", d.Revision)
	}
}

// stateAddresses lists the resources of a deployment's local state file.
func stateAddresses(t *testing.T, h *harness, deployment string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(h.main.Config.DataDir, "state", deployment, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type string `json:"type"`
			Name string `json:"name"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range st.Resources {
		out = append(out, r.Type+"."+r.Name)
	}
	return out
}
