package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestLoadTenancy(t *testing.T) {
	tests := []struct {
		name     string
		guilds   string
		accounts string
		wantG    []string
		wantA    deploy.AllowedAccounts
	}{
		{name: "unset: every server, no account", wantA: deploy.AllowedAccounts{}},
		{name: "guilds with spaces and a trailing comma", guilds: " 2200000000000000001, 2200000000000000002 ,",
			wantG: []string{"2200000000000000001", "2200000000000000002"}, wantA: deploy.AllowedAccounts{}},
		{name: "one account per provider, an aws ARN split on its first colon",
			accounts: "gcp:acme-dev-123,aws:arn:aws:iam::123456789012:role/ce-dev,azure:rg-dev",
			wantA: deploy.AllowedAccounts{"gcp": {"acme-dev-123"}, "aws": {"arn:aws:iam::123456789012:role/ce-dev"},
				"azure": {"rg-dev"}}},
		{name: "several for one provider, spaces and a repeat",
			accounts: " gcp : acme-dev-123 , gcp:acme-test-456,gcp:acme-dev-123,",
			wantA:    deploy.AllowedAccounts{"gcp": {"acme-dev-123", "acme-test-456"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(serveEnv(map[string]string{"ALLOWED_GUILD_IDS": tt.guilds, "ALLOWED_ACCOUNTS": tt.accounts})), NeedServe)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.AllowedGuildIDs, tt.wantG) {
				t.Errorf("AllowedGuildIDs = %q, want %q", c.AllowedGuildIDs, tt.wantG)
			}
			if !reflect.DeepEqual(c.AllowedAccounts, tt.wantA) {
				t.Errorf("AllowedAccounts = %q, want %q", c.AllowedAccounts, tt.wantA)
			}
		})
	}
}

func TestLoadTenancyErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name, variable, value, want string
	}{
		{"guild that is not a Discord id", "ALLOWED_GUILD_IDS", "2200000000000000001,acme", `"acme" is not a Discord id`},
		{"unknown provider", "ALLOWED_ACCOUNTS", "gcp:acme-dev-123,ibm:acme", `unknown provider "ibm"`},
		{"provider in capitals", "ALLOWED_ACCOUNTS", "GCP:acme-dev-123", `unknown provider "GCP"`},
		{"empty account", "ALLOWED_ACCOUNTS", "aws:", "the account is empty"},
		{"blank account", "ALLOWED_ACCOUNTS", "azure:  ", "the account is empty"},
		{"no colon", "ALLOWED_ACCOUNTS", "acme-dev-123", "is not a provider:account pair"},
		{"empty provider", "ALLOWED_ACCOUNTS", ":acme-dev-123", `unknown provider ""`},
		{"sandbox", "ALLOWED_ACCOUNTS", "sandbox:anything", "sandbox projects take no account"},
		{"sandbox without an account", "ALLOWED_ACCOUNTS", "sandbox:", "sandbox projects take no account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Malformed values stop every subcommand, not only serve.
			for _, need := range []Need{NeedServe, NeedDatabase} {
				_, err := Load(env(serveEnv(map[string]string{tt.variable: tt.value})), need)
				var ce *Error
				if !errors.As(err, &ce) || ce.Variable != tt.variable {
					t.Fatalf("need %d: err = %v, want one naming %s", need, err, tt.variable)
				}
				if !strings.HasPrefix(err.Error(), tt.variable+": ") || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
					t.Errorf("need %d: error %q, want one line naming %s and saying %q", need, err, tt.variable, tt.want)
				}
			}
		})
	}
}
