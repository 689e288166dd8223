package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/config"
	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/deploy"
)

const (
	msgNotEnabled = "This server is not enabled for Cloud Engine."
	// disabledGuild is a server the operator did not list.
	disabledGuild = "2200000000000000009"
)

// TestServerNotEnabled: with ALLOWED_GUILD_IDS set, every interaction from
// another server is refused in SPEC's words and stores nothing, its
// autocomplete offers nothing, and PINGs are still answered.
func TestServerNotEnabled(t *testing.T) {
	t.Parallel()
	h := start(t, options{configure: func(c *config.Config) { c.AllowedGuildIDs = []string{guildID} }})
	h.setupProject("dev", 0, grant{alice, "deploy"})
	l, _ := h.openLobby(alice, "dev")
	sid := l.field("Session")
	// A project of the other server, as if it had been served before the
	// operator set the list: without the check its administrator would
	// see it offered and could open a lobby on it.
	ctx := context.Background()
	if err := h.main.DB.CreateProject(ctx, &deploy.Project{GuildID: disabledGuild, ID: "theirs", Provider: deploy.ProviderSandbox,
		Region: h.main.Service.Catalog().DefaultRegion(deploy.ProviderSandbox), Description: "x", CreatedBy: "1", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	before := h.rowCounts()

	stranger := user{ID: "4400000000000000077", Perms: "8", Guild: disabledGuild}
	tests := []struct {
		name string
		r    reply
	}{
		{"create project", h.command(stranger, "cloud-create-project", opt{"project_id", "fresh"}, opt{"provider", "sandbox"}, opt{"description", "x"})},
		{"deploy", h.command(stranger, "cloud-deploy", opt{"project", "theirs"})},
		{"grant", h.command(stranger, "cloud-grant", opt{"user", bob}, opt{"project", "theirs"}, opt{"level", "deploy"})},
		{"projects", h.command(stranger, "cloud-projects")},
		{"list", h.command(stranger, "cloud-list")},
		{"button", h.click(stranger, l.ID, l.id("Cancel"))},
		{"select", h.choose(stranger, l.ID, l.id("Add a resource…"), "compute_vm")},
		{"modal", h.submit(stranger, l.ID, "resource:"+sid+":compute_vm", map[string]string{"name": "web", "size": "small"})},
		{"unknown action", h.click(stranger, l.ID, "launch:"+sid)},
	}
	for _, tc := range tests {
		if tc.r.Type != 4 || !tc.r.Ephemeral() || tc.r.Content() != msgNotEnabled {
			t.Errorf("%s: answer %s, want the ephemeral %q", tc.name, tc.r.Raw, msgNotEnabled)
		}
	}
	for _, ac := range []struct{ cmd, opt string }{{"cloud-deploy", "project"}, {"cloud-quota", "project"}, {"cloud-admin-cancel", "session_id"}} {
		if cs := h.choices(h.autocomplete(stranger, ac.cmd, ac.opt, "")); len(cs) != 0 {
			t.Errorf("autocomplete of %s from a server not enabled offers %v", ac.cmd, choiceValues(cs))
		}
	}
	for _, g := range []string{"", disabledGuild} {
		if r := h.ping(g); r.Status != 200 || r.Type != 1 {
			t.Errorf("PING with guild %q answered %d %s", g, r.Status, r.Raw)
		}
	}

	if after := h.rowCounts(); after != before {
		t.Errorf("rows changed by a server not enabled:\nbefore %s\nafter  %s", before, after)
	}
	if _, total, err := h.main.DB.ListSessions(ctx, deploy.SessionFilter{GuildID: disabledGuild}); err != nil || total != 0 {
		t.Errorf("sessions of the server not enabled: %d %v", total, err)
	}
	if _, err := h.main.DB.GetProject(ctx, disabledGuild, "fresh"); deploy.ErrorCode(err) != deploy.ENOTFOUND {
		t.Errorf("project created from a server not enabled: %v", err)
	}
	if got := h.lobbyNow(l.ID); got.field("State") != "DRAFT" || got.field("Resources") != l.field("Resources") {
		t.Errorf("the enabled server's lobby changed: %s %s", got.field("State"), got.field("Resources"))
	}
	if ss, total, err := h.main.DB.ListSessions(ctx, deploy.SessionFilter{GuildID: guildID}); err != nil || total != 1 || ss[0].ID != sid {
		t.Errorf("sessions of the enabled server: %d %v, want only %s", total, err, sid)
	}
	for _, m := range []struct{ typ, name string }{{"command", "cloud-deploy"}, {"component", "cancel"}, {"modal", "resource"}, {"autocomplete", "cloud-deploy"}} {
		if n := h.interactions(m.typ, m.name, "denied"); n < 1 {
			t.Errorf("cloudengine_interactions_total{type=%s,name=%s,outcome=denied} = %v", m.typ, m.name, n)
		}
	}
}

// TestEveryServerWhenNoneListed: without ALLOWED_GUILD_IDS any server is
// served, and the start says so.
func TestEveryServerWhenNoneListed(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	other := user{ID: "4400000000000000078", Perms: "8", Guild: disabledGuild}
	if r := h.command(other, "cloud-create-project", opt{"project_id", "dev"}, opt{"provider", "sandbox"}, opt{"description", "x"}); !strings.HasPrefix(r.Content(), "Project dev created") {
		t.Errorf("create project answered %s", r.Raw)
	}
	if n := strings.Count(h.logs.String(), "ALLOWED_GUILD_IDS is empty"); n != 1 {
		t.Errorf("%d warnings about ALLOWED_GUILD_IDS, want 1", n)
	}
}

// TestAllowedAccounts: a project's account must be one the operator listed
// for its provider; none is the credentials' default; sandbox takes none.
func TestAllowedAccounts(t *testing.T) {
	t.Parallel()
	h := start(t, options{configure: func(c *config.Config) {
		var err error
		c.AllowedAccounts, err = deploy.ParseAllowedAccounts("gcp:acme-dev-123,aws:arn:aws:iam::123456789012:role/ce-dev,azure:rg-dev")
		if err != nil {
			t.Fatal(err)
		}
	}})
	const created = "created"
	tests := []struct {
		name, provider, account string
		want                    string // the exact answer, or created
	}{
		{"gcp listed", "gcp", "acme-dev-123", created},
		{"gcp not listed", "gcp", "acme-prod", "Account acme-prod is not allowed for gcp."},
		{"gcp without an account", "gcp", "", created},
		{"azure listed", "azure", "rg-dev", created},
		{"azure: listed for gcp only", "azure", "acme-dev-123", "Account acme-dev-123 is not allowed for azure."},
		{"aws ARN not listed", "aws", "arn:aws:iam::123456789012:role/ce-prod", "Account arn:aws:iam::123456789012:role/ce-prod is not allowed for aws."},
		{"aws: a part of the listed ARN", "aws", "role/ce-dev", "Account role/ce-dev is not allowed for aws."},
		{"aws without an account", "aws", "", created},
		{"sandbox with an account", "sandbox", "acme-dev-123", "Sandbox projects take no account"},
		{"sandbox without", "sandbox", "", created},
	}
	for i, tc := range tests {
		id := fmt.Sprintf("p%d", i)
		opts := []opt{{"project_id", id}, {"provider", tc.provider}, {"description", tc.name}}
		if tc.account != "" {
			opts = append(opts, opt{"account", tc.account})
		}
		r := h.command(admin, "cloud-create-project", opts...)
		_, err := h.main.DB.GetProject(context.Background(), guildID, id)
		switch {
		case !r.Ephemeral():
			t.Errorf("%s: answer %s, want an ephemeral one", tc.name, r.Raw)
		case tc.want == created && (!strings.HasPrefix(r.Content(), "Project "+id+" created") || err != nil):
			t.Errorf("%s: answer %q (stored: %v), want the project created", tc.name, r.Content(), err)
		case tc.want != created && (!strings.HasPrefix(r.Content(), tc.want) || deploy.ErrorCode(err) != deploy.ENOTFOUND):
			t.Errorf("%s: answer %q (stored: %v), want %q and no project", tc.name, r.Content(), err, tc.want)
		}
	}
	// The listed ARN, colons and all, passes the operator's list and the
	// catalog's rule: an aws account is the IAM role the runs assume.
	r := h.command(admin, "cloud-create-project", opt{"project_id", "arn-listed"}, opt{"provider", "aws"},
		opt{"description", "x"}, opt{"account", "arn:aws:iam::123456789012:role/ce-dev"})
	if !strings.HasPrefix(r.Content(), "Project arn-listed created") {
		t.Errorf("the listed aws ARN: answer %q, want the project created", r.Content())
	}
}

// TestPlanRefusesAnAccountNoLongerAllowed: a project created while its
// account was listed plans no more once the operator removed it.
func TestPlanRefusesAnAccountNoLongerAllowed(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	if err := h.main.DB.CreateProject(context.Background(), &deploy.Project{GuildID: guildID, ID: "legacy", Provider: deploy.ProviderGCP,
		Region: h.main.Service.Catalog().DefaultRegion(deploy.ProviderGCP), Account: "acme-old-123", Description: "x",
		CreatedBy: admin.ID, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	l, _ := h.openLobby(admin, "legacy")
	if r := h.addResource(admin, l, "compute_vm", map[string]string{"name": "web", "size": "small"}); r.Type != 6 {
		t.Fatalf("adding a VM answered %s", r.Raw)
	}
	l = h.waitState(l.ID, "PLAN_FAILED", 30*time.Second)
	if got, want := l.field("Error"), "Account acme-old-123 is not allowed for gcp."; got != want {
		t.Errorf("error field %q, want %q", got, want)
	}
	if h.interactions("command", "cloud-deploy", "ok") < 1 {
		t.Error("the deploy itself was not served")
	}
}

// rowCounts lists how many rows every table of the SQLite store holds.
func (h *harness) rowCounts() string {
	h.t.Helper()
	x, err := sql.Open("sqlite", filepath.Join(h.main.Config.DataDir, db.SQLiteFile))
	if err != nil {
		h.t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		h.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			h.t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 5 {
		h.t.Fatalf("only tables %v", tables)
	}
	var b strings.Builder
	for _, tb := range tables {
		var n int
		if err := x.QueryRow(`SELECT count(*) FROM "` + tb + `"`).Scan(&n); err != nil {
			h.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", tb, n)
	}
	return b.String()
}

// ping sends a PING, with a guild id when guild is set.
func (h *harness) ping(guild string) reply {
	h.t.Helper()
	body := fmt.Sprintf(`{"id":%q,"application_id":%q,"type":1,"token":"ping-token","version":1`, h.snowflake(), appID)
	if guild != "" {
		body += fmt.Sprintf(`,"guild_id":%q`, guild)
	}
	return h.postRaw([]byte(body+"}"), time.Now())
}

// interactions reads cloudengine_interactions_total for one label set.
func (h *harness) interactions(typ, name, outcome string) float64 {
	h.t.Helper()
	mfs, err := h.main.Registry.Gather()
	if err != nil {
		h.t.Fatal(err)
	}
	want := map[string]string{"type": typ, "name": name, "outcome": outcome}
	for _, mf := range mfs {
		if mf.GetName() != "cloudengine_interactions_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := 0
			for _, lp := range m.GetLabel() {
				if want[lp.GetName()] == lp.GetValue() {
					match++
				}
			}
			if match == len(want) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
