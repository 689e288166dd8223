package tf

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Discord's limits on a modal, which a type's fields become: at most five
// inputs, labels and the title of at most 45 characters.
// https://discord.com/developers/docs/components/reference
const (
	discordModalInputs = 5
	discordLabelLen    = 45
)

// TestEveryTypeIsComplete holds every registered descriptor to what the
// catalog, the generator, the cost and the lobby read from it, so that a
// new type missing a piece fails here rather than in a user's session.
func TestEveryTypeIsComplete(t *testing.T) {
	cat, prices := NewCatalog(), loadPrices(t)
	if len(cat.order) != len(resourceTypes()) {
		t.Fatalf("%d types registered, %d in the catalog: an id is declared twice", len(resourceTypes()), len(cat.order))
	}
	for _, rt := range cat.ResourceTypes() {
		typ := cat.types[rt.ID]
		if rt.Label == "" {
			t.Errorf("%s: no label", rt.ID)
		}
		if title := "Add " + rt.Label; utf8.RuneCountInString(title) > discordLabelLen {
			t.Errorf("%s: modal title %q is over %d characters", rt.ID, title, discordLabelLen)
		}
		for _, provider := range deploy.Providers() {
			on, ok := typ.on[provider]
			if !ok || on.tfType == "" || on.generate == nil {
				t.Errorf("%s on %s: want a terraform type and a generator, have %+v", rt.ID, provider, on)
			}
			checkSizes(t, typ, provider)
			checkFields(t, cat, provider, rt.ID)
			if provider != deploy.ProviderSandbox { // priced as its gcp equivalent
				checkPricing(t, prices, rt.ID, provider, on)
			}
		}
	}
}

// checkSizes: a type that asks for a size offers the same three everywhere.
func checkSizes(t *testing.T, typ resourceType, provider string) {
	t.Helper()
	sized := slices.ContainsFunc(typ.params, func(p param) bool { return p.id == paramSize })
	for _, s := range []string{sizeSmall, sizeMedium, sizeLarge} {
		if _, ok := typ.on[provider].skus[s]; ok != sized {
			t.Errorf("%s on %s: size %s offered %v, the type asks for a size %v", typ.id, provider, s, ok, sized)
		}
	}
}

func checkFields(t *testing.T, cat *Catalog, provider, typeID string) {
	t.Helper()
	fields, err := cat.Fields(provider, typeID, "")
	if err != nil {
		t.Fatalf("%s on %s: %v", typeID, provider, err)
	}
	if len(fields) > discordModalInputs {
		t.Errorf("%s on %s: %d modal inputs, Discord takes %d", typeID, provider, len(fields), discordModalInputs)
	}
	for _, f := range fields {
		if f.Label == "" || utf8.RuneCountInString(f.Label) > discordLabelLen {
			t.Errorf("%s on %s: field %s has label %q, want 1–%d characters", typeID, provider, f.ID, f.Label, discordLabelLen)
		}
	}
}

// checkPricing: a type has a price key or says it is unpriced, never
// both, and the price table agrees: a priced type has prices, an unpriced
// one is listed as free or usage-priced rather than silently missing.
func checkPricing(t *testing.T, prices *PriceTable, typeID, provider string, on typeOn) {
	t.Helper()
	listed := prices.free[on.tfType] || slices.Contains(prices.UsagePriced, on.tfType)
	switch {
	case (on.priceKey != nil) == on.unpriced:
		t.Errorf("%s on %s: want either a price key or unpriced", typeID, provider)
	case on.unpriced && !listed:
		t.Errorf("%s on %s: unpriced, but the price table lists %s neither as free nor as usage-priced", typeID, provider, on.tfType)
	case on.priceKey != nil && listed:
		t.Errorf("%s on %s: has a price key, but the price table lists %s as free or usage-priced", typeID, provider, on.tfType)
	}
}
