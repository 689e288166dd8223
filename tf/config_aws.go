package tf

import (
	"strconv"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Defaults for what a minimal real aws resource needs and the modal does not ask.
const (
	awsProviderVers   = "~> 6.0" // 6.x takes region per resource
	awsAMINamePattern = "al2023-ami-2023.*-x86_64"
	awsDBEngine       = "postgres"
	awsDBVersion      = "16"
	awsDBStorageGB    = 20
	awsDBUser         = "cloudengine"
)

type awsProviderBlock struct {
	Region      string          `json:"region"`
	AssumeRole  []awsAssumeRole `json:"assume_role,omitempty"`
	DefaultTags awsDefaultTags  `json:"default_tags"`
}

// awsAssumeRole makes every call of the run with the project's role, so
// that each project deploys into the account its role belongs to.
type awsAssumeRole struct {
	RoleARN     string `json:"role_arn"`
	SessionName string `json:"session_name"`
}

// awsSessionName names the runs' sessions in the account's CloudTrail.
const awsSessionName = "cloud-engine"

type awsDefaultTags struct {
	Tags map[string]string `json:"tags"`
}

type awsAMI struct {
	Region     string      `json:"region"`
	MostRecent bool        `json:"most_recent"`
	Owners     []string    `json:"owners"`
	Filter     []awsFilter `json:"filter"`
}

type awsFilter struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

type awsInstance struct {
	Region          string            `json:"region"`
	AMI             string            `json:"ami"`
	InstanceType    string            `json:"instance_type"`
	RootBlockDevice awsRootDevice     `json:"root_block_device"`
	SubnetID        string            `json:"subnet_id"`
	MetadataOptions awsMetadata       `json:"metadata_options"`
	Tags            map[string]string `json:"tags"`
}

type awsRootDevice struct {
	VolumeSize int    `json:"volume_size"`
	VolumeType string `json:"volume_type"`
	Encrypted  bool   `json:"encrypted"`
}

type awsMetadata struct {
	HTTPTokens string `json:"http_tokens"`
}

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

type awsDBInstance struct {
	Region                   string `json:"region"`
	Identifier               string `json:"identifier"`
	Engine                   string `json:"engine"`
	EngineVersion            string `json:"engine_version"`
	InstanceClass            string `json:"instance_class"`
	DBSubnetGroupName        string `json:"db_subnet_group_name"`
	AllocatedStorage         int    `json:"allocated_storage"`
	StorageEncrypted         bool   `json:"storage_encrypted"`
	Username                 string `json:"username"`
	ManageMasterUserPassword bool   `json:"manage_master_user_password"`
	SkipFinalSnapshot        bool   `json:"skip_final_snapshot"`
	// ApplyImmediately makes a size change happen in the apply that was
	// approved, not in the next maintenance window.
	ApplyImmediately bool              `json:"apply_immediately"`
	Tags             map[string]string `json:"tags"`
}

type awsVPC struct {
	Region             string            `json:"region"`
	CIDRBlock          string            `json:"cidr_block"`
	EnableDNSSupport   bool              `json:"enable_dns_support"`
	EnableDNSHostnames bool              `json:"enable_dns_hostnames"`
	Tags               map[string]string `json:"tags"`
}

// awsProvider assumes the project's role when it names one: the engine's
// credentials (AWS_* variables) only need to be trusted by that role. With
// no account the credentials' own account is used.
func awsProvider(b *configBuilder) error {
	b.require("aws", "hashicorp/aws", awsProviderVers)
	blk := awsProviderBlock{Region: b.in.Region, DefaultTags: awsDefaultTags{Tags: commonLabels(b.in.Account)}}
	if b.in.Account != "" {
		blk.AssumeRole = []awsAssumeRole{{RoleARN: b.in.Account, SessionName: awsSessionName}}
	}
	b.setProvider("aws", blk)
	return nil
}

func awsResource(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	region := p[paramRegion]
	nameTag := map[string]string{"Name": r.Name}
	switch r.Type {
	case deploy.TypeComputeVM:
		sku, err := b.cat.sku(deploy.ProviderAWS, r.Type, p[paramSize])
		if err != nil {
			return err
		}
		ami := "al2023_" + regionKey(region)
		b.data("aws_ami", ami, awsAMI{Region: region, MostRecent: true, Owners: []string{"amazon"},
			Filter: []awsFilter{{Name: "name", Values: []string{awsAMINamePattern}}}})
		disk, _ := strconv.Atoi(p[paramDiskGB])
		return b.resource("aws_instance", r.Name, awsInstance{
			Region: region, AMI: "${data.aws_ami." + ami + ".id}", InstanceType: sku,
			RootBlockDevice: awsRootDevice{VolumeSize: disk, VolumeType: "gp3", Encrypted: true}, SubnetID: awsFirstSubnet(b, r),
			MetadataOptions: awsMetadata{HTTPTokens: "required"}, Tags: nameTag,
		})
	case deploy.TypeStorageBucket:
		return awsBucketBlocks(b, r)
	case deploy.TypeSQLDatabase:
		sku, err := b.cat.sku(deploy.ProviderAWS, r.Type, p[paramSize])
		if err != nil {
			return err
		}
		group, err := awsDBSubnetGroupFor(b, r)
		if err != nil {
			return err
		}
		return b.resource("aws_db_instance", r.Name, awsDBInstance{
			Region: region, Identifier: r.Name, Engine: awsDBEngine, EngineVersion: awsDBVersion,
			InstanceClass: sku, DBSubnetGroupName: group, AllocatedStorage: awsDBStorageGB, StorageEncrypted: true,
			Username: awsDBUser, ManageMasterUserPassword: true, SkipFinalSnapshot: true, ApplyImmediately: true, Tags: nameTag,
		})
	case deploy.TypeNetwork:
		return awsNetworkBlocks(b, r)
	}
	return deploy.Errorf(deploy.EINVALID, "Unknown resource type %q.", r.Type)
}

func awsBucketBlocks(b *configBuilder, r deploy.Resource) error {
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
