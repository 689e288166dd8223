package tf

import (
	"strconv"
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Defaults for what a minimal real gcp resource needs and the modal does not ask.
const (
	gcpImage        = "debian-cloud/debian-12"
	gcpZoneSuffix   = "-b" // every catalog region has a zone b
	gcpSQLVersion   = "POSTGRES_16"
	gcpSQLEdition   = "ENTERPRISE" // the edition that offers the shared-core tiers
	gcpProviderVers = "~> 6.0"
)

type gcpProviderBlock struct {
	Project string `json:"project,omitempty"`
	Region  string `json:"region"`
}

type gcpInstance struct {
	Name        string `json:"name"`
	MachineType string `json:"machine_type"`
	Zone        string `json:"zone"`
	// AllowStoppingForUpdate lets a size change apply: the provider stops
	// the instance to change its machine type, and refuses without it.
	AllowStoppingForUpdate bool                `json:"allow_stopping_for_update"`
	BootDisk               gcpBootDisk         `json:"boot_disk"`
	NetworkInterface       gcpNetworkInterface `json:"network_interface"`
	Labels                 map[string]string   `json:"labels"`
}

type gcpBootDisk struct {
	InitializeParams gcpDiskParams `json:"initialize_params"`
}

type gcpDiskParams struct {
	Image string `json:"image"`
	Size  int    `json:"size"`
}

// gcpNetworkInterface names the subnetwork only: gcp infers the network
// from it, and a custom-mode network of the session has no other way in.
type gcpNetworkInterface struct {
	Subnetwork string `json:"subnetwork"`
}

type gcpSubnetworkLookup struct {
	Name   string `json:"name"`
	Region string `json:"region"`
}

// gcpVMSubnetwork returns the subnetwork a VM goes into: the default
// network's subnetwork of its region, looked up so that a project or
// region without one fails the plan, or its session network's.
func gcpVMSubnetwork(b *configBuilder, r deploy.Resource) string {
	if n, ok := namedNetwork(r); ok {
		return ref("google_compute_subnetwork", n, "self_link")
	}
	region := r.Params[paramRegion]
	key := "default_" + regionKey(region)
	b.data("google_compute_subnetwork", key, gcpSubnetworkLookup{Name: defaultNetwork, Region: region})
	return "${data.google_compute_subnetwork." + key + ".self_link}"
}

type gcpBucket struct {
	Name                     string            `json:"name"`
	Location                 string            `json:"location"`
	StorageClass             string            `json:"storage_class"`
	UniformBucketLevelAccess bool              `json:"uniform_bucket_level_access"`
	PublicAccessPrevention   string            `json:"public_access_prevention"`
	Versioning               gcpVersioning     `json:"versioning"`
	Labels                   map[string]string `json:"labels"`
}

type gcpVersioning struct {
	Enabled bool `json:"enabled"`
}

type gcpSQLInstance struct {
	Name               string         `json:"name"`
	Region             string         `json:"region"`
	DatabaseVersion    string         `json:"database_version"`
	DeletionProtection bool           `json:"deletion_protection"`
	Settings           gcpSQLSettings `json:"settings"`
}

type gcpSQLSettings struct {
	Tier       string            `json:"tier"`
	Edition    string            `json:"edition"`
	UserLabels map[string]string `json:"user_labels"`
}

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

func gcpProvider(b *configBuilder) error {
	b.require("google", "hashicorp/google", gcpProviderVers)
	b.setProvider("google", gcpProviderBlock{Project: b.in.Account, Region: b.in.Region})
	return nil
}

func gcpResource(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	labels := commonLabels(b.in.Account)
	switch r.Type {
	case deploy.TypeComputeVM:
		sku, err := b.cat.sku(deploy.ProviderGCP, r.Type, p[paramSize])
		if err != nil {
			return err
		}
		disk, _ := strconv.Atoi(p[paramDiskGB])
		return b.resource("google_compute_instance", r.Name, gcpInstance{
			Name: r.Name, MachineType: sku, Zone: p[paramRegion] + gcpZoneSuffix, AllowStoppingForUpdate: true,
			BootDisk:         gcpBootDisk{InitializeParams: gcpDiskParams{Image: gcpImage, Size: disk}},
			NetworkInterface: gcpNetworkInterface{Subnetwork: gcpVMSubnetwork(b, r)},
			Labels:           labels,
		})
	case deploy.TypeStorageBucket:
		return b.resource("google_storage_bucket", r.Name, gcpBucket{
			Name: r.Name, Location: strings.ToUpper(p[paramRegion]), StorageClass: "STANDARD",
			UniformBucketLevelAccess: true, PublicAccessPrevention: "enforced",
			Versioning: gcpVersioning{Enabled: p[paramVersioning] == "on"}, Labels: labels,
		})
	case deploy.TypeSQLDatabase:
		sku, err := b.cat.sku(deploy.ProviderGCP, r.Type, p[paramSize])
		if err != nil {
			return err
		}
		return b.resource("google_sql_database_instance", r.Name, gcpSQLInstance{
			Name: r.Name, Region: p[paramRegion], DatabaseVersion: gcpSQLVersion,
			Settings: gcpSQLSettings{Tier: sku, Edition: gcpSQLEdition, UserLabels: labels},
		})
	case deploy.TypeNetwork:
		if err := b.resource("google_compute_network", r.Name, gcpNetwork{Name: r.Name}); err != nil {
			return err
		}
		return b.resource("google_compute_subnetwork", r.Name, gcpSubnetwork{
			Name: r.Name + "-subnet", Region: p[paramRegion], IPCIDRRange: p[paramCIDR],
			Network: ref("google_compute_network", r.Name, "id"),
		})
	}
	return deploy.Errorf(deploy.EINVALID, "Unknown resource type %q.", r.Type)
}
