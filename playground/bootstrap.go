package playground

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// DemoProject is the sandbox project a newcomer deploys to.
const DemoProject = "demo"

// Bootstrap creates the demo project and grants the two members deploy on
// it, through real signed admin interactions, so that a newcomer deploys in
// three clicks. Later starts find the project there already.
func (p *Playground) Bootstrap(ctx context.Context) error {
	ms := Members()
	admin := ms[0]
	create := command("cloud-create-project",
		option{"project_id", 3, DemoProject}, option{"provider", 3, "sandbox"},
		option{"description", 3, "A sandbox to try Cloud Engine: real terraform, no cloud account"})
	if err := p.bootstrapStep(ctx, admin.ID, create, "Project "+DemoProject+" created", "Project "+DemoProject+" already exists"); err != nil {
		return err
	}
	for _, m := range ms[1:] {
		grant := command("cloud-grant", option{"user", 6, m.ID}, option{"project", 3, DemoProject}, option{"level", 3, "deploy"})
		if err := p.bootstrapStep(ctx, admin.ID, grant, "Granted deploy"); err != nil {
			return err
		}
	}
	return nil
}

// bootstrapStep runs one admin command and fails unless the answer starts
// with one of the accepted texts.
func (p *Playground) bootstrapStep(ctx context.Context, userID string, data json.RawMessage, accepted ...string) error {
	r, err := p.Interact(ctx, Interaction{UserID: userID, Type: typeCommand, Data: data})
	if err != nil {
		return fmt.Errorf("playground setup %s: %w", commandName(data), err)
	}
	var d struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(r.Data, &d)
	for _, a := range accepted {
		if r.Status == http.StatusOK && r.Error == "" && strings.HasPrefix(d.Content, a) {
			p.log.Info("playground setup", "command", commandName(data), "answer", d.Content)
			return nil
		}
	}
	return fmt.Errorf("playground setup %s: status %d: %s %s", commandName(data), r.Status, d.Content, r.Error)
}

type option struct {
	Name  string
	Type  int
	Value any
}

// command is the data of a slash command as Discord sends it.
func command(name string, opts ...option) json.RawMessage {
	list := make([]map[string]any, len(opts))
	for i, o := range opts {
		list[i] = map[string]any{"name": o.Name, "type": o.Type, "value": o.Value}
	}
	b, _ := json.Marshal(map[string]any{"id": commandID(name), "name": name, "type": 1, "options": list})
	return b
}

// commandID is a stable snowflake per command name, as Discord's
// registered commands have.
func commandID(name string) string {
	for i, c := range commandNames() {
		if c == name {
			return fmt.Sprintf("13000000000000001%02d", i)
		}
	}
	return "1300000000000000100"
}
