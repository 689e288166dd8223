package tf

import (
	"strconv"

	"github.com/cloudengine/cloud-engine/deploy"
)

// An azure VM gets a network of its own unless it names one of its session.
const (
	azureVMAddressBase = "10.0.0.0/16"
	azureVMSubnet      = "10.0.1.0/24"
)

type azureNIC struct {
	Name              string            `json:"name"`
	ResourceGroupName string            `json:"resource_group_name"`
	Location          string            `json:"location"`
	IPConfiguration   azureIPConfig     `json:"ip_configuration"`
	Tags              map[string]string `json:"tags"`
}

type azureIPConfig struct {
	Name                       string `json:"name"`
	SubnetID                   string `json:"subnet_id"`
	PrivateIPAddressAllocation string `json:"private_ip_address_allocation"`
}

type tlsKey struct {
	Algorithm string `json:"algorithm"`
	RSABits   int    `json:"rsa_bits"`
}

type azureVM struct {
	Name                 string            `json:"name"`
	ResourceGroupName    string            `json:"resource_group_name"`
	Location             string            `json:"location"`
	Size                 string            `json:"size"`
	AdminUsername        string            `json:"admin_username"`
	NetworkInterfaceIDs  []string          `json:"network_interface_ids"`
	AdminSSHKey          azureSSHKey       `json:"admin_ssh_key"`
	OSDisk               azureOSDisk       `json:"os_disk"`
	SourceImageReference azureImage        `json:"source_image_reference"`
	Tags                 map[string]string `json:"tags"`
}

type azureSSHKey struct {
	Username  string `json:"username"`
	PublicKey string `json:"public_key"`
}

type azureOSDisk struct {
	Caching            string `json:"caching"`
	StorageAccountType string `json:"storage_account_type"`
	DiskSizeGB         int    `json:"disk_size_gb"`
}

type azureImage struct {
	Publisher string `json:"publisher"`
	Offer     string `json:"offer"`
	SKU       string `json:"sku"`
	Version   string `json:"version"`
}

// azureOwnVNet names the virtual network of a VM in no session network.
func azureOwnVNet(vm string) string { return vm + "-vnet" }

// azureOwnVNetsFree refuses a network resource named as the network a VM
// of the same session gets of its own: both would create that network.
func azureOwnVNetsFree(rs []deploy.Resource) error {
	networks := map[string]bool{}
	for _, r := range rs {
		if r.Type == typeNetwork {
			networks[r.Name] = true
		}
	}
	for _, r := range rs {
		own := azureOwnVNet(r.Name)
		if _, named := namedNetwork(r); r.Type != typeComputeVM || named || !networks[own] {
			continue
		}
		return deploy.Errorf(deploy.EINVALID, "Invalid name %q: on azure, %s is the name of the network that compute_vm %s gets of its own; name the network otherwise, or put %s into it.",
			own, own, r.Name, r.Name)
	}
	return nil
}

// azureComputeVM gives a VM its own network, NIC and SSH key: an azure VM
// cannot exist without a network interface and an admin credential.
func azureComputeVM(b *configBuilder, r deploy.Resource) error {
	p, rg, tags, loc := r.Params, b.azureRG(), commonLabels(b.in.Account), r.Params[paramRegion]
	sku, err := b.cat.sku(deploy.ProviderAzure, r.Type, p[paramSize])
	if err != nil {
		return err
	}
	disk, _ := strconv.Atoi(p[paramDiskGB])
	b.require("tls", "hashicorp/tls", "~> 4.0")
	type block struct {
		tfType string
		body   any
	}
	// Azure has no default network: by default a VM gets a network of its
	// own; with a session network it joins that network's subnet.
	var blocks []block
	subnet, ok := namedNetwork(r)
	if !ok {
		subnet = r.Name
		blocks = []block{
			{"azurerm_virtual_network", azureVNet{Name: azureOwnVNet(r.Name), ResourceGroupName: rg, Location: loc,
				AddressSpace: []string{azureVMAddressBase}, Tags: tags}},
			{"azurerm_subnet", azureSubnet{Name: defaultNetwork, ResourceGroupName: rg,
				VirtualNetworkName: ref("azurerm_virtual_network", r.Name, "name"), AddressPrefixes: []string{azureVMSubnet}}},
		}
	}
	blocks = append(blocks, []block{
		{"azurerm_network_interface", azureNIC{Name: r.Name + "-nic", ResourceGroupName: rg, Location: loc,
			IPConfiguration: azureIPConfig{Name: "internal", SubnetID: ref("azurerm_subnet", subnet, "id"),
				PrivateIPAddressAllocation: "Dynamic"}, Tags: tags}},
		{"tls_private_key", tlsKey{Algorithm: "RSA", RSABits: 4096}},
		{"azurerm_linux_virtual_machine", azureVM{Name: r.Name, ResourceGroupName: rg, Location: loc, Size: sku,
			AdminUsername: azureAdminUser, NetworkInterfaceIDs: []string{ref("azurerm_network_interface", r.Name, "id")},
			AdminSSHKey:          azureSSHKey{Username: azureAdminUser, PublicKey: ref("tls_private_key", r.Name, "public_key_openssh")},
			OSDisk:               azureOSDisk{Caching: "ReadWrite", StorageAccountType: "Standard_LRS", DiskSizeGB: disk},
			SourceImageReference: azureImage{Publisher: "Canonical", Offer: "ubuntu-24_04-lts", SKU: "server", Version: "latest"},
			Tags:                 tags}},
	}...)
	for _, blk := range blocks {
		if err := b.resource(blk.tfType, r.Name, blk.body); err != nil {
			return err
		}
	}
	return nil
}
