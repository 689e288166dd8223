package tf

import "github.com/cloudengine/cloud-engine/deploy"

// sandboxTFType is what every sandbox resource is.
const sandboxTFType = "terraform_data"

// sandboxData is terraform's built-in terraform_data: no provider, no
// network, yet plan and apply are real terraform runs.
type sandboxData struct {
	Input map[string]string `json:"input"`
	// DependsOn orders a resource after the session network it goes
	// into, as a real provider's reference would.
	DependsOn []string `json:"depends_on,omitempty"`
}

// sandboxAddressName makes the address read naturally and keeps types
// apart, since every sandbox resource is a terraform_data:
// terraform_data.compute_vm_web.
func sandboxAddressName(r deploy.Resource) string {
	return r.Type + "_" + r.Name
}

// sandboxResource keeps the resource's type, name and parameters in input,
// which is also what prices it like its gcp equivalent.
func sandboxResource(b *configBuilder, r deploy.Resource) error {
	in := map[string]string{"type": r.Type, "name": r.Name}
	for k, v := range r.Params {
		in[k] = v
	}
	body := sandboxData{Input: in}
	if n, ok := namedNetwork(r); ok {
		net := deploy.Resource{Type: typeNetwork, Name: n}
		body.DependsOn = []string{sandboxTFType + "." + sandboxAddressName(net)}
	}
	return b.resource(sandboxTFType, sandboxAddressName(r), body)
}
