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
	Date          string       `json:"date"`
	Source        string       `json:"source"`
	HoursPerMonth float64      `json:"hours_per_month"`
	Free          []string     `json:"free"`
	Prices        []PriceEntry `json:"prices"`

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
	if t.Date == "" || t.Source == "" || t.HoursPerMonth <= 0 {
		return nil, fmt.Errorf("price table: date, source and hours_per_month are required")
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
	return &t, nil
}

func (t *PriceTable) lookup(resource, region, sku string) (float64, bool) {
	h, ok := t.index[priceKey{resource, region, sku}]
	return h, ok
}
