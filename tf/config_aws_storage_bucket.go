package tf

import "github.com/cloudengine/cloud-engine/deploy"

type awsBucket struct {
	Region string            `json:"region"`
	Bucket string            `json:"bucket"`
	Tags   map[string]string `json:"tags"`
}

type awsPublicAccessBlock struct {
	Region                string `json:"region"`
	Bucket                string `json:"bucket"`
	BlockPublicACLs       bool   `json:"block_public_acls"`
	BlockPublicPolicy     bool   `json:"block_public_policy"`
	IgnorePublicACLs      bool   `json:"ignore_public_acls"`
	RestrictPublicBuckets bool   `json:"restrict_public_buckets"`
}

type awsBucketVersioning struct {
	Region                  string           `json:"region"`
	Bucket                  string           `json:"bucket"`
	VersioningConfiguration awsVersionStatus `json:"versioning_configuration"`
}

type awsVersionStatus struct {
	Status string `json:"status"`
}

// awsStorageBucket is a bucket with its public access blocked and, when
// asked, versioning: S3 keeps both in resources of their own.
func awsStorageBucket(b *configBuilder, r deploy.Resource) error {
	region := r.Params[paramRegion]
	if err := b.resource("aws_s3_bucket", r.Name, awsBucket{Region: region, Bucket: r.Name, Tags: map[string]string{"Name": r.Name}}); err != nil {
		return err
	}
	bucket := ref("aws_s3_bucket", r.Name, "id")
	if err := b.resource("aws_s3_bucket_public_access_block", r.Name, awsPublicAccessBlock{Region: region, Bucket: bucket,
		BlockPublicACLs: true, BlockPublicPolicy: true, IgnorePublicACLs: true, RestrictPublicBuckets: true}); err != nil {
		return err
	}
	if r.Params[paramVersioning] != "on" {
		return nil
	}
	return b.resource("aws_s3_bucket_versioning", r.Name, awsBucketVersioning{Region: region, Bucket: bucket,
		VersioningConfiguration: awsVersionStatus{Status: "Enabled"}})
}
