package tf

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestCleanError(t *testing.T) {
	boxed := "exit status 1\n\x1b[31m╷\x1b[0m\n\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mUnsupported argument\x1b[0m\n│\n│   on main.tf.json line 7:\n│\n│ An argument named \"foo\" is not expected here.\n╵\n╷\n│ Error: Second problem\n│\n│ Not shown.\n╵\n"
	cases := []struct{ name, in, want string }{
		{"box and colours", boxed, "Unsupported argument\n\n  on main.tf.json line 7:\n\nAn argument named \"foo\" is not expected here."},
		{"no error block", "exit status 1\nsomething broke", "exit status 1\nsomething broke"},
		{"warning is not the cause", "│ Warning: old\n│\n│ Error: new\n│ detail", "new\ndetail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cleanError(c.in); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
	long := cleanError("Error: x\n" + strings.Repeat("é", 2000))
	if len(long) > maxErrorLen || !utf8.ValidString(long) || !strings.HasSuffix(long, "…") || !strings.HasPrefix(long, "x\n") {
		t.Errorf("shortened: %d bytes, valid %v", len(long), utf8.ValidString(long))
	}
}

func TestRunError(t *testing.T) {
	ui := newUIWriter(nil)
	_, _ = ui.Write([]byte(`{"@level":"error","@message":"Error: Invalid reference","type":"diagnostic","diagnostic":{"severity":"error","summary":"Invalid reference","detail":"A reference must name a resource."}}` + "\n"))
	err := runError(context.Background(), "plan", errors.New("exit status 1"), ui)
	var de *deploy.Error
	if !errors.As(err, &de) || de.Code != ECodeTerraform || de.Message != "Invalid reference\nA reference must name a resource." {
		t.Fatalf("got %#v", err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("timed out after 30m0s")
	cancel(cause)
	err = runError(ctx, "apply", errors.New("signal: interrupt"), ui)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, cause) || deploy.ErrorCode(err) != deploy.EINTERNAL {
		t.Errorf("interrupted run: %v", err)
	}
	if outcome(ctx, err) != deploy.OutcomeCancelled || outcome(context.Background(), de) != deploy.OutcomeFailure {
		t.Error("outcomes")
	}
}

func TestUIWriter(t *testing.T) {
	var got []string
	w := newUIWriter(func(l string) { got = append(got, l) })
	stream := `{"@message":"Terraform 1.11.4","type":"version"}
{"@message":"terraform_data.a: Creating...","type":"apply_start"}
{"@message":"Apply complete! Resources: 1 added, 0 changed, 0 destroyed.","type":"change_summary","changes":{"add":1}}
not json ` + "\x1b[1mbold\x1b[0m\n" + `{"@message":"Outputs: 0","type":"outputs"}`
	// Arbitrary chunk boundaries, as a pipe delivers them.
	for i := 0; i < len(stream); i += 7 {
		_, _ = w.Write([]byte(stream[i:min(i+7, len(stream))]))
	}
	w.flush()
	want := []string{"terraform_data.a: Creating...", "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.", "not json bold", "Outputs: 0"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q", got)
	}
	if s, c, _ := w.result(); s != want[1] || c == nil || c.Add != 1 {
		t.Errorf("summary %q %+v", s, c)
	}
}

// TestExplainKnown: the google provider's failed lookup of a region's
// default subnetwork reads like the aws one, naming the region and what to
// do; anything else keeps terraform's words.
func TestExplainKnown(t *testing.T) {
	cases := []struct{ summary, detail, want string }{
		{"projects/acme-dev-123/regions/europe-west1/subnetworks/default not found",
			"  with data.google_compute_subnetwork.default_europe_west1,\n  on main.tf.json line 1, in data.google_compute_subnetwork.default_europe_west1:",
			"There is no default network in europe-west1: add a network resource to this deployment and name it in the network parameter."},
		{"projects/acme-dev-123/regions/europe-west1/subnetworks/web-subnet not found", "",
			"projects/acme-dev-123/regions/europe-west1/subnetworks/web-subnet not found"},
		{"Error when reading or editing Subnetwork Not Found : default: googleapi: Error 403: Required 'compute.subnetworks.get' permission", "",
			"Error when reading or editing Subnetwork Not Found : default: googleapi: Error 403: Required 'compute.subnetworks.get' permission"},
	}
	for _, c := range cases {
		t.Run(c.summary, func(t *testing.T) {
			ui := newUIWriter(nil)
			line, err := json.Marshal(map[string]any{"@level": "error", "type": "diagnostic",
				"diagnostic": map[string]any{"severity": "error", "summary": c.summary, "detail": c.detail}})
			if err != nil {
				t.Fatal(err)
			}
			_, _ = ui.Write(append(line, '\n'))
			if got := deploy.ErrorMessage(runError(context.Background(), "plan", errors.New("exit status 1"), ui)); got != c.want {
				t.Errorf("got %q\nwant %q", got, c.want)
			}
		})
	}
}
