package discordtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const specResource = "discord.json"

// validator checks request bodies against Discord's OpenAPI description.
// Schemas are compiled on first use: the file is large and each route needs
// only one.
type validator struct {
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

// openAPI is Discord's OpenAPI description (MIT licence, see the README
// beside it), embedded so that the fake runs wherever its binary does.
//
//go:embed testdata/discord-api-spec/openapi.json
var openAPI []byte

func newValidator(specPath string) (*validator, error) {
	raw := openAPI
	if specPath != "" {
		var err error
		if raw, err = os.ReadFile(specPath); err != nil {
			return nil, fmt.Errorf("read discord api spec: %w", err)
		}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("decode discord api spec: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(specResource, doc); err != nil {
		return nil, fmt.Errorf("load discord api spec: %w", err)
	}
	return &validator{compiler: c, schemas: map[string]*jsonschema.Schema{}}, nil
}

// requestSchema is the JSON pointer of an operation's JSON request body.
func requestSchema(path, method string) string {
	esc := strings.NewReplacer("~", "~0", "/", "~1").Replace
	return "/paths/" + esc(path) + "/" + method + "/requestBody/content/application~1json/schema"
}

func (v *validator) schema(pointer string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.schemas[pointer]; ok {
		return s, nil
	}
	s, err := v.compiler.Compile(specResource + "#" + pointer)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", pointer, err)
	}
	v.schemas[pointer] = s
	return s, nil
}

// validate checks body against the schema at pointer.
func (v *validator) validate(pointer string, body []byte) error {
	s, err := v.schema(pointer)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	coercePermissions(inst)
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("schema %s: %w", pointer, err)
	}
	return nil
}

// coercePermissions works around the spec typing default_member_permissions
// as an integer while Discord's docs (and disgo) send a decimal string; the
// spec's README says int-parseable strings are accepted.
func coercePermissions(v any) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			coercePermissions(e)
		}
	case map[string]any:
		if s, ok := t["default_member_permissions"].(string); ok {
			if _, err := json.Number(s).Int64(); err == nil {
				t["default_member_permissions"] = json.Number(s)
			}
		}
	}
}
