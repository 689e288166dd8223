package tf

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed prices.json
var pricesJSON []byte

// PriceTable is the price list shipped with the binary: terraform resource
// type, region and SKU → hourly USD.
type PriceTable struct {
	Date   string `json:"date"`
	Source string `json:"source"`
	// Notes say, region by region, where a price was read and how the
	// ones not found as listed prices were derived.
	Notes         []string `json:"notes"`
	HoursPerMonth float64  `json:"hours_per_month"`
	// Free types cost nothing by themselves (networks, keys).
	Free []string `json:"free"`
	// UsagePriced types are billed by use, not by the hour (buckets):
	// always reported unpriced, never counted as free.
	UsagePriced []string     `json:"usage_priced"`
	Prices      []PriceEntry `json:"prices"`

	index map[priceKey]float64
	free  map[string]bool
}

// PriceEntry is one line of the table.
type PriceEntry struct {
	Resource string  `json:"resource"`
	Region   string  `json:"region"`
	SKU      string  `json:"sku"`
	Hourly   float64 `json:"hourly"`
}

type priceKey struct{ resource, region, sku string }

// LoadPrices parses the embedded table.
func LoadPrices() (*PriceTable, error) {
	return ParsePrices(pricesJSON)
}

// ParsePrices parses a table in the format of prices.json.
func ParsePrices(data []byte) (*PriceTable, error) {
	var t PriceTable
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("price table: %w", err)
	}
	if t.Date == "" || t.Source == "" || len(t.Notes) == 0 || t.HoursPerMonth <= 0 {
		return nil, fmt.Errorf("price table: date, source, notes and hours_per_month are required")
	}
	t.index = make(map[priceKey]float64, len(t.Prices))
	for _, p := range t.Prices {
		k := priceKey{p.Resource, p.Region, p.SKU}
		if _, dup := t.index[k]; dup || p.Hourly < 0 {
			return nil, fmt.Errorf("price table: bad or duplicate entry %+v", p)
		}
		t.index[k] = p.Hourly
	}
	t.free = map[string]bool{}
	for _, f := range t.Free {
		t.free[f] = true
	}
	// A type is free, billed by use, or priced per SKU: never two of them,
	// or the table would say "free" of something it lists a price for.
	priced := map[string]bool{}
	for k := range t.index {
		priced[k.resource] = true
	}
	for _, u := range t.UsagePriced {
		if t.free[u] || priced[u] {
			return nil, fmt.Errorf("price table: %s is usage-priced and also free or priced", u)
		}
	}
	for f := range t.free {
		if priced[f] {
			return nil, fmt.Errorf("price table: %s is free and also priced", f)
		}
	}
	return &t, nil
}

func (t *PriceTable) lookup(resource, region, sku string) (float64, bool) {
	h, ok := t.index[priceKey{resource, region, sku}]
	return h, ok
}
