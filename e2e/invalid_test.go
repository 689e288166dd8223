package e2e

import (
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/deploy"
)

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	// The operator listed a malformed gcp account: the catalog's rule still
	// refuses it after the allow-list let it through.
	h := start(t, options{configure: func(c *config.Config) {
		c.AllowedAccounts = deploy.AllowedAccounts{"gcp": {"No_Such Project"}}
	}})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l, _ := h.openLobby(alice, "dev")
	sid := l.field("Session")

	t.Run("commands", func(t *testing.T) {
		tests := []struct {
			name string
			cmd  string
			opts []opt
			want string
		}{
			{"unknown project", "cloud-deploy", []opt{{"project", "prod"}}, "Unknown project prod."},
			{"malformed project id", "cloud-deploy", []opt{{"project", "Dev!"}}, "Unknown project Dev!."},
			{"provider mismatch", "cloud-deploy", []opt{{"project", "dev"}, {"provider", "aws"}}, "Project dev uses provider sandbox, not aws."},
			{"bad region", "cloud-deploy", []opt{{"project", "dev"}, {"region", "mars-1"}}, ""},
			{"unknown session", "cloud-cancel", []opt{{"session_id", "k3f9x2ab"}}, "Unknown session k3f9x2ab."},
			{"malformed session id", "cloud-destroy", []opt{{"session_id", "K3F9"}}, "Unknown session K3F9."},
			{"unknown state", "cloud-list", []opt{{"state", "DONE"}}, `Unknown state "DONE".`},
			{"bad level", "cloud-grant", []opt{{"user", bob}, {"project", "dev"}, {"level", "owner"}}, `Unknown level "owner"`},
			{"bad project id", "cloud-create-project", []opt{{"project_id", "-x"}, {"provider", "sandbox"}, {"description", "x"}}, ""},
			{"taken project id", "cloud-create-project", []opt{{"project_id", "dev"}, {"provider", "sandbox"}, {"description", "x"}}, ""},
			{"bad gcp account", "cloud-create-project", []opt{{"project_id", "gcpx"}, {"provider", "gcp"}, {"description", "x"}, {"account", "No_Such Project"}}, `Invalid account "No_Such Project": a gcp project id`},
		}
		for _, tc := range tests {
			u := alice
			if strings.HasPrefix(tc.cmd, "cloud-grant") || tc.cmd == "cloud-create-project" {
				u = admin
			}
			r := h.command(u, tc.cmd, tc.opts...)
			if r.Type != 4 || !r.Ephemeral() || r.Content() == "" {
				t.Errorf("%s: answer %s, want an ephemeral error", tc.name, r.Raw)
				continue
			}
			if !strings.HasPrefix(r.Content(), tc.want) || strings.Contains(r.Content(), "Something went wrong") {
				t.Errorf("%s: %q, want %q", tc.name, r.Content(), tc.want)
			}
		}
	})

	t.Run("resource names", func(t *testing.T) {
		tests := []struct{ name, want string }{
			{"Web", "lowercase"},
			{"1web", "start"},
			{"web-", "end"},
			{"w", "2"},
			{strings.Repeat("a", 41), "40"},
			{"web server", ""},
		}
		for _, tc := range tests {
			r := h.addResource(alice, h.lobbyNow(l.ID), "compute_vm", map[string]string{"name": tc.name, "size": "small"})
			if r.Type != 4 || !r.Ephemeral() || !strings.HasPrefix(r.Content(), "Invalid name") || !strings.Contains(r.Content(), tc.want) {
				t.Errorf("name %q: answer %s, want an ephemeral rule naming %q", tc.name, r.Raw, tc.want)
			}
		}
		if got := h.lobbyNow(l.ID).field("State"); got != "DRAFT" {
			t.Errorf("state after refused names %s", got)
		}
	})

	t.Run("components and modals", func(t *testing.T) {
		tests := []struct {
			name string
			do   func() reply
			want string
		}{
			{"unknown custom id", func() reply { return h.click(alice, l.ID, "launch:"+sid) }, "This action is not known"},
			{"custom id without session", func() reply { return h.click(alice, l.ID, "approve") }, "This action is not known"},
			{"unknown session in a custom id", func() reply { return h.click(alice, l.ID, "approve:k3f9x2ab") }, "Unknown session k3f9x2ab."},
			{"unknown resource type", func() reply { return h.choose(alice, l.ID, "add:"+sid, "gpu_cluster") }, `Unknown resource type "gpu_cluster".`},
			{"modal for an unknown type", func() reply {
				return h.submit(alice, l.ID, "resource:"+sid+":gpu_cluster", map[string]string{"name": "x1"})
			}, ""},
			{"modal without a name", func() reply {
				return h.submit(alice, l.ID, "resource:"+sid+":compute_vm", map[string]string{"size": "small"})
			}, "Invalid name"},
			{"modal with an unknown size", func() reply {
				return h.submit(alice, l.ID, "resource:"+sid+":compute_vm", map[string]string{"name": "web", "size": "galactic"})
			}, ""},
			{"modal with an unknown field", func() reply {
				return h.submit(alice, l.ID, "resource:"+sid+":compute_vm", map[string]string{"name": "web", "size": "small", "script": "rm -rf /"})
			}, ""},
		}
		for _, tc := range tests {
			r := tc.do()
			if r.Type != 4 || !r.Ephemeral() || !strings.HasPrefix(r.Content(), tc.want) || strings.Contains(r.Content(), "Something went wrong") {
				t.Errorf("%s: answer %s, want an ephemeral %q", tc.name, r.Raw, tc.want)
			}
		}
		if got := h.lobbyNow(l.ID); got.field("State") != "DRAFT" || strings.Contains(got.field("Resources"), "web") {
			t.Errorf("lobby changed by refused input: %s %s", got.field("State"), got.field("Resources"))
		}
	})

	t.Run("malformed interaction", func(t *testing.T) {
		if r := h.postRaw([]byte(`{"type":3,"id":"1","token":"t","data":{"custom_id":`), timeNow()); r.Status != 400 {
			t.Errorf("truncated JSON answered %d %s", r.Status, r.Raw)
		}
	})
}
