package tf

import "github.com/cloudengine/cloud-engine/deploy"

type azureVNet struct {
	Name              string            `json:"name"`
	ResourceGroupName string            `json:"resource_group_name"`
	Location          string            `json:"location"`
	AddressSpace      []string          `json:"address_space"`
	Tags              map[string]string `json:"tags"`
}

type azureSubnet struct {
	Name               string   `json:"name"`
	ResourceGroupName  string   `json:"resource_group_name"`
	VirtualNetworkName string   `json:"virtual_network_name"`
	AddressPrefixes    []string `json:"address_prefixes"`
}

// azureNetworkBlocks is a virtual network and its one subnet, which spans
// the whole range: a VM of the session joins the network through it.
func azureNetworkBlocks(b *configBuilder, r deploy.Resource) error {
	p, rg, tags := r.Params, b.azureRG(), commonLabels(b.in.Account)
	if err := b.resource("azurerm_virtual_network", r.Name, azureVNet{Name: r.Name, ResourceGroupName: rg,
		Location: p[paramRegion], AddressSpace: []string{p[paramCIDR]}, Tags: tags}); err != nil {
		return err
	}
	return b.resource("azurerm_subnet", r.Name, azureSubnet{Name: defaultNetwork, ResourceGroupName: rg,
		VirtualNetworkName: ref("azurerm_virtual_network", r.Name, "name"), AddressPrefixes: []string{p[paramCIDR]}})
}
