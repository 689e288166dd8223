package tf

import (
	"strconv"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Defaults for what a minimal real azure resource needs and the modal does not ask.
const (
	azureProviderVers  = "~> 4.0"
	azureDefaultRG     = "cloud-engine" // used when the project names no resource group
	azureAdminUser     = "cloudengine"
	azureVMAddressBase = "10.0.0.0/16"
	azureVMSubnet      = "10.0.1.0/24"
	azurePGVersion     = "16"
	azurePGStorageMB   = 32768
)

type azureProviderBlock struct {
	Features struct{} `json:"features"`
}

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

type azureStorageAccount struct {
	Name                   string            `json:"name"`
	ResourceGroupName      string            `json:"resource_group_name"`
	Location               string            `json:"location"`
	AccountTier            string            `json:"account_tier"`
	AccountReplicationType string            `json:"account_replication_type"`
	MinTLSVersion          string            `json:"min_tls_version"`
	BlobProperties         azureBlobProps    `json:"blob_properties"`
	Tags                   map[string]string `json:"tags"`
}

type azureBlobProps struct {
	VersioningEnabled bool `json:"versioning_enabled"`
}

type randomPassword struct {
	Length  int  `json:"length"`
	Special bool `json:"special"`
}

type azurePGServer struct {
	Name                  string            `json:"name"`
	ResourceGroupName     string            `json:"resource_group_name"`
	Location              string            `json:"location"`
	Version               string            `json:"version"`
	SKUName               string            `json:"sku_name"`
	StorageMB             int               `json:"storage_mb"`
	AdministratorLogin    string            `json:"administrator_login"`
	AdministratorPassword string            `json:"administrator_password"`
	Tags                  map[string]string `json:"tags"`
}

// azureProvider needs the features block; the subscription and credentials
// come from the ARM_* variables.
func azureProvider(b *configBuilder) error {
	b.require("azurerm", "hashicorp/azurerm", azureProviderVers)
	b.setProvider("azurerm", azureProviderBlock{})
	return nil
}

// azureRGData is the name of the data source that looks the project's
// resource group up.
const azureRGData = "account"

type azureRGLookup struct {
	Name string `json:"name"`
}

// azureRG looks the project's resource group up with a data source, so
// that a missing group fails the plan naming it, and returns the
// reference every resource puts itself into.
func (b *configBuilder) azureRG() string {
	name := b.in.Account
	if name == "" {
		name = azureDefaultRG
	}
	b.data("azurerm_resource_group", azureRGData, azureRGLookup{Name: name})
	return "${data.azurerm_resource_group." + azureRGData + ".name}"
}

func azureResource(b *configBuilder, r deploy.Resource) error {
	p, rg, tags := r.Params, b.azureRG(), commonLabels(b.in.Account)
	switch r.Type {
	case deploy.TypeComputeVM:
		return azureVMBlocks(b, r)
	case deploy.TypeStorageBucket:
		return b.resource("azurerm_storage_account", r.Name, azureStorageAccount{
			Name: r.Name, ResourceGroupName: rg, Location: p[paramRegion], AccountTier: "Standard",
			AccountReplicationType: "LRS", MinTLSVersion: "TLS1_2",
			BlobProperties: azureBlobProps{VersioningEnabled: p[paramVersioning] == "on"}, Tags: tags,
		})
	case deploy.TypeSQLDatabase:
		sku, err := b.cat.sku(deploy.ProviderAzure, r.Type, p[paramSize])
		if err != nil {
			return err
		}
		b.require("random", "hashicorp/random", "~> 3.6")
		if err := b.resource("random_password", r.Name, randomPassword{Length: 32}); err != nil {
			return err
		}
		return b.resource("azurerm_postgresql_flexible_server", r.Name, azurePGServer{
			Name: r.Name, ResourceGroupName: rg, Location: p[paramRegion], Version: azurePGVersion,
			SKUName: sku, StorageMB: azurePGStorageMB, AdministratorLogin: azureAdminUser,
			AdministratorPassword: ref("random_password", r.Name, "result"), Tags: tags,
		})
	case deploy.TypeNetwork:
		// A VM of the session joins the network through its one subnet,
		// which spans the whole range.
		if err := b.resource("azurerm_virtual_network", r.Name, azureVNet{Name: r.Name, ResourceGroupName: rg,
			Location: p[paramRegion], AddressSpace: []string{p[paramCIDR]}, Tags: tags}); err != nil {
			return err
		}
		return b.resource("azurerm_subnet", r.Name, azureSubnet{Name: defaultNetwork, ResourceGroupName: rg,
			VirtualNetworkName: ref("azurerm_virtual_network", r.Name, "name"), AddressPrefixes: []string{p[paramCIDR]}})
	}
	return deploy.Errorf(deploy.EINVALID, "Unknown resource type %q.", r.Type)
}

// azureVMBlocks gives a VM its own network, NIC and SSH key: an azure VM
// cannot exist without a network interface and an admin credential.
func azureVMBlocks(b *configBuilder, r deploy.Resource) error {
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
			{"azurerm_virtual_network", azureVNet{Name: r.Name + "-vnet", ResourceGroupName: rg, Location: loc,
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
