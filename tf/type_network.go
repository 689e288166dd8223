package tf

import "github.com/cloudengine/cloud-engine/deploy"

const typeNetwork = "network"

// networkType is a private network with one address range, which a
// compute_vm or sql_database of the same session may name to go into it.
// A network costs nothing by itself (the price table lists it as free).
func networkType() resourceType {
	return resourceType{
		id: typeNetwork, label: "Network",
		params: []param{regionParam(), cidrParam()},
		names:  []nameRule{notDefaultRule()},
		on: map[string]typeOn{
			deploy.ProviderGCP:   {tfType: "google_compute_network", generate: gcpNetworkBlocks, unpriced: true},
			deploy.ProviderAWS:   {tfType: "aws_vpc", generate: awsNetworkBlocks, unpriced: true},
			deploy.ProviderAzure: {tfType: "azurerm_virtual_network", generate: azureNetworkBlocks, unpriced: true},
		},
	}
}
