package tf

import "github.com/cloudengine/cloud-engine/deploy"

// Size names are the same for every provider; each provider maps them to its
// own machine type, tier or SKU.
const (
	sizeSmall  = "small"
	sizeMedium = "medium"
	sizeLarge  = "large"
)

// providerSpec is what the catalog knows about one provider.
type providerSpec struct {
	id            string
	defaultRegion string
	regions       []string
	// skus maps resource type → size → the provider's machine type, tier or SKU.
	skus map[string]map[string]string
	// names holds the provider's own name rules, checked after the base rule.
	names map[string][]nameRule
	// imageDiskGB is the disk size of the provider's VM image, the
	// smallest disk a VM may have (0: smaller than any offered disk).
	imageDiskGB int
}

func gcpSpec() providerSpec {
	return providerSpec{
		id:            deploy.ProviderGCP,
		defaultRegion: "us-central1",
		regions:       []string{"us-central1", "us-east1", "europe-west1", "europe-west4", "asia-southeast1"},
		skus: map[string]map[string]string{
			deploy.TypeComputeVM:   {sizeSmall: "e2-small", sizeMedium: "e2-medium", sizeLarge: "e2-standard-2"},
			deploy.TypeSQLDatabase: {sizeSmall: "db-f1-micro", sizeMedium: "db-g1-small", sizeLarge: "db-custom-2-7680"},
		},
		names: map[string][]nameRule{
			deploy.TypeStorageBucket: {minLenRule("gcp", "storage buckets", 3), gcpBucketRule()},
			deploy.TypeNetwork:       {notDefaultRule()},
		},
	}
}

func awsSpec() providerSpec {
	return providerSpec{
		id:            deploy.ProviderAWS,
		defaultRegion: "us-east-1",
		regions:       []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"},
		skus: map[string]map[string]string{
			deploy.TypeComputeVM:   {sizeSmall: "t3.small", sizeMedium: "t3.medium", sizeLarge: "t3.large"},
			deploy.TypeSQLDatabase: {sizeSmall: "db.t4g.micro", sizeMedium: "db.t4g.small", sizeLarge: "db.t4g.medium"},
		},
		names: map[string][]nameRule{
			deploy.TypeStorageBucket: {minLenRule("aws", "S3 buckets", 3), awsBucketRule()},
			deploy.TypeSQLDatabase:   {noDoubleHyphenRule("aws", "RDS instances")},
			deploy.TypeNetwork:       {notDefaultRule()},
		},
	}
}

func azureSpec() providerSpec {
	return providerSpec{
		id:            deploy.ProviderAzure,
		defaultRegion: "eastus",
		regions:       []string{"eastus", "westus2", "westeurope", "northeurope", "southeastasia"},
		skus: map[string]map[string]string{
			deploy.TypeComputeVM:   {sizeSmall: "Standard_B1s", sizeMedium: "Standard_B2s", sizeLarge: "Standard_B2ms"},
			deploy.TypeSQLDatabase: {sizeSmall: "B_Standard_B1ms", sizeMedium: "B_Standard_B2s", sizeLarge: "GP_Standard_D2s_v3"},
		},
		names: map[string][]nameRule{
			deploy.TypeStorageBucket: {azureStorageRule()},
			deploy.TypeSQLDatabase:   {minLenRule("azure", "PostgreSQL servers", 3)},
			deploy.TypeNetwork:       {notDefaultRule()},
		},
		// Canonical's Ubuntu 24.04 image has a 30 GB OS disk; Azure refuses
		// a VM whose disk_size_gb is smaller than its image.
		imageDiskGB: 30,
	}
}

// sandboxSpec accepts the gcp regions and sizes, so that a sandbox project
// can be priced like its gcp equivalent.
func sandboxSpec() providerSpec {
	g := gcpSpec()
	g.id = deploy.ProviderSandbox
	g.names = map[string][]nameRule{deploy.TypeNetwork: {notDefaultRule()}}
	return g
}

// typeSpec is one resource type: its terraform type per provider and the
// parameters its modal asks for besides the name.
type typeSpec struct {
	id      string
	tfTypes map[string]string // provider → terraform resource type
	params  []param
}

func typeSpecs() []typeSpec {
	return []typeSpec{
		{
			id: deploy.TypeComputeVM,
			tfTypes: map[string]string{deploy.ProviderGCP: "google_compute_instance", deploy.ProviderAWS: "aws_instance",
				deploy.ProviderAzure: "azurerm_linux_virtual_machine", deploy.ProviderSandbox: "terraform_data"},
			params: []param{sizeParam(), regionParam(), diskParam(), networkParam()},
		},
		{
			id: deploy.TypeStorageBucket,
			tfTypes: map[string]string{deploy.ProviderGCP: "google_storage_bucket", deploy.ProviderAWS: "aws_s3_bucket",
				deploy.ProviderAzure: "azurerm_storage_account", deploy.ProviderSandbox: "terraform_data"},
			params: []param{regionParam(), versioningParam()},
		},
		{
			id: deploy.TypeSQLDatabase,
			tfTypes: map[string]string{deploy.ProviderGCP: "google_sql_database_instance", deploy.ProviderAWS: "aws_db_instance",
				deploy.ProviderAzure: "azurerm_postgresql_flexible_server", deploy.ProviderSandbox: "terraform_data"},
			params: []param{sizeParam(), regionParam(), networkParam()},
		},
		{
			id: deploy.TypeNetwork,
			tfTypes: map[string]string{deploy.ProviderGCP: "google_compute_network", deploy.ProviderAWS: "aws_vpc",
				deploy.ProviderAzure: "azurerm_virtual_network", deploy.ProviderSandbox: "terraform_data"},
			params: []param{regionParam(), cidrParam()},
		},
	}
}
