package tf

import "github.com/cloudengine/cloud-engine/deploy"

// Size names are the same for every provider; each provider maps them to its
// own machine type, tier or SKU.
const (
	sizeSmall  = "small"
	sizeMedium = "medium"
	sizeLarge  = "large"
)

// providerSpec is what the catalog knows about one provider; what it knows
// about a resource type on it is in the type's descriptor (typeOn).
type providerSpec struct {
	id            string
	defaultRegion string
	regions       []string
	// imageDiskGB is the disk size of the provider's VM image, the
	// smallest disk a VM may have (0: smaller than any offered disk).
	imageDiskGB int
	// checkSession, when set, is the provider's own rule over a whole
	// session's resources.
	checkSession func(rs []deploy.Resource) error
}

func gcpSpec() providerSpec {
	return providerSpec{
		id:            deploy.ProviderGCP,
		defaultRegion: "us-central1",
		regions:       []string{"us-central1", "us-east1", "europe-west1", "europe-west4", "asia-southeast1"},
	}
}

func awsSpec() providerSpec {
	return providerSpec{
		id:            deploy.ProviderAWS,
		defaultRegion: "us-east-1",
		regions:       []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"},
	}
}

func azureSpec() providerSpec {
	return providerSpec{
		id:            deploy.ProviderAzure,
		defaultRegion: "eastus",
		regions:       []string{"eastus", "westus2", "westeurope", "northeurope", "southeastasia"},
		// Canonical's Ubuntu 24.04 image has a 30 GB OS disk; Azure refuses
		// a VM whose disk_size_gb is smaller than its image.
		imageDiskGB:  30,
		checkSession: azureOwnVNetsFree,
	}
}

// sandboxSpec accepts the gcp regions (and, through sandboxOn, sizes), so
// that a sandbox project can be priced like its gcp equivalent.
func sandboxSpec() providerSpec {
	g := gcpSpec()
	g.id = deploy.ProviderSandbox
	return g
}
