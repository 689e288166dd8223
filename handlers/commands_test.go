package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"slices"
	"testing"

	"github.com/disgoorg/snowflake/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// TestRegisterCommands registers the commands with the fake
// Discord, which validates the body against Discord's OpenAPI file, and
// checks what Discord then holds.
func TestRegisterCommands(t *testing.T) {
	fake := discordtest.NewServer(t, discordtest.Options{BotToken: "bot"})
	appID := snowflake.MustParse(fake.ApplicationID())
	c, err := discordhttp.New(discordhttp.Config{BaseURL: fake.URL(), ApplicationID: appID, BotToken: "bot",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	const guild = "2200000000000000001"
	got, err := c.BulkOverwriteCommands(context.Background(), snowflake.MustParse(guild), Commands(goldenTypes()))
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	if len(got) != 17 {
		t.Fatalf("Discord holds %d commands, want 17", len(got))
	}
	type option struct {
		Name         string `json:"name"`
		Type         int    `json:"type"`
		Required     bool   `json:"required"`
		Autocomplete bool   `json:"autocomplete"`
		Choices      []struct {
			Value string `json:"value"`
		} `json:"choices"`
	}
	type command struct {
		Name        string   `json:"name"`
		Permissions *string  `json:"default_member_permissions"`
		Contexts    []int    `json:"contexts"`
		Options     []option `json:"options"`
	}
	held := map[string]command{}
	for _, raw := range fake.Commands(guild) {
		var cmd command
		if err := json.Unmarshal(raw, &cmd); err != nil {
			t.Fatal(err)
		}
		held[cmd.Name] = cmd
	}
	admin := []string{cmdCreateProject, cmdSetQuota, cmdAdminList, cmdAdminCancel, cmdStats}
	all := append([]string{cmdDeploy, cmdDestroy, cmdList, cmdQuota, cmdProjects, cmdCancel, cmdGrant, cmdRevoke, cmdUpdate, cmdHistory, cmdDrift, cmdExtend}, admin...)
	for _, name := range all {
		cmd, ok := held[name]
		if !ok {
			t.Errorf("/%s not registered", name)
			continue
		}
		wantAdmin := slices.Contains(admin, name)
		if gotAdmin := cmd.Permissions != nil && *cmd.Permissions == "8"; gotAdmin != wantAdmin {
			t.Errorf("/%s default_member_permissions = %v, admin-only %v", name, cmd.Permissions, wantAdmin)
		}
		if !slices.Equal(cmd.Contexts, []int{0}) {
			t.Errorf("/%s contexts = %v, want guild only", name, cmd.Contexts)
		}
		for _, o := range cmd.Options {
			if (o.Name == "project" || o.Name == "session_id") != o.Autocomplete {
				t.Errorf("/%s option %s autocomplete = %v", name, o.Name, o.Autocomplete)
			}
		}
	}
	grant := held[cmdGrant]
	want := map[string]bool{"user": true, "project": true, "level": true, "duration": false}
	for _, o := range grant.Options {
		if req, ok := want[o.Name]; !ok || req != o.Required {
			t.Errorf("/cloud-grant option %s required=%v", o.Name, o.Required)
		}
		if o.Name == "level" && len(o.Choices) != 3 {
			t.Errorf("/cloud-grant level choices = %v", o.Choices)
		}
		if o.Name == "user" && o.Type != 6 {
			t.Errorf("/cloud-grant user type = %d, want USER (6)", o.Type)
		}
	}
	extend := map[string]bool{}
	for _, o := range held[cmdExtend].Options {
		extend[o.Name] = o.Required
	}
	if !maps.Equal(extend, map[string]bool{"session_id": true, "duration": true}) {
		t.Errorf("/cloud-extend options (name: required) %v", extend)
	}
	for _, name := range []string{cmdDeploy, cmdCreateProject} {
		if !slices.ContainsFunc(held[name].Options, func(o option) bool { return o.Name == "ttl" && !o.Required && o.Type == 3 }) {
			t.Errorf("/%s has no optional string option ttl", name)
		}
	}
}
