package tf

import (
	"strconv"

	"github.com/cloudengine/cloud-engine/deploy"
)

// gcpImage and gcpZoneSuffix are what a minimal real instance needs and
// the modal does not ask.
const (
	gcpImage      = "debian-cloud/debian-12"
	gcpZoneSuffix = "-b" // every catalog region has a zone b
)

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

func gcpComputeVM(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	sku, err := b.cat.sku(deploy.ProviderGCP, r.Type, p[paramSize])
	if err != nil {
		return err
	}
	disk, _ := strconv.Atoi(p[paramDiskGB])
	return b.resource("google_compute_instance", r.Name, gcpInstance{
		Name: r.Name, MachineType: sku, Zone: p[paramRegion] + gcpZoneSuffix, AllowStoppingForUpdate: true,
		BootDisk:         gcpBootDisk{InitializeParams: gcpDiskParams{Image: gcpImage, Size: disk}},
		NetworkInterface: gcpNetworkInterface{Subnetwork: gcpVMSubnetwork(b, r)},
		Labels:           commonLabels(b.in.Account),
	})
}
