package tf

import "github.com/cloudengine/cloud-engine/deploy"

const typeStorageBucket = "storage_bucket"

// storageBucketType is an object store, private, optionally versioned.
// Buckets are billed by what they store and serve, never by the hour:
// unpriced on every provider (the price table lists them as usage-priced).
func storageBucketType() resourceType {
	return resourceType{
		id: typeStorageBucket, label: "Storage bucket",
		params: []param{regionParam(), versioningParam()},
		on: map[string]typeOn{
			deploy.ProviderGCP: {tfType: "google_storage_bucket", generate: gcpStorageBucket, unpriced: true,
				names: []nameRule{minLenRule("gcp", "storage buckets", 3), gcpBucketRule()}},
			deploy.ProviderAWS: {tfType: "aws_s3_bucket", generate: awsStorageBucket, unpriced: true,
				names: []nameRule{minLenRule("aws", "S3 buckets", 3), awsBucketRule()}},
			deploy.ProviderAzure: {tfType: "azurerm_storage_account", generate: azureStorageBucket, unpriced: true,
				names: []nameRule{azureStorageRule()}},
		},
	}
}
