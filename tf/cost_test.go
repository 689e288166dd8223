package tf

import (
	"slices"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func rc(addr, tfType string, actions tfjson.Actions, before, after map[string]any) *tfjson.ResourceChange {
	c := &tfjson.ResourceChange{Address: addr, Type: tfType, Mode: tfjson.ManagedResourceMode,
		Change: &tfjson.Change{Actions: actions}}
	if before != nil {
		c.Change.Before = before
	}
	if after != nil {
		c.Change.After = after
	}
	return c
}

var (
	create  = tfjson.Actions{tfjson.ActionCreate}
	del     = tfjson.Actions{tfjson.ActionDelete}
	upd     = tfjson.Actions{tfjson.ActionUpdate}
	replace = tfjson.Actions{tfjson.ActionDelete, tfjson.ActionCreate}
	noop    = tfjson.Actions{tfjson.ActionNoop}
)

func awsVM(sku string) map[string]any {
	return map[string]any{"instance_type": sku, "region": "us-east-1"}
}

func sandboxVM(size string) map[string]any {
	return map[string]any{"input": map[string]any{"type": "compute_vm", "name": "web", "size": size, "region": "us-central1"}}
}

func TestEstimate(t *testing.T) {
	prices, err := LoadPrices()
	if err != nil {
		t.Fatal(err)
	}
	cat := NewCatalog()
	cases := []struct {
		name    string
		changes []*tfjson.ResourceChange
		cost    string
		notes   []string
	}{
		{"nothing", nil, "$0.00/hour | $0.00/month", nil},
		{"create", []*tfjson.ResourceChange{rc("aws_instance.web", "aws_instance", create, nil, awsVM("t3.large"))},
			"$0.08/hour | $60.74/month", nil},
		{"delete is negative", []*tfjson.ResourceChange{rc("aws_instance.web", "aws_instance", del, awsVM("t3.large"), nil)},
			"-$0.08/hour | -$60.74/month", nil},
		{"update counts after minus before", []*tfjson.ResourceChange{rc("aws_instance.web", "aws_instance", upd, awsVM("t3.small"), awsVM("t3.large"))},
			"$0.06/hour | $45.55/month", nil},
		{"replace to smaller", []*tfjson.ResourceChange{rc("aws_instance.web", "aws_instance", replace, awsVM("t3.large"), awsVM("t3.small"))},
			"-$0.06/hour | -$45.55/month", nil},
		{"no-op ignored", []*tfjson.ResourceChange{rc("aws_instance.web", "aws_instance", noop, awsVM("t3.large"), awsVM("t3.large"))},
			"$0.00/hour | $0.00/month", nil},
		{"free network, unpriced bucket", []*tfjson.ResourceChange{
			rc("aws_vpc.main", "aws_vpc", create, nil, map[string]any{"region": "us-east-1"}),
			rc("aws_s3_bucket.logs", "aws_s3_bucket", create, nil, map[string]any{"region": "us-east-1"}),
			rc("aws_instance.web", "aws_instance", create, nil, map[string]any{"instance_type": "t3.small", "region": "ap-southeast-1"}),
		}, "$0.03/hour | $19.27/month", []string{"Unpriced: aws_s3_bucket.logs"}},
		{"free network only", []*tfjson.ResourceChange{
			rc("aws_vpc.main", "aws_vpc", create, nil, map[string]any{"region": "us-east-1"}),
			rc("aws_subnet.main-a", "aws_subnet", create, nil, map[string]any{"region": "us-east-1"}),
		}, "$0.00/hour | $0.00/month", nil},
		{"gcp zone to region", []*tfjson.ResourceChange{rc("google_compute_instance.web", "google_compute_instance", create, nil,
			map[string]any{"machine_type": "e2-medium", "zone": "us-central1-b"})}, "$0.03/hour | $24.46/month", nil},
		{"gcp sql tier", []*tfjson.ResourceChange{rc("google_sql_database_instance.db", "google_sql_database_instance", create, nil,
			map[string]any{"region": "us-central1", "settings": []any{map[string]any{"tier": "db-g1-small"}}})}, "$0.04/hour | $25.55/month", nil},
		{"azure vm and pg", []*tfjson.ResourceChange{
			rc("azurerm_linux_virtual_machine.web", "azurerm_linux_virtual_machine", create, nil, map[string]any{"size": "Standard_B1s", "location": "eastus"}),
			rc("azurerm_postgresql_flexible_server.db", "azurerm_postgresql_flexible_server", create, nil, map[string]any{"sku_name": "B_Standard_B1ms", "location": "eastus"}),
			rc("azurerm_network_interface.web", "azurerm_network_interface", create, nil, map[string]any{}),
		}, "$0.03/hour | $20.00/month", nil},
		{"sandbox priced as gcp", []*tfjson.ResourceChange{rc("terraform_data.compute_vm_web", "terraform_data", create, nil, sandboxVM("small"))},
			"$0.02/hour | $12.23/month", []string{SandboxCostNote}},
		{"sandbox bucket unpriced", []*tfjson.ResourceChange{rc("terraform_data.storage_bucket_logs", "terraform_data", create, nil,
			map[string]any{"input": map[string]any{"type": "storage_bucket", "region": "us-central1"}})},
			CostUnknown, []string{"Unpriced: terraform_data.storage_bucket_logs", SandboxCostNote}},
		{"data sources ignored", []*tfjson.ResourceChange{{Address: "data.aws_ami.x", Type: "aws_ami", Mode: tfjson.DataResourceMode,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionRead}}}}, "$0.00/hour | $0.00/month", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cost, notes := prices.Estimate(cat, &tfjson.Plan{ResourceChanges: c.changes})
			if cost != c.cost || !slices.Equal(notes, c.notes) {
				t.Errorf("got %q %q\nwant %q %q", cost, notes, c.cost, c.notes)
			}
		})
	}
}

func TestPriceTable(t *testing.T) {
	p := loadPrices(t)
	if p.Date == "" || p.Source == "" || len(p.Notes) == 0 || p.HoursPerMonth != 730 {
		t.Errorf("table must state its date, source, notes and 730 hours a month: %+v", p)
	}
}
