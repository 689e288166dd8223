package tf

import (
	"strconv"

	"github.com/cloudengine/cloud-engine/deploy"
)

// awsAMINamePattern picks the latest Amazon Linux 2023 image.
const awsAMINamePattern = "al2023-ami-2023.*-x86_64"

type awsAMI struct {
	Region     string      `json:"region"`
	MostRecent bool        `json:"most_recent"`
	Owners     []string    `json:"owners"`
	Filter     []awsFilter `json:"filter"`
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

func awsComputeVM(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	region := p[paramRegion]
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
		MetadataOptions: awsMetadata{HTTPTokens: "required"}, Tags: map[string]string{"Name": r.Name},
	})
}
