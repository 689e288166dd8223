package charttest

import (
	"strings"
	"testing"
)

// TestChartRendersTenancy: tenancy.allowedGuildIds and allowedAccounts
// reach the engine as ALLOWED_GUILD_IDS and ALLOWED_ACCOUNTS, aws ARNs and
// their colons intact.
func TestChartRendersTenancy(t *testing.T) {
	cases := []struct {
		name             string
		files, sets      []string
		guilds, accounts string
	}{
		{name: "defaults: every server, no account"},
		{name: "values file", files: []string{"postgres.yaml"},
			guilds:   "2200000000000000001,2200000000000000002",
			accounts: "gcp:acme-dev-123,aws:arn:aws:iam::123456789012:role/ce-dev"},
		{name: "one of each", sets: []string{`tenancy.allowedGuildIds[0]=2200000000000000003`, `tenancy.allowedAccounts[0]=azure:rg-dev`},
			guilds: "2200000000000000003", accounts: "azure:rg-dev"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := templateArgs(tc.files, nil)
			for _, s := range tc.sets {
				args = append(args, "--set-string", s)
			}
			out, err := runHelm(t, args...)
			if err != nil {
				t.Fatalf("helm template: %v", err)
			}
			rel, err := decodeRelease(out)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range map[string]string{"ALLOWED_GUILD_IDS": tc.guilds, "ALLOWED_ACCOUNTS": tc.accounts} {
				got, ok := rel.ConfigMap.Data[name]
				if !ok || got != want {
					t.Errorf("ConfigMap %s = %q (set: %v), want %q", name, got, ok, want)
				}
			}
		})
	}
}

// TestChartRefusesMangledTenancy: an unquoted Discord id would reach the
// engine as 2.2e+18, and a comma inside an item would split it; both stop
// the rendering with the value named.
func TestChartRefusesMangledTenancy(t *testing.T) {
	cases := []struct {
		name, set, message string
	}{
		{"unquoted guild id", "tenancy.allowedGuildIds={2200000000000000001}", "tenancy.allowedGuildIds: 2200000000000000001 is not a string"},
		{"two accounts in one item", `tenancy.allowedAccounts[0]=gcp:a\,gcp:b`, `tenancy.allowedAccounts: "gcp:a,gcp:b" must be one non-empty item`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runHelm(t, templateArgs(nil, []string{tc.set})...)
			if err == nil {
				t.Fatalf("helm template succeeded, want a failure naming %q; rendered %d bytes", tc.message, len(out))
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("helm template error = %v, want it to contain %q", err, tc.message)
			}
		})
	}
}
