package tf

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// freeText gives representative valid values for the parameters that are
// not a choice; every other parameter is enumerated from the catalog.
var freeText = map[string]func(p providerSpec, typeID string) []string{
	paramDiskGB: func(p providerSpec, _ string) []string { return []string{p.diskDefault(), fmt.Sprint(diskMaxGB)} },
	paramCIDR:   func(providerSpec, string) []string { return []string{"10.0.0.0/16", "192.168.4.0/24"} },
	paramNetwork: func(p providerSpec, typeID string) []string {
		if _, refused := privateSQLNeeds[p.id]; refused && typeID == typeSQLDatabase {
			return []string{defaultNetwork}
		}
		return []string{defaultNetwork, schemaNetwork}
	},
}

// schemaNetwork is the session network a combination names; it is added
// to the configuration, in the resource's region.
const schemaNetwork = "net"

// schemaAccounts are the accounts each provider is generated with: none
// (the credentials' defaults) and one of each provider's kind.
var schemaAccounts = map[string][]string{
	deploy.ProviderGCP:     {"", goldenAccount[deploy.ProviderGCP]},
	deploy.ProviderAWS:     {"", goldenAccount[deploy.ProviderAWS]},
	deploy.ProviderAzure:   {"", goldenAccount[deploy.ProviderAzure]},
	deploy.ProviderSandbox: {""},
}

// combination is one configuration the catalog can generate.
type combination struct {
	provider, account string
	resource          deploy.Resource
}

func (c combination) String() string {
	keys := make([]string, 0, len(c.resource.Params))
	for k := range c.resource.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s account=%q %s", c.provider, c.account, c.resource.Type)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%s", k, c.resource.Params[k])
	}
	return b.String()
}

// combinations enumerates every provider × account × type × parameter
// value the catalog offers.
func combinations(t *testing.T, cat *Catalog) []combination {
	t.Helper()
	var out []combination
	for _, provider := range deploy.Providers() {
		p := cat.providers[provider]
		for _, typeID := range cat.order {
			values := map[string][]string{}
			for _, prm := range cat.types[typeID].params {
				switch {
				case prm.choices != nil:
					values[prm.id] = prm.choices(cat.types[typeID].target(p))
				case freeText[prm.id] != nil:
					values[prm.id] = freeText[prm.id](p, typeID)
				default:
					t.Fatalf("%s parameter %s is free text with no representative value in freeText", typeID, prm.id)
				}
			}
			for _, params := range product(cat.types[typeID].params, values) {
				for _, account := range schemaAccounts[provider] {
					out = append(out, combination{provider: provider, account: account,
						resource: deploy.Resource{Type: typeID, Name: schemaName(provider, typeID), Params: params}})
				}
			}
		}
	}
	return out
}

// product is the cartesian product of the parameters' values.
func product(params []param, values map[string][]string) []map[string]string {
	out := []map[string]string{{}}
	for _, prm := range params {
		var next []map[string]string
		for _, partial := range out {
			for _, v := range values[prm.id] {
				m := map[string]string{prm.id: v}
				for k, pv := range partial {
					m[k] = pv
				}
				next = append(next, m)
			}
		}
		out = next
	}
	return out
}

// schemaName is a valid name under every provider's rules for the type.
func schemaName(provider, typeID string) string {
	if provider == deploy.ProviderAzure && typeID == typeStorageBucket {
		return "demoassets"
	}
	return "demo-" + strings.ReplaceAll(typeID, "_", "-")
}

func (c combination) input(cat *Catalog) configInput {
	rs := []deploy.Resource{c.resource}
	if c.resource.Params[paramNetwork] == schemaNetwork {
		rs = append(rs, deploy.Resource{Type: typeNetwork, Name: schemaNetwork,
			Params: map[string]string{paramRegion: c.resource.Params[paramRegion]}})
	}
	return configInput{Provider: c.provider, Region: cat.DefaultRegion(c.provider), Account: c.account,
		Resources: rs, Backend: backendConfig{LocalPath: localStatePath}}
}

// TestConfigMatchesProviderSchemas generates every configuration the
// catalog offers and holds each against the real providers' schemas.
func TestConfigMatchesProviderSchemas(t *testing.T) {
	cat, schemas := NewCatalog(), loadSchemas(t)
	combos := combinations(t, cat)
	seen := map[string]bool{}
	for _, c := range combos {
		out, err := generateConfig(cat, c.input(cat))
		if err != nil {
			t.Errorf("%s: generate: %v", c, err)
			continue
		}
		for _, problem := range checkConfig(schemas, out) {
			t.Errorf("%s: %s", c, problem)
		}
		seen[c.provider+"/"+c.resource.Type] = true
	}
	if want := len(deploy.Providers()) * len(cat.order); len(seen) != want {
		t.Errorf("checked %d provider × type pairs, want %d", len(seen), want)
	}
	t.Logf("%d configurations checked", len(combos))
}

// TestSchemaCheckerCatchesMistakes breaks one generated configuration in
// each of the ways the checker exists for, and expects it to say so.
func TestSchemaCheckerCatchesMistakes(t *testing.T) {
	cat, schemas := NewCatalog(), loadSchemas(t)
	cases := []struct {
		name     string
		provider string
		typeID   string
		mutate   func(res map[string]any)
		want     string
	}{
		{"renamed attribute", deploy.ProviderGCP, typeComputeVM, func(r map[string]any) {
			at(r, "google_compute_instance")["machine_typ"] = at(r, "google_compute_instance")["machine_type"]
			delete(at(r, "google_compute_instance"), "machine_type")
		}, "machine_typ: no such attribute or block"},
		{"missing required", deploy.ProviderAWS, typeSQLDatabase, func(r map[string]any) {
			delete(at(r, "aws_db_instance"), "instance_class")
		}, "instance_class: required attribute missing"},
		{"computed-only set", deploy.ProviderAzure, typeStorageBucket, func(r map[string]any) {
			at(r, "azurerm_storage_account")["primary_blob_endpoint"] = "https://x"
		}, "primary_blob_endpoint: computed by the provider"},
		{"too many blocks", deploy.ProviderGCP, typeComputeVM, func(r map[string]any) {
			b := at(r, "google_compute_instance")["boot_disk"]
			at(r, "google_compute_instance")["boot_disk"] = []any{b, b}
		}, "boot_disk: 2 blocks, the schema allows"},
		{"wrong type", deploy.ProviderAzure, typeNetwork, func(r map[string]any) {
			at(r, "azurerm_virtual_network")["address_space"] = "10.0.0.0/16"
		}, "address_space: want a"},
		{"sandbox input renamed", deploy.ProviderSandbox, typeNetwork, func(r map[string]any) {
			at(r, "terraform_data")["inputs"] = at(r, "terraform_data")["input"]
			delete(at(r, "terraform_data"), "input")
		}, "inputs: no such attribute or block"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := generateConfig(cat, goldenInput(c.provider, c.typeID))
			if err != nil {
				t.Fatal(err)
			}
			if problems := checkConfig(schemas, out); len(problems) > 0 {
				t.Fatalf("unbroken config already fails: %v", problems)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			c.mutate(doc["resource"].(map[string]any))
			broken, _ := json.Marshal(doc)
			problems := checkConfig(schemas, broken)
			if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), c.want) {
				t.Fatalf("problems %q, want one containing %q", problems, c.want)
			}
		})
	}
}

// at returns the only block of tfType in a resource section.
func at(resources map[string]any, tfType string) map[string]any {
	for _, body := range resources[tfType].(map[string]any) {
		return body.(map[string]any)
	}
	return nil
}
