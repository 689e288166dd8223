package handlers

import (
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestRenderDrift(t *testing.T) {
	p := &deploy.Project{ID: "dev"}
	long := "Error: " + strings.Repeat("the provider said no. ", 30)
	cases := []struct {
		name string
		page *deploy.DriftPage
		want string
	}{
		{"none", &deploy.DriftPage{Project: p}, "Project dev has no live deployment."},
		{"every outcome", &deploy.DriftPage{Project: p, Total: 4, Reports: []deploy.DriftReport{
			{DeploymentID: "k3f9x2ab", Outcome: deploy.DriftInSync},
			{DeploymentID: "m2x8p4qa", Outcome: deploy.DriftDrifted, Addresses: []string{"google_compute_instance.web", "google_storage_bucket.logs"}},
			{DeploymentID: "q7w8e9r0", Outcome: deploy.DriftBusy},
			{DeploymentID: "z1y2x3w4", Outcome: deploy.DriftFailed, Error: "Error: Invalid\n\ncredentials"},
		}}, "k3f9x2ab in sync\nm2x8p4qa drifted: google_compute_instance.web, google_storage_bucket.logs\nq7w8e9r0 busy\nz1y2x3w4 check failed: Error: Invalid credentials"},
		{"more than a page", &deploy.DriftPage{Project: p, Total: 23, Reports: []deploy.DriftReport{
			{DeploymentID: "k3f9x2ab", Outcome: deploy.DriftInSync},
		}}, "k3f9x2ab in sync\nChecked the newest 1 of 23 live deployments."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := renderDrift(c.page); got != c.want {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
	got := renderDrift(&deploy.DriftPage{Project: p, Total: 1, Reports: []deploy.DriftReport{{DeploymentID: "k3f9x2ab", Outcome: deploy.DriftFailed, Error: long}}})
	if len([]rune(got)) > len("k3f9x2ab check failed: ")+maxDriftError {
		t.Fatalf("a long error is not shortened: %d characters", len(got))
	}
}
