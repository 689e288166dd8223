package tf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/cloudengine/cloud-engine/deploy"
)

// ConfigFile is the name of the generated configuration in a working directory.
const ConfigFile = "main.tf.json"

// requiredTerraform accepts the 1.5.7 of the container image and anything newer
// that has terraform_data.
const requiredTerraform = ">= 1.5.0"

// pgSchema is where the pg backend keeps state (SPEC §6).
const pgSchema = "terraform_state"

// configInput is everything the generator needs. Resources must have been
// validated by the catalog; the generator checks names and the account again
// because every JSON string is a terraform template.
type configInput struct {
	Provider  string
	Region    string
	Account   string
	Resources []deploy.Resource
	Backend   backendConfig
}

// backendConfig selects where state lives: a local file at LocalPath, or
// PostgreSQL when PG is set (the connection string comes from PG_CONN_STR).
type backendConfig struct {
	LocalPath string
	PG        bool
}

type tfConfig struct {
	Terraform terraformBlock            `json:"terraform"`
	Provider  map[string]any            `json:"provider,omitempty"`
	Data      map[string]map[string]any `json:"data,omitempty"`
	Resource  map[string]map[string]any `json:"resource,omitempty"`
}

type terraformBlock struct {
	RequiredVersion   string                         `json:"required_version"`
	RequiredProviders map[string]providerRequirement `json:"required_providers,omitempty"`
	Backend           map[string]any                 `json:"backend"`
}

type providerRequirement struct {
	Source  string `json:"source"`
	Version string `json:"version"`
}

type localBackend struct {
	Path string `json:"path"`
}

type pgBackend struct {
	SchemaName string `json:"schema_name"`
}

// configBuilder collects blocks and refuses to define an address twice.
type configBuilder struct {
	cat *Catalog
	in  configInput
	cfg tfConfig
	// owners maps every resource address to the name of the catalog
	// resource it was generated for (current while generating).
	owners  map[string]string
	current string
}

// generateConfig renders main.tf.json for a session's resources.
func generateConfig(cat *Catalog, in configInput) ([]byte, error) {
	out, _, err := generate(cat, in)
	return out, err
}

// generate renders main.tf.json and says which resource each address
// belongs to.
func generate(cat *Catalog, in configInput) ([]byte, map[string]string, error) {
	b := &configBuilder{cat: cat, owners: map[string]string{}, cfg: tfConfig{
		Terraform: terraformBlock{RequiredVersion: requiredTerraform},
	}}
	if err := checkAccount(in.Provider, in.Account); err != nil {
		return nil, nil, err
	}
	// the provider block's region is a string of the configuration too
	if in.Region == "" {
		in.Region = cat.DefaultRegion(in.Provider)
	}
	if err := cat.ValidateRegion(in.Provider, in.Region); err != nil {
		return nil, nil, err
	}
	b.in = in
	if err := b.backend(); err != nil {
		return nil, nil, err
	}
	providerBlock, err := providerGenerator(in.Provider)
	if err != nil {
		return nil, nil, err
	}
	if err := providerBlock(b); err != nil {
		return nil, nil, err
	}
	resources, err := b.checkResources()
	if err != nil {
		return nil, nil, err
	}
	for _, v := range resources {
		b.current = v.Name
		gen := cat.types[v.Type].on[in.Provider].generate
		if gen == nil {
			return nil, nil, deploy.Errorf(deploy.EINVALID, "Unknown resource type %q.", v.Type)
		}
		if err := gen(b, v); err != nil {
			return nil, nil, err
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // keeps ">= 1.5.0" readable; terraform reads either
	enc.SetIndent("", "  ")
	if err := enc.Encode(b.cfg); err != nil {
		return nil, nil, fmt.Errorf("encode %s: %w", ConfigFile, err)
	}
	return out.Bytes(), b.owners, nil
}

func (b *configBuilder) backend() error {
	switch {
	case b.in.Backend.PG:
		b.cfg.Terraform.Backend = map[string]any{"pg": pgBackend{SchemaName: pgSchema}}
	case b.in.Backend.LocalPath != "":
		b.cfg.Terraform.Backend = map[string]any{"local": localBackend{Path: b.in.Backend.LocalPath}}
	default:
		return fmt.Errorf("generate config: no state backend")
	}
	return nil
}

// checkResources re-applies the catalog's rules and returns the canonical
// resources: the generator may be called with anything, and must never let
// a value become a template or a block, nor a reference dangle.
func (b *configBuilder) checkResources() ([]deploy.Resource, error) {
	out := make([]deploy.Resource, 0, len(b.in.Resources))
	for _, r := range b.in.Resources {
		v, err := b.cat.Validate(b.in.Provider, b.in.Region, r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := b.cat.checkSession(b.in.Provider, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (b *configBuilder) require(name, source, version string) {
	if b.cfg.Terraform.RequiredProviders == nil {
		b.cfg.Terraform.RequiredProviders = map[string]providerRequirement{}
	}
	b.cfg.Terraform.RequiredProviders[name] = providerRequirement{Source: source, Version: version}
}

func (b *configBuilder) setProvider(name string, body any) {
	if b.cfg.Provider == nil {
		b.cfg.Provider = map[string]any{}
	}
	b.cfg.Provider[name] = body
}

func (b *configBuilder) resource(tfType, name string, body any) error {
	if err := addBlock(&b.cfg.Resource, tfType, name, body); err != nil {
		return err
	}
	b.owners[tfType+"."+name] = b.current
	return nil
}

// data adds a data source; the same one asked twice (a shared image lookup)
// is kept once.
func (b *configBuilder) data(tfType, name string, body any) {
	if _, ok := b.cfg.Data[tfType][name]; ok {
		return
	}
	_ = addBlock(&b.cfg.Data, tfType, name, body)
}

func addBlock(m *map[string]map[string]any, tfType, name string, body any) error {
	if *m == nil {
		*m = map[string]map[string]any{}
	}
	if (*m)[tfType] == nil {
		(*m)[tfType] = map[string]any{}
	}
	if _, dup := (*m)[tfType][name]; dup {
		return deploy.Errorf(deploy.EINVALID, "Invalid name %q: names must be unique within a session.", name)
	}
	(*m)[tfType][name] = body
	return nil
}

// providerGenerator returns what renders a provider's own blocks; each
// resource type's descriptor has the generator of its resources.
func providerGenerator(provider string) (func(b *configBuilder) error, error) {
	switch provider {
	case deploy.ProviderGCP:
		return gcpProvider, nil
	case deploy.ProviderAWS:
		return awsProvider, nil
	case deploy.ProviderAzure:
		return azureProvider, nil
	case deploy.ProviderSandbox:
		return func(*configBuilder) error { return nil }, nil
	}
	return nil, deploy.Errorf(deploy.EINVALID, "Unknown provider %q.", provider)
}

// Accounts are checked against each provider's own alphabet, which contains
// neither "$" nor "%", so an account can never become a template.
var accountRules = map[string]struct {
	re   *regexp.Regexp
	rule string
}{
	deploy.ProviderGCP: {regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`), "a gcp project id has 6–30 lowercase letters, digits and hyphens, starts with a letter and ends with a letter or digit."},
	// An IAM role ARN: the role's path and name use IAM's alphabet for names
	// (letters, digits and +=,.@_-), which keeps "$" and "%" out — all but
	// the comma, and at most 256 characters in all, because the ARN is also
	// the value of the account tag on every resource, and RDS and S3 refuse
	// a tag value with a comma or longer than that.
	deploy.ProviderAWS: {regexp.MustCompile(`^arn:aws:iam::[0-9]{12}:role/([A-Za-z0-9+=.@_-]+/)*[A-Za-z0-9+=.@_-]{1,64}$`),
		"an aws account is the IAM role ARN the runs assume, arn:aws:iam::<12-digit account id>:role/<name> (a path before the name is allowed; no commas, at most 256 characters)."},
	deploy.ProviderAzure:   {regexp.MustCompile(`^[A-Za-z0-9._()-]{0,89}[A-Za-z0-9_()-]$`), "an azure resource group name has 1–90 letters, digits, periods, underscores, hyphens and parentheses, and does not end with a period."},
	deploy.ProviderSandbox: {regexp.MustCompile(`^[A-Za-z0-9._-]{1,90}$`), "a sandbox account has 1–90 letters, digits, periods, underscores and hyphens."},
}

// maxAccountLen bounds every account: it is a tag or label value, and
// 256 is the longest tag value AWS and Azure accept.
const maxAccountLen = 256

// checkAccount validates the project's account; empty means the provider's default.
func checkAccount(provider, account string) error {
	if account == "" {
		return nil
	}
	r, ok := accountRules[provider]
	if !ok {
		return deploy.Errorf(deploy.EINVALID, "Unknown provider %q.", provider)
	}
	if !r.re.MatchString(account) || len(account) > maxAccountLen {
		return deploy.Errorf(deploy.EINVALID, "Invalid account %q: %s", account, r.rule)
	}
	return nil
}

// ValidateAccount checks a project's account against the provider's rule,
// so that a bad one is refused when the project is created, not at its
// first plan.
func (c *Catalog) ValidateAccount(provider, account string) error {
	return checkAccount(provider, account)
}

// ref is a terraform reference to another block's attribute; names are
// validated, so they are safe inside "${…}".
func ref(tfType, name, attr string) string {
	return "${" + address(tfType, name, attr) + "}"
}

// address is the bare reference, to use inside a larger expression.
func address(tfType, name, attr string) string {
	return tfType + "." + name + "." + attr
}

// commonLabels marks what Cloud Engine manages.
func commonLabels(account string) map[string]string {
	l := map[string]string{"managed-by": "cloud-engine"}
	if account != "" {
		l["cloud-engine-account"] = account
	}
	return l
}
