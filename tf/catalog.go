package tf

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Catalog knows the resource types of each provider, their modal fields,
// defaults and validation rules, all read from the types' descriptors
// (resourceTypes). It holds no mutable state.
type Catalog struct {
	providers map[string]providerSpec
	types     map[string]resourceType
	// order lists the type ids in the order users read them.
	order []string
	// priceKeys maps a terraform type to the descriptor's price key.
	priceKeys map[string]func(map[string]any) (string, string)
}

var _ deploy.Catalog = (*Catalog)(nil)

// NewCatalog returns the catalog of the four providers of SPEC §4.
func NewCatalog() *Catalog {
	c := &Catalog{providers: map[string]providerSpec{}, types: map[string]resourceType{},
		priceKeys: map[string]func(map[string]any) (string, string){}}
	for _, p := range []providerSpec{gcpSpec(), awsSpec(), azureSpec(), sandboxSpec()} {
		c.providers[p.id] = p
	}
	for _, t := range resourceTypes() {
		for _, on := range t.on {
			if on.priceKey != nil {
				c.priceKeys[on.tfType] = on.priceKey
			}
		}
		t.on[deploy.ProviderSandbox] = sandboxOn(t)
		c.types[t.id] = t
		c.order = append(c.order, t.id)
	}
	return c
}

// ResourceTypes lists the types with their labels, in the order users read them.
func (c *Catalog) ResourceTypes() []deploy.ResourceType {
	out := make([]deploy.ResourceType, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, deploy.ResourceType{ID: id, Label: c.types[id].label})
	}
	return out
}

func (c *Catalog) provider(id string) (providerSpec, error) {
	p, ok := c.providers[id]
	if !ok {
		return providerSpec{}, deploy.Errorf(deploy.EINVALID, "Unknown provider %q: use %s.", id, strings.Join(deploy.Providers(), ", "))
	}
	return p, nil
}

func (c *Catalog) resourceType(id string) (resourceType, error) {
	t, ok := c.types[id]
	if !ok {
		return resourceType{}, deploy.Errorf(deploy.EINVALID, "Unknown resource type %q: use %s.", id, strings.Join(c.order, ", "))
	}
	return t, nil
}

// target is type t on provider p.
func (t resourceType) target(p providerSpec) target {
	return target{p: p, typeID: t.id, on: t.on[p.id]}
}

// DefaultRegion returns the provider's default region, or "" for an unknown provider.
func (c *Catalog) DefaultRegion(provider string) string {
	return c.providers[provider].defaultRegion
}

// ValidateRegion reports whether the provider offers region.
func (c *Catalog) ValidateRegion(provider, region string) error {
	p, err := c.provider(provider)
	if err != nil {
		return err
	}
	return checkRegion(p, region)
}

// Fields lists the modal inputs of a type: "name" first, then its
// parameters with their defaults; region defaults to the given region.
func (c *Catalog) Fields(provider, resourceType, region string) ([]deploy.Field, error) {
	p, err := c.provider(provider)
	if err != nil {
		return nil, err
	}
	t, err := c.resourceType(resourceType)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = p.defaultRegion
	}
	fields := []deploy.Field{{ID: paramName, Label: "Name", Required: true, MaxLength: nameMaxLen}}
	for _, prm := range t.params {
		label, def := prm.labelAndDefault(p, region)
		fields = append(fields, deploy.Field{ID: prm.id, Label: label, Default: def, MaxLength: prm.maxLen})
	}
	return fields, nil
}

// Validate checks a resource against the base and the provider's rules and
// returns it with every parameter filled in (defaults for missing ones).
func (c *Catalog) Validate(provider, region string, r deploy.Resource) (deploy.Resource, error) {
	p, err := c.provider(provider)
	if err != nil {
		return deploy.Resource{}, err
	}
	t, err := c.resourceType(r.Type)
	if err != nil {
		return deploy.Resource{}, err
	}
	name := strings.TrimSpace(r.Name)
	if err := checkName(t, p, name); err != nil {
		return deploy.Resource{}, err
	}
	if err := rejectUnknownParams(t, r.Params); err != nil {
		return deploy.Resource{}, err
	}
	if region == "" {
		region = p.defaultRegion
	}
	out := deploy.Resource{Type: t.id, Name: name, Params: make(map[string]string, len(t.params))}
	for _, prm := range t.params {
		v := strings.TrimSpace(r.Params[prm.id])
		if v == "" {
			_, v = prm.labelAndDefault(p, region)
		}
		if err := prm.check(t.target(p), v); err != nil {
			return deploy.Resource{}, err
		}
		out.Params[prm.id] = v
	}
	return out, nil
}

func rejectUnknownParams(t resourceType, params map[string]string) error {
	var unknown []string
	for k := range params {
		if !hasParam(t, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	var ids []string
	for _, p := range t.params {
		ids = append(ids, p.id)
	}
	return deploy.Errorf(deploy.EINVALID, "Unknown parameter %q for %s: use %s.", unknown[0], t.id, strings.Join(ids, ", "))
}

func hasParam(t resourceType, id string) bool {
	for _, p := range t.params {
		if p.id == id {
			return true
		}
	}
	return false
}

// validateAll validates a session's resources and checks that their names
// are unique within it.
func (c *Catalog) validateAll(provider, region string, rs []deploy.Resource) ([]deploy.Resource, error) {
	if _, err := c.provider(provider); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]deploy.Resource, 0, len(rs))
	for _, r := range rs {
		v, err := c.Validate(provider, region, r)
		if err != nil {
			return nil, err
		}
		if seen[v.Name] {
			return nil, deploy.Errorf(deploy.EINVALID, "Invalid name %q: names must be unique within a session.", v.Name)
		}
		seen[v.Name] = true
		out = append(out, v)
	}
	if err := c.checkSession(provider, out); err != nil {
		return nil, err
	}
	return out, nil
}

// sku returns the provider's machine type, tier or SKU for a size.
func (c *Catalog) sku(provider, typeID, size string) (string, error) {
	s, ok := c.types[typeID].on[provider].skus[size]
	if !ok {
		return "", fmt.Errorf("no %s size %q for %s", provider, size, typeID)
	}
	return s, nil
}
