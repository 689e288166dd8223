package tf

import "github.com/cloudengine/cloud-engine/deploy"

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

func azureStorageBucket(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	return b.resource("azurerm_storage_account", r.Name, azureStorageAccount{
		Name: r.Name, ResourceGroupName: b.azureRG(), Location: p[paramRegion], AccountTier: "Standard",
		AccountReplicationType: "LRS", MinTLSVersion: "TLS1_2",
		BlobProperties: azureBlobProps{VersioningEnabled: p[paramVersioning] == "on"}, Tags: commonLabels(b.in.Account),
	})
}
