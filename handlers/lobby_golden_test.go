package handlers

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cloudengine/cloud-engine/deploy"
)

var update = flag.Bool("update", false, "rewrite the golden files of the renderers")

func goldenSession(state deploy.State) *deploy.Session {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return &deploy.Session{
		ID: "k3f9x2ab", GuildID: "2200000000000000001", ChannelID: "3300000000000000001",
		OwnerID: "4400000000000000002", ProjectID: "dev", Provider: "sandbox", Region: "us-central1",
		Kind: deploy.KindDeploy, State: state, CreatedAt: at, UpdatedAt: at, LastActivityAt: at,
		Resources: []deploy.Resource{
			{Type: "compute_vm", Name: "web", Params: map[string]string{"size": "small", "region": "us-central1"}},
			{Type: "storage_bucket", Name: "assets"},
		},
	}
}

func goldenPlan() *deploy.Plan {
	return &deploy.Plan{
		Line: "Plan: 2 to add, 0 to change, 0 to destroy.", Add: 2,
		Changes: []deploy.Change{
			{Address: "terraform_data.compute_vm_web", Action: "create"},
			{Address: "terraform_data.storage_bucket_assets", Action: "create"},
		},
		Cost:      "$0.02/hour | $14.60/month",
		CostNotes: []string{"Unpriced: terraform_data.storage_bucket_assets", "Sandbox resources are priced as their gcp equivalents."},
	}
}

// goldenTypes are the resource types as the core hands them to the lobby
// from the catalog (the end-to-end tests render the real catalog's).
func goldenTypes() []deploy.ResourceType {
	return []deploy.ResourceType{{ID: "compute_vm", Label: "Virtual machine"}, {ID: "storage_bucket", Label: "Storage bucket"},
		{ID: "sql_database", Label: "SQL database"}, {ID: "network", Label: "Network"}}
}

func goldenViews() map[string]deploy.LobbyView {
	project := &deploy.Project{GuildID: "2200000000000000001", ID: "dev", Provider: "sandbox", Region: "us-central1", Description: "Development sandbox"}
	approvals := *project
	approvals.Approvals = 2
	views := map[string]deploy.LobbyView{}
	s := goldenSession(deploy.StateDraft)
	s.Resources = nil
	views["draft"] = deploy.LobbyView{Session: s, Project: project}
	views["planning"] = deploy.LobbyView{Session: goldenSession(deploy.StatePlanning), Project: project}
	views["planning_queued"] = deploy.LobbyView{Session: goldenSession(deploy.StatePlanning), Project: project, Queued: true}
	s = goldenSession(deploy.StatePlanned)
	s.Plan = goldenPlan()
	views["planned"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StatePlanFailed)
	s.Error = "Error: Invalid resource name\n\n" + strings.Repeat("terraform said something long. ", 80)
	views["plan_failed"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StateApplying)
	s.Plan = goldenPlan()
	views["applying"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StateApplied)
	s.Plan = goldenPlan()
	views["applied"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StatePlanned)
	s.Plan = goldenPlan()
	s.Approvals = []deploy.Approval{{UserID: "4400000000000000003", At: s.CreatedAt}}
	views["approvals_1_of_2"] = deploy.LobbyView{Session: s, Project: &approvals}
	s = goldenSession(deploy.StatePlanned)
	s.Kind, s.TargetID, s.Resources = deploy.KindDestroy, "m2p8q4rs", s.Resources[:1]
	s.Plan = &deploy.Plan{Line: "Plan: 0 to add, 0 to change, 1 to destroy.", Destroy: 1,
		Changes: []deploy.Change{{Address: "terraform_data.compute_vm_web", Action: "delete"}},
		Cost:    "-$0.01/hour | -$7.30/month", CostNotes: []string{"Sandbox resources are priced as their gcp equivalents."}}
	views["destroy"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StateExpired)
	views["expired"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StatePlanned)
	s.Kind, s.TargetID = deploy.KindUpdate, "m2p8q4rs"
	s.Resources[0].Params["size"] = "medium"
	s.Plan = &deploy.Plan{Line: "Plan: 0 to add, 1 to change, 0 to destroy.", Change: 1,
		Changes: []deploy.Change{{Address: "terraform_data.compute_vm_web", Action: "update"}},
		Cost:    "$0.03/hour | $24.53/month", CostNotes: []string{"Sandbox resources are priced as their gcp equivalents."}}
	views["update"] = deploy.LobbyView{Session: s, Project: project}
	s = goldenSession(deploy.StatePlanned)
	s.Kind, s.TargetID, s.Restores = deploy.KindUpdate, "m2p8q4rs", 2
	s.Plan = &deploy.Plan{Line: "No changes."}
	views["update_rollback_no_changes"] = deploy.LobbyView{Session: s, Project: project}
	for k, v := range views {
		v.Types = goldenTypes()
		views[k] = v
	}
	return views
}

func TestRenderLobbyGolden(t *testing.T) {
	for name, v := range goldenViews() {
		t.Run(name, func(t *testing.T) { golden(t, "lobby_"+name, renderLobby(v)) })
	}
}

// golden compares a rendered message with its golden file and checks it
// against Discord's limits.
func golden(t *testing.T, name string, msg any) {
	t.Helper()
	got, err := json.MarshalIndent(msg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handlers -run Golden -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
	checkLimits(t, got)
}

// checkLimits asserts that a rendered message stays inside Discord's limits.
func checkLimits(t *testing.T, raw []byte) {
	t.Helper()
	var m struct {
		Content string `json:"content"`
		Embeds  []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			Footer      *struct {
				Text string `json:"text"`
			} `json:"footer"`
			Fields []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"fields"`
		} `json:"embeds"`
		Components []struct {
			Components []struct {
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
				Options  []struct {
					Label string `json:"label"`
				} `json:"options"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	n := utf8.RuneCountInString
	if n(m.Content) > maxContent {
		t.Errorf("content of %d characters", n(m.Content))
	}
	total := 0
	for _, e := range m.Embeds {
		total += n(e.Title) + n(e.Description)
		if n(e.Title) > maxEmbedTitle || n(e.Description) > maxEmbedDescription || len(e.Fields) > maxEmbedFields {
			t.Errorf("embed title %d, description %d, %d fields", n(e.Title), n(e.Description), len(e.Fields))
		}
		if e.Footer != nil {
			total += n(e.Footer.Text)
			if n(e.Footer.Text) > maxEmbedFooter {
				t.Errorf("footer of %d characters", n(e.Footer.Text))
			}
		}
		for _, f := range e.Fields {
			total += n(f.Name) + n(f.Value)
			if n(f.Name) > maxFieldName || n(f.Value) > maxFieldValue || f.Value == "" {
				t.Errorf("field %q: name %d, value %d characters", f.Name, n(f.Name), n(f.Value))
			}
		}
	}
	if total > maxEmbedTotal {
		t.Errorf("embeds of %d characters", total)
	}
	if len(m.Components) > 5 {
		t.Errorf("%d action rows", len(m.Components))
	}
	for _, row := range m.Components {
		if len(row.Components) > 5 {
			t.Errorf("%d components in a row", len(row.Components))
		}
		for _, c := range row.Components {
			if n(c.Label) > maxButtonLabel || len(c.CustomID) > 100 || len(c.Options) > maxSelectOptions {
				t.Errorf("component %q: custom id %d, %d options", c.Label, len(c.CustomID), len(c.Options))
			}
			for _, o := range c.Options {
				if n(o.Label) > maxOptionLabel {
					t.Errorf("option label of %d characters", n(o.Label))
				}
			}
		}
	}
}

func TestRenderLobbyStaysInLimitsWithHugeInput(t *testing.T) {
	s := goldenSession(deploy.StatePlanned)
	s.Resources = nil
	for i := range 60 {
		s.Resources = append(s.Resources, deploy.Resource{Type: "compute_vm", Name: strings.Repeat("x", 38) + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			Params: map[string]string{"size": strings.Repeat("s", 40), "region": "europe-west1"}})
	}
	p := goldenPlan()
	p.Changes = nil
	for _, r := range s.Resources {
		p.Changes = append(p.Changes, deploy.Change{Address: "terraform_data.compute_vm_" + r.Name, Action: "replace"})
	}
	p.CostNotes = []string{"Unpriced: " + strings.Repeat("storage_bucket something, ", 100)}
	s.Plan, s.Error = p, strings.Repeat("é", 5000)
	s.Approvals = make([]deploy.Approval, 10)
	project := &deploy.Project{ID: "dev", Description: strings.Repeat("d", 5000), Approvals: 10}
	raw, err := json.Marshal(renderLobby(deploy.LobbyView{Session: s, Project: project, Notice: strings.Repeat("n", 3000), Types: goldenTypes()}))
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, raw)
}
