package tf

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// The schema checker holds a generated main.tf.json against the schemas the
// real providers declare (testdata/provider-schemas, the format of
// `terraform providers schema -json`): what `terraform validate` would
// refuse is refused here, without provider binaries or a network.

// builtinAddress is where terraform's own terraform_data lives; it is in no
// provider's schema, so the checker knows it itself.
const builtinAddress = "terraform.io/builtin/terraform"

// loadSchemas reads the copied provider schemas once per test binary.
func loadSchemas(t testing.TB) *tfjson.ProviderSchemas {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "provider-schemas", "provider-schemas.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s tfjson.ProviderSchemas
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("provider schemas: %v", err)
	}
	s.Schemas[builtinAddress] = &tfjson.ProviderSchema{ResourceSchemas: map[string]*tfjson.Schema{
		"terraform_data": {Block: &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{
			"id":               {AttributeType: cty.String, Computed: true},
			"input":            {AttributeType: cty.DynamicPseudoType, Optional: true},
			"output":           {AttributeType: cty.DynamicPseudoType, Computed: true},
			"triggers_replace": {AttributeType: cty.DynamicPseudoType, Optional: true},
		}}},
	}}
	return &s
}

// metaArguments are terraform's own arguments, valid in any resource or
// data block whatever the provider's schema says.
var metaArguments = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true, "lifecycle": true}

// checkConfig returns every way config departs from the schemas, one line
// each, named by its path in the JSON ("resource.aws_instance.web.ami").
func checkConfig(schemas *tfjson.ProviderSchemas, config []byte) []string {
	var doc struct {
		Terraform struct {
			RequiredProviders map[string]struct {
				Source string `json:"source"`
			} `json:"required_providers"`
		} `json:"terraform"`
		Provider map[string]map[string]any            `json:"provider"`
		Resource map[string]map[string]map[string]any `json:"resource"`
		Data     map[string]map[string]map[string]any `json:"data"`
	}
	if err := json.Unmarshal(config, &doc); err != nil {
		return []string{"not a configuration: " + err.Error()}
	}
	address := func(local string) string {
		if src := doc.Terraform.RequiredProviders[local].Source; src != "" {
			return "registry.terraform.io/" + src
		}
		return ""
	}
	var c checker
	for local, body := range doc.Provider {
		if p := schemas.Schemas[address(local)]; p == nil {
			c.addf("provider.%s: no required_providers entry with a known source", local)
		} else if p.ConfigSchema != nil { // aws ships no provider schema
			c.block("provider."+local, body, p.ConfigSchema.Block, false)
		}
	}
	c.blocks("resource", doc.Resource, func(p *tfjson.ProviderSchema) map[string]*tfjson.Schema { return p.ResourceSchemas }, schemas, address)
	c.blocks("data", doc.Data, func(p *tfjson.ProviderSchema) map[string]*tfjson.Schema { return p.DataSourceSchemas }, schemas, address)
	sort.Strings(c.problems)
	return c.problems
}

type checker struct{ problems []string }

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// blocks checks every resource or data block against its type's schema,
// found through the provider its type name starts with.
func (c *checker) blocks(kind string, byType map[string]map[string]map[string]any,
	of func(*tfjson.ProviderSchema) map[string]*tfjson.Schema, schemas *tfjson.ProviderSchemas, address func(string) string) {
	for tfType, byName := range byType {
		local, _, _ := strings.Cut(tfType, "_")
		addr := address(local)
		if tfType == "terraform_data" {
			addr = builtinAddress
		}
		var schema *tfjson.Schema
		if p := schemas.Schemas[addr]; p != nil {
			schema = of(p)[tfType]
		}
		for name, body := range byName {
			path := kind + "." + tfType + "." + name
			if schema == nil {
				c.addf("%s: the %s provider has no such type", path, local)
				continue
			}
			c.block(path, body, schema.Block, true)
		}
	}
}

// block checks one block body: every key is an attribute or a nested block
// of the schema, required attributes are present, computed-only ones are
// not set, and nested blocks are nested as the schema says.
func (c *checker) block(path string, body map[string]any, s *tfjson.SchemaBlock, top bool) {
	for k, v := range body {
		if top && metaArguments[k] {
			continue
		}
		if a, ok := s.Attributes[k]; ok {
			c.attribute(path+"."+k, v, a)
			continue
		}
		if nb, ok := s.NestedBlocks[k]; ok {
			c.nested(path+"."+k, v, nb)
			continue
		}
		c.addf("%s.%s: no such attribute or block", path, k)
	}
	for k, a := range s.Attributes {
		if _, set := body[k]; a.Required && !set {
			c.addf("%s.%s: required attribute missing", path, k)
		}
	}
	for k, nb := range s.NestedBlocks {
		if _, set := body[k]; !set && nb.MinItems > 0 {
			c.addf("%s.%s: required block missing (at least %d)", path, k, nb.MinItems)
		}
	}
}

func (c *checker) attribute(path string, v any, a *tfjson.SchemaAttribute) {
	if a.Computed && !a.Optional && !a.Required {
		c.addf("%s: computed by the provider, cannot be set", path)
		return
	}
	if a.AttributeNestedType != nil {
		c.nestedAttribute(path, v, a.AttributeNestedType)
		return
	}
	if problem := checkValue(v, a.AttributeType); problem != "" {
		c.addf("%s: %s", path, problem)
	}
}

// nested checks a nested block. In JSON a single or group block is one
// object; a list or set block is an object (one item) or an array of them;
// a map block is an object of labelled items.
func (c *checker) nested(path string, v any, nb *tfjson.SchemaBlockType) {
	var items []map[string]any
	switch nb.NestingMode {
	case tfjson.SchemaNestingModeSingle, tfjson.SchemaNestingModeGroup:
		m, ok := v.(map[string]any)
		if !ok {
			c.addf("%s: a %s block is one object, got %T", path, nb.NestingMode, v)
			return
		}
		items = []map[string]any{m}
	case tfjson.SchemaNestingModeList, tfjson.SchemaNestingModeSet:
		items = objects(v)
		if items == nil {
			c.addf("%s: a %s block is an object or an array of objects, got %T", path, nb.NestingMode, v)
			return
		}
	case tfjson.SchemaNestingModeMap:
		for _, item := range objectValues(v) {
			items = append(items, item)
		}
	default:
		c.addf("%s: nesting mode %q unknown to the checker", path, nb.NestingMode)
		return
	}
	n := uint64(len(items))
	if n < nb.MinItems || (nb.MaxItems > 0 && n > nb.MaxItems) {
		c.addf("%s: %d blocks, the schema allows %d to %d", path, n, nb.MinItems, nb.MaxItems)
	}
	for i, item := range items {
		c.block(fmt.Sprintf("%s[%d]", path, i), item, nb.Block, false)
	}
}

// nestedAttribute checks an attribute whose type is itself a set of
// attributes (protocol 6 providers), the same way as a block.
func (c *checker) nestedAttribute(path string, v any, nt *tfjson.SchemaNestedAttributeType) {
	blk := &tfjson.SchemaBlock{Attributes: nt.Attributes}
	if nt.NestingMode == tfjson.SchemaNestingModeSingle {
		if m, ok := v.(map[string]any); ok {
			c.block(path, m, blk, false)
			return
		}
		c.addf("%s: a nested attribute is one object, got %T", path, v)
		return
	}
	c.nested(path, v, &tfjson.SchemaBlockType{NestingMode: nt.NestingMode, Block: blk, MinItems: nt.MinItems, MaxItems: nt.MaxItems})
}

// checkValue is a shallow type check: JSON kinds against the cty type.
// A string holding a "${…}" reference may stand for any type.
func checkValue(v any, t cty.Type) string {
	if s, ok := v.(string); ok && strings.Contains(s, "${") {
		return ""
	}
	switch {
	case t == cty.DynamicPseudoType:
		return ""
	case t.IsPrimitiveType():
		switch v.(type) {
		case string, float64, bool:
			return ""
		}
		return fmt.Sprintf("want a %s, got %T", t.FriendlyName(), v)
	case t.IsListType() || t.IsSetType():
		arr, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("want a %s, got %T", t.FriendlyName(), v)
		}
		for _, e := range arr {
			if p := checkValue(e, t.ElementType()); p != "" {
				return p
			}
		}
	case t.IsMapType() || t.IsObjectType():
		if _, ok := v.(map[string]any); !ok {
			return fmt.Sprintf("want a %s, got %T", t.FriendlyName(), v)
		}
	}
	return ""
}

func objects(v any) []map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return []map[string]any{x}
	case []any:
		out := make([]map[string]any, 0, len(x))
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil
			}
			out = append(out, m)
		}
		return out
	}
	return nil
}

func objectValues(v any) map[string]map[string]any {
	out := map[string]map[string]any{}
	m, _ := v.(map[string]any)
	for k, e := range m {
		if item, ok := e.(map[string]any); ok {
			out[k] = item
		}
	}
	return out
}
