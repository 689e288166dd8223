package tf

import "github.com/cloudengine/cloud-engine/deploy"

// A resource type is declared once, in tf/type_<id>.go: its id, label,
// parameters and, per cloud provider, its terraform type, sizes, name
// rules, generator and price key. The catalog, the generator, the cost
// estimate and, through deploy.Catalog, the lobby all read that one value,
// so that adding a type never means finding every switch that names one.

// resourceType describes one resource type.
type resourceType struct {
	id string
	// label is what users read in the lobby's menu and modal title.
	label  string
	params []param
	// names are the rules of every provider, sandbox included, checked
	// after the base rule and before the provider's own.
	names []nameRule
	// on says how the type is made on each cloud provider; sandbox is
	// derived from gcp (sandboxOn).
	on map[string]typeOn
}

// typeOn is a resource type on one provider.
type typeOn struct {
	// tfType is the terraform resource type that is the resource: the one
	// the price table prices and the lobby's plan shows.
	tfType string
	// skus maps size → the provider's machine type, tier or SKU; nil for
	// a type without sizes.
	skus map[string]string
	// names are the provider's own stricter name rules.
	names    []nameRule
	generate func(b *configBuilder, r deploy.Resource) error
	// priceKey reads, from tfType's planned values, the region and SKU the
	// price table knows the resource by.
	priceKey func(v map[string]any) (region, sku string)
	// unpriced says, instead of a priceKey, that the type has no hourly
	// price per SKU: the price table lists tfType as free or usage-priced.
	unpriced bool
}

// resourceTypes registers every type, in the order users read them.
func resourceTypes() []resourceType {
	return []resourceType{computeVMType(), storageBucketType(), sqlDatabaseType(), networkType()}
}

// sandboxOn is a type on sandbox: a terraform_data that keeps the
// resource's parameters, offering gcp's sizes so that it is priced like its
// gcp equivalent (sandboxPrice).
func sandboxOn(t resourceType) typeOn {
	return typeOn{tfType: sandboxTFType, skus: t.on[deploy.ProviderGCP].skus, generate: sandboxResource}
}

// target is a resource type on one provider: what a parameter's rules read.
type target struct {
	p      providerSpec
	typeID string
	on     typeOn
}

// attrKey is the price key of a resource whose region and SKU are two
// top-level attributes.
func attrKey(regionAttr, skuAttr string) func(map[string]any) (string, string) {
	return func(v map[string]any) (string, string) { return str(v, regionAttr), str(v, skuAttr) }
}
