package tf

import "github.com/cloudengine/cloud-engine/deploy"

type gcpNetwork struct {
	Name                  string `json:"name"`
	AutoCreateSubnetworks bool   `json:"auto_create_subnetworks"`
}

type gcpSubnetwork struct {
	Name        string `json:"name"`
	Region      string `json:"region"`
	IPCIDRRange string `json:"ip_cidr_range"`
	Network     string `json:"network"`
}

// gcpNetworkBlocks is a custom-mode network and its one subnetwork, which
// spans the whole range.
func gcpNetworkBlocks(b *configBuilder, r deploy.Resource) error {
	if err := b.resource("google_compute_network", r.Name, gcpNetwork{Name: r.Name}); err != nil {
		return err
	}
	return b.resource("google_compute_subnetwork", r.Name, gcpSubnetwork{
		Name: r.Name + "-subnet", Region: r.Params[paramRegion], IPCIDRRange: r.Params[paramCIDR],
		Network: ref("google_compute_network", r.Name, "id"),
	})
}
