package tf

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/cloudengine/cloud-engine/deploy"
)

// missingPrices walks every provider × priced type × offered size ×
// offered region of the catalog and names each one the table has no
// price for.
func missingPrices(cat *Catalog, t *PriceTable) []string {
	var missing []string
	for _, prov := range []string{deploy.ProviderGCP, deploy.ProviderAWS, deploy.ProviderAzure} {
		p := cat.providers[prov]
		for _, typeID := range cat.order {
			sizes := cat.types[typeID].on[prov].skus
			for _, size := range []string{sizeSmall, sizeMedium, sizeLarge} {
				sku, ok := sizes[size]
				if !ok {
					continue // not a priced type
				}
				for _, region := range p.regions {
					if _, ok := t.lookup(cat.types[typeID].on[prov].tfType, region, sku); !ok {
						missing = append(missing, fmt.Sprintf("%s %s %s (%s) in %s", prov, typeID, size, sku, region))
					}
				}
			}
		}
	}
	return missing
}

func TestPricesCoverEveryOfferedChoice(t *testing.T) {
	cat, prices := NewCatalog(), loadPrices(t)
	for _, m := range missingPrices(cat, prices) {
		t.Errorf("no price for %s", m)
	}
	for _, prov := range []string{deploy.ProviderGCP, deploy.ProviderAWS, deploy.ProviderAzure} {
		for _, typeID := range []string{typeComputeVM, typeSQLDatabase} {
			if len(cat.types[typeID].on[prov].skus) != 3 {
				t.Errorf("%s %s: want three priced sizes", prov, typeID)
			}
		}
	}

	// The walk itself fails on a missing entry: drop one and look.
	var doc map[string]any
	if err := json.Unmarshal(pricesJSON, &doc); err != nil {
		t.Fatal(err)
	}
	doc["prices"] = doc["prices"].([]any)[1:]
	data, _ := json.Marshal(doc)
	short, err := ParsePrices(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := missingPrices(cat, short); len(got) != 1 {
		t.Errorf("a table without its first entry: missing %q, want exactly one", got)
	}
}

// TestEveryGeneratedResourceIsPricedOrUnpriced prices every configuration
// the catalog can generate, read back the way a plan shows it: each
// managed resource is priced or free, except the usage-priced ones, which
// are on the Unpriced line; a VM or database is never $0.00.
func TestEveryGeneratedResourceIsPricedOrUnpriced(t *testing.T) {
	cat, prices := NewCatalog(), loadPrices(t)
	for _, c := range combinations(t, cat) {
		out, err := generateConfig(cat, c.input(cat))
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		changes := plannedCreates(t, out)
		cost, notes := prices.Estimate(cat, &tfjson.Plan{ResourceChanges: changes})
		var wantUnpriced []string
		for _, rc := range changes {
			if slices.Contains(prices.UsagePriced, rc.Type) || c.provider == deploy.ProviderSandbox && c.resource.Type == typeStorageBucket {
				wantUnpriced = append(wantUnpriced, rc.Address)
			}
		}
		unpriced := ""
		for _, n := range notes {
			if rest, ok := strings.CutPrefix(n, "Unpriced: "); ok {
				unpriced = rest
			}
		}
		slices.Sort(wantUnpriced)
		got := strings.Split(unpriced, ", ")
		slices.Sort(got)
		if unpriced == "" {
			got = nil
		}
		if !slices.Equal(got, wantUnpriced) {
			t.Errorf("%s: unpriced %q, want %q", c, got, wantUnpriced)
		}
		billable := c.resource.Type == typeComputeVM || c.resource.Type == typeSQLDatabase
		if billable && strings.HasPrefix(cost, "$0.00/hour") {
			t.Errorf("%s: cost %q", c, cost)
		}
	}
}

// plannedCreates turns a generated configuration into the resource
// changes a plan creating it would show: every block body becomes the
// change's after value, nested blocks as one-element lists, as terraform's
// JSON plan writes them.
func plannedCreates(t *testing.T, config []byte) []*tfjson.ResourceChange {
	t.Helper()
	var doc struct {
		Resource map[string]map[string]map[string]any `json:"resource"`
	}
	if err := json.Unmarshal(config, &doc); err != nil {
		t.Fatal(err)
	}
	var out []*tfjson.ResourceChange
	for tfType, byName := range doc.Resource {
		for name, body := range byName {
			out = append(out, rc(tfType+"."+name, tfType, create, nil, asPlanned(body).(map[string]any)))
		}
	}
	slices.SortFunc(out, func(a, b *tfjson.ResourceChange) int { return strings.Compare(a.Address, b.Address) })
	return out
}

func asPlanned(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		if nested, ok := e.(map[string]any); ok && k != "input" && k != "tags" && k != "labels" && k != "user_labels" {
			out[k] = []any{asPlanned(nested)}
			continue
		}
		out[k] = e
	}
	return out
}

// TestUnpricedIsNeverFree: what the table has no price for is named on the
// Unpriced line, and the cost line never passes it off as $0.00.
func TestUnpricedIsNeverFree(t *testing.T) {
	cat, prices := NewCatalog(), loadPrices(t)
	bucket := rc("aws_s3_bucket.logs", "aws_s3_bucket", create, nil, map[string]any{"region": "us-east-1"})
	vpc := rc("aws_vpc.main", "aws_vpc", create, nil, map[string]any{"region": "us-east-1"})
	unknownRegion := rc("aws_instance.web", "aws_instance", create, nil, map[string]any{"instance_type": "t3.small", "region": "mars-1"})
	unknownSKU := rc("aws_instance.big", "aws_instance", create, nil, map[string]any{"instance_type": "x9.huge", "region": "us-east-1"})
	priced := rc("aws_instance.ok", "aws_instance", create, nil, awsVM("t3.large"))
	unknownType := rc("aws_lambda_function.f", "aws_lambda_function", create, nil, map[string]any{})
	cases := []struct {
		name    string
		changes []*tfjson.ResourceChange
		cost    string
		line    string
	}{
		{"a bucket alone", []*tfjson.ResourceChange{bucket}, CostUnknown, "Unpriced: aws_s3_bucket.logs"},
		{"a bucket and a free network", []*tfjson.ResourceChange{vpc, bucket}, CostUnknown, "Unpriced: aws_s3_bucket.logs"},
		{"a region the table lacks", []*tfjson.ResourceChange{unknownRegion}, CostUnknown, "Unpriced: aws_instance.web"},
		{"a size the table lacks", []*tfjson.ResourceChange{unknownSKU}, CostUnknown, "Unpriced: aws_instance.big"},
		{"a type the table does not know", []*tfjson.ResourceChange{unknownType}, CostUnknown, "Unpriced: aws_lambda_function.f"},
		{"priced and unpriced", []*tfjson.ResourceChange{priced, bucket}, "$0.08/hour | $60.74/month", "Unpriced: aws_s3_bucket.logs"},
		{"deleting an unpriced one", []*tfjson.ResourceChange{rc("aws_s3_bucket.logs", "aws_s3_bucket", del, map[string]any{"region": "us-east-1"}, nil)},
			CostUnknown, "Unpriced: aws_s3_bucket.logs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cost, notes := prices.Estimate(cat, &tfjson.Plan{ResourceChanges: c.changes})
			if cost != c.cost || !slices.Contains(notes, c.line) {
				t.Errorf("got %q %q, want %q with %q", cost, notes, c.cost, c.line)
			}
			if strings.Contains(cost, "$0.00") {
				t.Errorf("cost %q counts an unpriced resource as free", cost)
			}
		})
	}
}

func TestPriceTableRefusesContradictions(t *testing.T) {
	head := `{"date":"x","source":"y","notes":["z"],"hours_per_month":730,`
	for _, bad := range []string{
		`{}`,
		`[`,
		head + `"prices":[{"resource":"a","hourly":-1}]}`,
		head + `"prices":[{"resource":"a","region":"r","sku":"s","hourly":1},{"resource":"a","region":"r","sku":"s","hourly":2}]}`,
		head + `"free":["a"],"prices":[{"resource":"a","region":"r","sku":"s","hourly":1}]}`,
		head + `"usage_priced":["a"],"free":["a"]}`,
		head + `"usage_priced":["a"],"prices":[{"resource":"a","region":"r","sku":"s","hourly":1}]}`,
		`{"date":"x","source":"y","hours_per_month":730}`, // no notes
	} {
		if _, err := ParsePrices([]byte(bad)); err == nil {
			t.Errorf("ParsePrices(%s) accepted", bad)
		}
	}
}

func loadPrices(t *testing.T) *PriceTable {
	t.Helper()
	p, err := LoadPrices()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
