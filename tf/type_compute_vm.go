package tf

import (
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

const typeComputeVM = "compute_vm"

// computeVMType is a virtual machine with a boot disk, in the provider's
// default network or a network of its session.
func computeVMType() resourceType {
	return resourceType{
		id: typeComputeVM, label: "Virtual machine",
		params: []param{sizeParam(), regionParam(), diskParam(), networkParam()},
		on: map[string]typeOn{
			deploy.ProviderGCP: {tfType: "google_compute_instance", generate: gcpComputeVM,
				skus:     map[string]string{sizeSmall: "e2-small", sizeMedium: "e2-medium", sizeLarge: "e2-standard-2"},
				priceKey: gcpZoneKey},
			deploy.ProviderAWS: {tfType: "aws_instance", generate: awsComputeVM,
				skus:     map[string]string{sizeSmall: "t3.small", sizeMedium: "t3.medium", sizeLarge: "t3.large"},
				priceKey: attrKey("region", "instance_type")},
			deploy.ProviderAzure: {tfType: "azurerm_linux_virtual_machine", generate: azureComputeVM,
				skus:     map[string]string{sizeSmall: "Standard_B1s", sizeMedium: "Standard_B2s", sizeLarge: "Standard_B2ms"},
				priceKey: attrKey("location", "size")},
		},
	}
}

// gcpZoneKey prices a gcp instance by the region of its zone.
func gcpZoneKey(v map[string]any) (string, string) {
	zone := str(v, "zone")
	if i := strings.LastIndexByte(zone, '-'); i > 0 {
		zone = zone[:i]
	}
	return zone, str(v, "machine_type")
}
