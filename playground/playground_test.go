package playground

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBootstrapTwiceKeepsTheDemoProject(t *testing.T) {
	dir := t.TempDir()
	first := startPlayground(t, dir)
	if err := first.pg.Bootstrap(context.Background()); err != nil {
		t.Fatalf("a second bootstrap on the same data: %v", err)
	}
	alice := Members()[1]
	r, err := first.pg.Interact(context.Background(), Interaction{UserID: alice.ID, Type: typeCommand,
		Data: command("cloud-projects")})
	if err != nil || r.Status != http.StatusOK {
		t.Fatalf("projects: %v %+v", err, r)
	}
	if !strings.Contains(first.logs.String(), "Project demo already exists") {
		t.Errorf("the second bootstrap did not meet the existing project")
	}
}

func TestEphemeralRepliesOnlyForTheirMember(t *testing.T) {
	r := startPlayground(t, t.TempDir())
	ada, alice := Members()[0], Members()[1]
	tests := []struct {
		name   string
		userID string
		want   bool
	}{
		{"the administrator who ran the setup sees its answers", ada.ID, true},
		{"another member does not", alice.ID, false},
		{"nobody in particular does not", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := false
			for _, m := range r.pg.view(tt.userID).Messages {
				if m.Ephemeral && strings.HasPrefix(m.Content, "Granted deploy on project demo") {
					got = true
				}
			}
			if got != tt.want {
				t.Errorf("sees the setup's ephemeral answers: %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPageAPI(t *testing.T) {
	r := startPlayground(t, t.TempDir())
	tests := []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"page", "GET", "/", "", 200, "Cloud Engine playground"},
		{"script", "GET", "/playground/static/app.js", "", 200, "EventSource"},
		{"commands", "GET", "/playground/commands", "", 200, `"name":"cloud-create-project"`},
		{"state", "GET", "/playground/state?user=" + Members()[0].ID, "", 200, `"name":"deployments"`},
		{"unknown member", "POST", "/playground/interact", `{"user_id":"1","type":2,"data":{}}`, 502, "unknown member"},
		{"bad body", "POST", "/playground/interact", `{`, 400, "bad interaction"},
		{"autocomplete", "POST", "/playground/interact", `{"user_id":"` + Members()[1].ID +
			`","type":4,"data":{"id":"1","name":"cloud-deploy","type":1,"options":[{"name":"project","type":3,"value":"de","focused":true}]}}`,
			200, `"value":"demo"`},
		{"missing attachment", "GET", "/playground/attachments/1/2/x.txt", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, r.url+tt.path, strings.NewReader(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.contains) {
				t.Errorf("%s %s = %d %s; want %d containing %q", tt.method, tt.path, resp.StatusCode, b, tt.status, tt.contains)
			}
		})
	}
}

func TestCommandsCarryTheirDefinitions(t *testing.T) {
	b, err := commandsJSON()
	if err != nil {
		t.Fatal(err)
	}
	var cmds []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Options []struct {
			Name         string `json:"name"`
			Autocomplete bool   `json:"autocomplete"`
			Required     bool   `json:"required"`
		} `json:"options"`
	}
	if err := json.Unmarshal(b, &cmds); err != nil {
		t.Fatal(err)
	}
	if len(cmds) != 17 {
		t.Fatalf("%d commands, want 17", len(cmds))
	}
	ids := map[string]bool{}
	for _, c := range cmds {
		if c.ID == "" || ids[c.ID] {
			t.Errorf("command %s has a missing or repeated id %q", c.Name, c.ID)
		}
		ids[c.ID] = true
		if c.Name == "cloud-deploy" && (len(c.Options) == 0 || !c.Options[0].Autocomplete || !c.Options[0].Required) {
			t.Errorf("cloud-deploy's project option lost its flags: %+v", c.Options)
		}
	}
}
