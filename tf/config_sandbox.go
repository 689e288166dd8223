package tf

import (
	"github.com/cloudengine/cloud-engine/deploy"
)

// sandboxData is terraform's built-in terraform_data: no provider, no
// network, yet plan and apply are real terraform runs.
type sandboxData struct {
	Input map[string]string `json:"input"`
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
	return b.resource("terraform_data", sandboxAddressName(r), sandboxData{Input: in})
}
