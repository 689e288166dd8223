package tf

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

// FuzzConfig feeds the generator directly, bypassing the service's
// validation: whatever the input, the output is valid JSON with only the
// expected top-level blocks, and no input string becomes a template.
func FuzzConfig(f *testing.F) {
	f.Add("sandbox", "compute_vm", "web", "small", "us-central1", "10.0.0.0/16", "", "20")
	f.Add("gcp", "network", "net-1", "", "europe-west1", "192.168.0.0/24", "acme-dev-123", "")
	f.Add("aws", "storage_bucket", "logs", "", "us-east-1", "", "acme", "")
	f.Add("aws", "compute_vm", "web", "small", "us-east-1", "", "arn:aws:iam::123456789012:role/ce-dev", "20")
	f.Add("azure", "sql_database", "db\"}},\"resource\":{", "large", "eastus", "", "rg(1)", "")
	f.Add("gcp", "compute_vm", "a${file(\"x\")}", "small", "us-central1", "", "${x}", "%{if}")
	cat := NewCatalog()
	f.Fuzz(func(t *testing.T, provider, typeID, name, size, region, cidr, account, disk string) {
		r := deploy.Resource{Type: typeID, Name: name, Params: map[string]string{}}
		for k, v := range map[string]string{paramSize: size, paramRegion: region, paramCIDR: cidr, paramDiskGB: disk} {
			if v != "" && hasParam(cat.types[typeID], k) {
				r.Params[k] = v
			}
		}
		out, err := generateConfig(cat, configInput{Provider: provider, Region: region, Account: account,
			Resources: []deploy.Resource{r}, Backend: backendConfig{LocalPath: localStatePath}})
		if err != nil {
			if deploy.ErrorCode(err) != deploy.EINVALID {
				t.Fatalf("error is not EINVALID: %v", err)
			}
			return
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("generated invalid JSON: %v\n%s", err, out)
		}
		for k := range doc {
			switch k {
			case "terraform", "provider", "resource", "data":
			default:
				t.Fatalf("unexpected top-level block %q", k)
			}
		}
		checkNoInjectedTemplates(t, out, name, account)
	})
}

// generatorExpression matches the few expressions the generator writes
// besides plain references: the default VPC's condition and the sorted
// pick of its first subnet. Neither holds any input.
var generatorExpression = regexp.MustCompile(`^(length\(self\.ids\) > 0|sort\(data\.aws_subnets\.[a-z0-9_]+\.ids\)\[0\])$`)

// checkNoInjectedTemplates: every "${" in the output is one of the
// generator's own references.
func checkNoInjectedTemplates(t *testing.T, out []byte, inputs ...string) {
	t.Helper()
	s := string(out)
	for _, in := range inputs {
		if strings.ContainsAny(in, "${}%\"\\") && strings.Contains(s, in) {
			t.Fatalf("input %q reached the config", in)
		}
	}
	for i := strings.Index(s, "${"); i >= 0; i = strings.Index(s, "${") {
		end := strings.IndexByte(s[i:], '}')
		ref := s[i+2 : i+end]
		if generatorExpression.MatchString(ref) {
			s = s[i+end:]
			continue
		}
		if strings.ContainsAny(ref, " (\"%$") {
			t.Fatalf("template %q is not a plain reference", ref)
		}
		s = s[i+end:]
	}
	if strings.Contains(s, "%{") {
		t.Fatalf("template directive in config")
	}
}
