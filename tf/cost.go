package tf

import (
	"fmt"
	"math"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/cloudengine/cloud-engine/deploy"
)

// SandboxCostNote is the line that says how sandbox resources are priced.
const SandboxCostNote = "Sandbox resources are priced as their gcp equivalents."

// CostUnknown is the cost line of a plan whose changes have no price at
// all: "$0.00/hour" would say they are free.
const CostUnknown = "Unknown: no listed price"

// pricedAs says which table entry a resource's values correspond to.
type pricedAs struct {
	resource, region, sku string
	sandbox               bool
}

// Estimate prices a plan's resource changes: a create adds the hourly
// price, a delete subtracts it, an update or replace counts after − before.
// Resources the table cannot price are named in the notes, never counted as
// free: the total (in SPEC's exact form) counts what is priced and the
// Unpriced line names the rest, and a plan with nothing priced has no
// dollar figure at all. It is a pure function of the plan,
// the table and the catalog.
func (t *PriceTable) Estimate(cat *Catalog, plan *tfjson.Plan) (cost string, notes []string) {
	var total float64
	var unpriced []string
	sandbox, billed := false, false
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Mode == tfjson.DataResourceMode {
			continue
		}
		a := rc.Change.Actions
		var before, after map[string]any
		switch {
		case a.Create():
			after = values(rc.Change.After)
		case a.Delete():
			before = values(rc.Change.Before)
		case a.Update(), a.Replace():
			before, after = values(rc.Change.Before), values(rc.Change.After)
		default:
			continue
		}
		d := t.delta(cat, rc.Type, before, after)
		sandbox = sandbox || d.sandbox
		if !d.ok {
			unpriced = append(unpriced, rc.Address)
			continue
		}
		billed = billed || d.billed
		total += d.hourly
	}
	cost = t.format(total)
	if len(unpriced) > 0 {
		notes = append(notes, "Unpriced: "+strings.Join(unpriced, ", "))
		if !billed {
			cost = CostUnknown
		}
	}
	if sandbox {
		notes = append(notes, SandboxCostNote)
	}
	return cost, notes
}

// change is what one resource change adds to the hourly total.
type change struct {
	hourly  float64
	sandbox bool // priced as its gcp equivalent
	ok      bool // every version of it has a price (or is free)
	billed  bool // a version of it has a price of its own, not just "free"
}

// delta is the hourly change between two versions of a resource; a nil
// map stands for "does not exist".
func (t *PriceTable) delta(cat *Catalog, tfType string, before, after map[string]any) change {
	c := change{ok: true}
	for i, v := range []map[string]any{before, after} {
		if v == nil {
			continue
		}
		p := priceKeyOf(cat, tfType, v)
		c.sandbox = c.sandbox || p.sandbox
		if t.free[p.resource] {
			continue
		}
		h, ok := t.lookup(p.resource, p.region, p.sku)
		if !ok {
			c.ok = false
			return c
		}
		if i == 0 {
			h = -h
		}
		c.hourly += h
		c.billed = true
	}
	return c
}

func (t *PriceTable) format(hourly float64) string {
	sign := ""
	if hourly < 0 {
		sign, hourly = "-", -hourly
	}
	monthly := hourly * t.HoursPerMonth
	if math.Round(monthly*100) == 0 {
		sign = ""
	}
	return fmt.Sprintf("%s$%.2f/hour | %s$%.2f/month", sign, hourly, sign, monthly)
}

// priceKeyOf reads the attributes that decide a resource's price, with the
// price key of the type's descriptor; a terraform type no descriptor
// prices is known by its type alone (free, usage-priced or unpriced).
func priceKeyOf(cat *Catalog, tfType string, v map[string]any) pricedAs {
	if tfType == sandboxTFType {
		return sandboxPrice(cat, v)
	}
	if key, ok := cat.priceKeys[tfType]; ok {
		region, sku := key(v)
		return pricedAs{resource: tfType, region: region, sku: sku}
	}
	return pricedAs{resource: tfType}
}

// sandboxPrice maps a terraform_data made by the catalog to the gcp
// resource of the same type, size and region.
func sandboxPrice(cat *Catalog, v map[string]any) pricedAs {
	in, _ := v["input"].(map[string]any)
	typeID, size, region := str(in, "type"), str(in, paramSize), str(in, paramRegion)
	t, ok := cat.types[typeID]
	if !ok {
		return pricedAs{resource: sandboxTFType}
	}
	p := pricedAs{resource: t.on[deploy.ProviderGCP].tfType, region: region, sandbox: true}
	if sku, err := cat.sku(deploy.ProviderGCP, typeID, size); err == nil {
		p.sku = sku
	}
	return p
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func values(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}
