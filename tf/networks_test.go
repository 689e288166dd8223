package tf

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func inNetwork(r deploy.Resource, network string) deploy.Resource {
	if r.Params == nil {
		r.Params = map[string]string{}
	}
	r.Params[paramNetwork] = network
	return r
}

func TestNetworkRules(t *testing.T) {
	cat := NewCatalog()
	db := deploy.Resource{Type: typeSQLDatabase, Name: "pgdb"}
	cases := []struct {
		name, provider string
		rs             []deploy.Resource
		want           string // "" = valid
	}{
		{"default network", "aws", []deploy.Resource{vm("web")}, ""},
		{"empty is default", "aws", []deploy.Resource{inNetwork(vm("web"), "")}, ""},
		{"session network", "aws", []deploy.Resource{inNetwork(vm("web"), "net"), network("net")}, ""},
		{"aws database in a session network", "aws", []deploy.Resource{network("net"), inNetwork(db, "net")}, ""},
		{"no such network", "gcp", []deploy.Resource{inNetwork(vm("web"), "net")},
			`Invalid network "net" for web: this deployment has no network resource named net; add one or use default.`},
		{"a VM is not a network", "sandbox", []deploy.Resource{vm("net"), inNetwork(vm("web"), "net")},
			`Invalid network "net" for web: this deployment has no network resource named net; add one or use default.`},
		{"another region", "aws", []deploy.Resource{inNetwork(vm("web"), "net"),
			{Type: typeNetwork, Name: "net", Params: map[string]string{paramRegion: "eu-west-1"}}},
			`Invalid network "net" for web: net is in eu-west-1 and web in us-east-1; a resource must be in its network's region.`},
		{"not a name", "aws", []deploy.Resource{inNetwork(vm("web"), "Net_1")},
			`Invalid network "Net_1": use default or the name of a network resource of this deployment.`},
		{"network named default", "gcp", []deploy.Resource{network("default")},
			`Invalid name "default": a network must not be named "default": that name means the provider's default network.`},
		{"gcp database in a session network", "gcp", []deploy.Resource{network("net"), inNetwork(db, "net")},
			`Invalid network "net": gcp sql_database servers use default (their provider's own network); a private one needs private services access, which Cloud Engine does not create.`},
		{"azure network named as a VM's own", "azure", []deploy.Resource{vm("web"), network("web-vnet")},
			`Invalid name "web-vnet": on azure, web-vnet is the name of the network that compute_vm web gets of its own; name the network otherwise, or put web into it.`},
		{"the VM in that network", "azure", []deploy.Resource{inNetwork(vm("web"), "web-vnet"), network("web-vnet")}, ""},
		{"the same names elsewhere", "gcp", []deploy.Resource{vm("web"), network("web-vnet")}, ""},
		{"azure database in a session network", "azure", []deploy.Resource{network("net"), inNetwork(db, "net")},
			`Invalid network "net": azure sql_database servers use default (their provider's own network); a private one needs a delegated subnet and a private DNS zone, which Cloud Engine does not create.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := cat.validateAll(c.provider, "", c.rs)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if deploy.ErrorCode(err) != deploy.EINVALID || deploy.ErrorMessage(err) != c.want {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
			// the generator refuses it too: no reference may dangle
			in := configInput{Provider: c.provider, Resources: c.rs, Backend: backendConfig{LocalPath: "/s"}}
			if _, err := generateConfig(cat, in); deploy.ErrorMessage(err) != c.want {
				t.Errorf("generate: %v", err)
			}
		})
	}
}

func inRegion(r deploy.Resource, region string) deploy.Resource {
	params := map[string]string{paramRegion: region}
	for k, v := range r.Params {
		if k != paramRegion {
			params[k] = v
		}
	}
	r.Params = params
	return r
}

// TestNetworkReferences: a resource in a session network refers to it, so
// terraform creates the network first; one in the default network looks
// the default up in the plan.
func TestNetworkReferences(t *testing.T) {
	cat := NewCatalog()
	db := inNetwork(deploy.Resource{Type: typeSQLDatabase, Name: "db"}, "net")
	cases := []struct {
		provider string
		rs       []deploy.Resource
		path     string
		want     any
	}{
		{"gcp", []deploy.Resource{inNetwork(vm("web"), "net"), network("net")},
			"resource.google_compute_instance.web.network_interface.subnetwork", "${google_compute_subnetwork.net.self_link}"},
		{"gcp", []deploy.Resource{vm("web")},
			"resource.google_compute_instance.web.network_interface.subnetwork", "${data.google_compute_subnetwork.default_us_central1.self_link}"},
		{"gcp", []deploy.Resource{vm("web")}, "data.google_compute_subnetwork.default_us_central1.name", "default"},
		// us-east-1's use1-az3 offers no t3: a VM goes to a subnet elsewhere
		{"aws", []deploy.Resource{inNetwork(vm("web"), "net"), network("net")}, "resource.aws_instance.web.subnet_id",
			`${contains(["use1-az3"], data.aws_availability_zones.us_east_1.zone_ids[0]) ? aws_subnet.net-b.id : aws_subnet.net-a.id}`},
		{"aws", []deploy.Resource{vm("web")}, "resource.aws_instance.web.subnet_id", "${sort(data.aws_subnets.vm_us_east_1.ids)[0]}"},
		{"aws", []deploy.Resource{vm("web")}, "data.aws_availability_zones.vm_us_east_1.exclude_zone_ids", []any{"use1-az3"}},
		{"aws", []deploy.Resource{vm("web")}, "data.aws_subnets.vm_us_east_1.filter", []any{
			map[string]any{"name": "vpc-id", "values": []any{"${data.aws_vpcs.default_us_east_1.ids[0]}"}},
			map[string]any{"name": "default-for-az", "values": []any{"true"}},
			map[string]any{"name": "availability-zone", "values": "${data.aws_availability_zones.vm_us_east_1.names}"},
		}},
		{"aws", []deploy.Resource{vm("web")}, "data.aws_vpcs.default_us_east_1.filter", []any{map[string]any{"name": "is-default", "values": []any{"true"}}}},
		// elsewhere every zone offers the VM types
		{"aws", []deploy.Resource{inRegion(inNetwork(vm("web"), "net"), "eu-west-1"), inRegion(network("net"), "eu-west-1")},
			"resource.aws_instance.web.subnet_id", "${aws_subnet.net-a.id}"},
		{"aws", []deploy.Resource{inRegion(vm("web"), "eu-west-1")}, "resource.aws_instance.web.subnet_id", "${sort(data.aws_subnets.default_eu_west_1.ids)[0]}"},
		{"aws", []deploy.Resource{network("net"), db}, "resource.aws_db_subnet_group.db.subnet_ids", []any{"${aws_subnet.net-a.id}", "${aws_subnet.net-b.id}"}},
		{"aws", []deploy.Resource{network("net"), db}, "resource.aws_db_instance.db.db_subnet_group_name", "${aws_db_subnet_group.db.name}"},
		{"aws", []deploy.Resource{network("net")}, "resource.aws_subnet.net-b.cidr_block", "10.0.128.0/17"},
		{"aws", []deploy.Resource{network("net")}, "resource.aws_subnet.net-b.availability_zone", "${data.aws_availability_zones.us_east_1.names[1]}"},
		{"aws", []deploy.Resource{{Type: typeSQLDatabase, Name: "db"}}, "resource.aws_db_subnet_group.db.subnet_ids", "${data.aws_subnets.default_us_east_1.ids}"},
		{"azure", []deploy.Resource{inNetwork(vm("web"), "net"), network("net")},
			"resource.azurerm_network_interface.web.ip_configuration.subnet_id", "${azurerm_subnet.net.id}"},
		{"azure", []deploy.Resource{inNetwork(vm("web"), "net"), network("net")}, "resource.azurerm_virtual_network.web", nil},
		{"azure", []deploy.Resource{vm("web")}, "resource.azurerm_network_interface.web.ip_configuration.subnet_id", "${azurerm_subnet.web.id}"},
		{"sandbox", []deploy.Resource{inNetwork(vm("web"), "net"), network("net")},
			"resource.terraform_data.compute_vm_web.depends_on", []any{"terraform_data.network_net"}},
	}
	for _, c := range cases {
		t.Run(c.provider+" "+c.path, func(t *testing.T) {
			in := configInput{Provider: c.provider, Resources: c.rs, Backend: backendConfig{LocalPath: "/s"}}
			out, err := generateConfig(cat, in)
			if err != nil {
				t.Fatal(err)
			}
			if got := jsonPath(t, out, c.path); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s = %#v, want %#v", c.path, got, c.want)
			}
		})
	}
}

// TestNoDefaultVPCFailsThePlan: the default VPC lookup carries the
// message the plan fails with in a region that has none.
func TestNoDefaultVPCFailsThePlan(t *testing.T) {
	out, err := generateConfig(NewCatalog(), configInput{Provider: "aws", Region: "eu-west-1",
		Resources: []deploy.Resource{vm("web")}, Backend: backendConfig{LocalPath: "/s"}})
	if err != nil {
		t.Fatal(err)
	}
	conds, _ := jsonPath(t, out, "data.aws_vpcs.default_eu_west_1.lifecycle.postcondition").([]any)
	if len(conds) != 1 {
		t.Fatalf("postconditions %v", conds)
	}
	c := conds[0].(map[string]any)
	want := "There is no default VPC in eu-west-1: add a network resource to this deployment and name it in the network parameter."
	if c["condition"] != awsHasVPC || c["error_message"] != want {
		t.Errorf("postcondition %v", c)
	}
}

func TestSplitCIDR(t *testing.T) {
	for in, want := range map[string][2]string{
		"10.0.0.0/16":    {"10.0.0.0/17", "10.0.128.0/17"},
		"192.168.4.0/24": {"192.168.4.0/25", "192.168.4.128/25"},
		"172.20.0.0/20":  {"172.20.0.0/21", "172.20.8.0/21"},
	} {
		if got, err := splitCIDR(in); err != nil || got != want {
			t.Errorf("splitCIDR(%s) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestSandboxNetworkCreatedFirst: with real terraform, a VM in a session
// network is created after it; a plan naming a missing network fails
// before terraform runs, saying so.
func TestSandboxNetworkCreatedFirst(t *testing.T) {
	e := newTestEngine(t, nil)
	req := sandboxRequest("n3tw0rk1", inNetwork(vm("web"), "net"), network("net"))
	_, art := mustPlan(t, e, req)
	res, err := e.Apply(context.Background(), deploy.ApplyRequest{PlanRequest: req, Artifact: art}, func(string) {})
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	created := strings.Index(res.Log, "terraform_data.network_net: Creation complete")
	started := strings.Index(res.Log, "terraform_data.compute_vm_web: Creating")
	if created < 0 || started < created {
		t.Errorf("the VM did not wait for its network:\n%s", res.Log)
	}
	_, _, err = e.Plan(context.Background(), sandboxRequest("n3tw0rk2", inNetwork(vm("web"), "net")))
	if want := `Invalid network "net" for web: this deployment has no network resource named net; add one or use default.`; deploy.ErrorMessage(err) != want {
		t.Errorf("plan without the network: %v", err)
	}
}

// TestAWSVMZoneChoice evaluates, with the real terraform, the expression
// that puts a VM of a session network into the subnet whose zone offers
// its type: the data source and the subnets are stood in for by locals.
func TestAWSVMZoneChoice(t *testing.T) {
	out, err := generateConfig(NewCatalog(), configInput{Provider: deploy.ProviderAWS,
		Resources: []deploy.Resource{inNetwork(vm("web"), "net"), network("net")}, Backend: backendConfig{LocalPath: "/s"}})
	if err != nil {
		t.Fatal(err)
	}
	expr, _ := jsonPath(t, out, "resource.aws_instance.web.subnet_id").(string)
	expr = strings.NewReplacer("data.aws_availability_zones.us_east_1.zone_ids", "local.zone_ids",
		"aws_subnet.net-a.id", "local.a", "aws_subnet.net-b.id", "local.b").Replace(expr)
	cases := []struct {
		zoneIDs []string
		want    string
	}{
		{[]string{"use1-az3", "use1-az1"}, "subnet-b"},
		{[]string{"use1-az1", "use1-az3"}, "subnet-a"},
		{[]string{"use1-az2", "use1-az4"}, "subnet-a"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.zoneIDs, ","), func(t *testing.T) {
			dir := t.TempDir()
			locals, err := json.Marshal(map[string]any{"locals": map[string]any{
				"zone_ids": c.zoneIDs, "a": "subnet-a", "b": "subnet-b", "picked": expr}})
			if err != nil {
				t.Fatal(err)
			}
			if err := writeFile(dir, ConfigFile, locals); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(terraformBinary(t), "console")
			cmd.Dir, cmd.Stdin = dir, strings.NewReader("local.picked\n")
			cmd.Env = append(withoutVar(os.Environ(), "TF_CLI_CONFIG_FILE"), "TF_CLI_CONFIG_FILE=")
			got, err := cmd.Output()
			if err != nil {
				t.Fatalf("terraform console: %v", err)
			}
			if strings.TrimSpace(string(got)) != `"`+c.want+`"` {
				t.Errorf("picked %s, want %s (expression %s)", got, c.want, expr)
			}
		})
	}
}
