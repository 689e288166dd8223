package tf

// Defaults every azure resource shares.
const (
	azureProviderVers = "~> 4.0"
	azureDefaultRG    = "cloud-engine" // used when the project names no resource group
	azureAdminUser    = "cloudengine"  // of VMs and database servers
)

type azureProviderBlock struct {
	Features struct{} `json:"features"`
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
