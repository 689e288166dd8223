package tf

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenAccount is a valid account for each provider.
var goldenAccount = map[string]string{
	deploy.ProviderGCP: "acme-dev-123", deploy.ProviderAWS: "arn:aws:iam::123456789012:role/ce-dev",
	deploy.ProviderAzure: "rg-acme-dev", deploy.ProviderSandbox: "",
}

func goldenInput(provider, typeID string) configInput {
	r := deploy.Resource{Type: typeID, Name: "demo", Params: map[string]string{}}
	if typeID == typeStorageBucket {
		r.Name = "demo-assets"
		if provider == deploy.ProviderAzure {
			r.Name = "demoassets"
		}
		r.Params[paramVersioning] = "on"
	}
	cat := NewCatalog()
	return configInput{Provider: provider, Region: cat.DefaultRegion(provider), Account: goldenAccount[provider],
		Resources: []deploy.Resource{r}, Backend: backendConfig{LocalPath: localStatePath}}
}

func TestConfigGolden(t *testing.T) {
	cat := NewCatalog()
	for _, provider := range deploy.Providers() {
		for _, typeID := range cat.order {
			name := provider + "_" + typeID
			t.Run(name, func(t *testing.T) {
				got, err := generateConfig(cat, goldenInput(provider, typeID))
				if err != nil {
					t.Fatalf("generate: %v", err)
				}
				path := filepath.Join("testdata", "golden", name+".tf.json")
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./tf -run TestConfigGolden -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the generated config:\n%s", path, got)
				}
				tfType := cat.types[typeID].on[provider].tfType
				if !strings.Contains(string(got), `"`+tfType+`"`) {
					t.Errorf("config has no %s", tfType)
				}
			})
		}
	}
}

func TestConfigBackends(t *testing.T) {
	cat := NewCatalog()
	in := goldenInput(deploy.ProviderSandbox, typeNetwork)
	in.Backend = backendConfig{PG: true}
	out, err := generateConfig(cat, in)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Terraform struct {
			Backend map[string]map[string]string `json:"backend"`
		} `json:"terraform"`
	}
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatal(err)
	}
	if c.Terraform.Backend["pg"]["schema_name"] != "terraform_state" || len(c.Terraform.Backend["pg"]) != 1 {
		t.Errorf("pg backend %v: want the schema only, never a connection string", c.Terraform.Backend)
	}
	in.Backend = backendConfig{}
	if _, err := generateConfig(cat, in); err == nil {
		t.Error("a config without a backend was generated")
	}
}

func TestConfigRejects(t *testing.T) {
	cat := NewCatalog()
	cases := []struct {
		name string
		mod  func(*configInput)
		want string
	}{
		{"duplicate names", func(in *configInput) { in.Resources = append(in.Resources, in.Resources[0]) }, "unique within a session"},
		{"template in account", func(in *configInput) { in.Account = "${file(\"/etc/passwd\")}" }, "Invalid account"},
		{"template in name", func(in *configInput) { in.Resources[0].Name = "a${x}" }, "Invalid name"},
		{"unknown provider", func(in *configInput) { in.Provider = "oracle" }, "Unknown provider"},
		{"unknown type", func(in *configInput) { in.Resources[0].Type = "dns_zone" }, "Unknown resource type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goldenInput(deploy.ProviderGCP, typeComputeVM)
			c.mod(&in)
			_, err := generateConfig(cat, in)
			if err == nil || !strings.Contains(deploy.ErrorMessage(err), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

// TestConfigAppliesSafely pins the defaults without which a real provider
// accepts the plan and then fails or defers the apply.
func TestConfigAppliesSafely(t *testing.T) {
	cat := NewCatalog()
	cases := []struct {
		provider, typeID, path string
		want                   any
	}{
		// a size change stops the instance; the provider refuses without this
		{"gcp", "compute_vm", "resource.google_compute_instance.demo.allow_stopping_for_update", true},
		// a resize waits for the maintenance window without this
		{"aws", "sql_database", "resource.aws_db_instance.demo.apply_immediately", true},
		// the Ubuntu image's disk is 30 GB; Azure refuses a smaller OS disk
		{"azure", "compute_vm", "resource.azurerm_linux_virtual_machine.demo.os_disk.disk_size_gb", 30.0},
		// the resource group is looked up, so a missing one fails the plan naming it
		{"azure", "storage_bucket", "data.azurerm_resource_group.account.name", "rg-acme-dev"},
		{"azure", "storage_bucket", "resource.azurerm_storage_account.demoassets.resource_group_name", "${data.azurerm_resource_group.account.name}"},
		{"azure", "compute_vm", "resource.azurerm_network_interface.demo.resource_group_name", "${data.azurerm_resource_group.account.name}"},
		// Azure picks the server's zone and the provider refuses to change it
		// back: without this every later plan wants zone → null and fails
		{"azure", "sql_database", "resource.azurerm_postgresql_flexible_server.demo.lifecycle.ignore_changes", []any{"zone"}},
		// Azure wants upper, lower and digit in a password without specials
		{"azure", "sql_database", "resource.random_password.demo.min_upper", 1.0},
		{"azure", "sql_database", "resource.random_password.demo.min_lower", 1.0},
		{"azure", "sql_database", "resource.random_password.demo.min_numeric", 1.0},
		{"azure", "sql_database", "resource.random_password.demo.lifecycle.ignore_changes", []any{"min_upper", "min_lower", "min_numeric"}},
	}
	for _, c := range cases {
		t.Run(c.provider+"/"+c.path, func(t *testing.T) {
			out, err := generateConfig(cat, goldenInput(c.provider, c.typeID))
			if err != nil {
				t.Fatal(err)
			}
			if got := jsonPath(t, out, c.path); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s = %v, want %v", c.path, got, c.want)
			}
		})
	}
	in := goldenInput("azure", "network")
	in.Account = ""
	out, err := generateConfig(cat, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonPath(t, out, "data.azurerm_resource_group.account.name"); got != azureDefaultRG {
		t.Errorf("without an account the group looked up is %v, want %s", got, azureDefaultRG)
	}
}

// jsonPath reads a dotted path of object keys from a JSON document.
func jsonPath(t *testing.T, doc []byte, path string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %s is not inside an object", path, k)
		}
		v = m[k]
	}
	return v
}

// TestGenerateChecksRegion: the provider block's region is checked like
// every other value, and an empty one is the provider's default.
func TestGenerateChecksRegion(t *testing.T) {
	cat := NewCatalog()
	cases := []struct {
		region, want string // want: the provider block's region, or the error
	}{
		{"", "us-central1"},
		{"europe-west1", "europe-west1"},
		{"${path.cwd}", `Invalid region "${path.cwd}": gcp regions are us-central1, us-east1, europe-west1, europe-west4, asia-southeast1.`},
		{"mars-north1", `Invalid region "mars-north1": gcp regions are us-central1, us-east1, europe-west1, europe-west4, asia-southeast1.`},
	}
	for _, c := range cases {
		t.Run(c.region, func(t *testing.T) {
			in := goldenInput(deploy.ProviderGCP, typeNetwork)
			in.Region, in.Resources = c.region, nil
			out, err := generateConfig(cat, in)
			if err != nil {
				if deploy.ErrorMessage(err) != c.want {
					t.Fatalf("got %v, want %s", err, c.want)
				}
				return
			}
			if got := jsonPath(t, out, "provider.google.region"); got != c.want {
				t.Errorf("provider region %v, want %s", got, c.want)
			}
		})
	}
}
