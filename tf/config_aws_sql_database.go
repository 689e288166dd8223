package tf

import "github.com/cloudengine/cloud-engine/deploy"

// What a minimal real RDS instance needs and the modal does not ask.
const (
	awsDBEngine    = "postgres"
	awsDBVersion   = "16"
	awsDBStorageGB = 20
	awsDBUser      = "cloudengine"
)

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

func awsSQLDatabase(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	sku, err := b.cat.sku(deploy.ProviderAWS, r.Type, p[paramSize])
	if err != nil {
		return err
	}
	group, err := awsDBSubnetGroupFor(b, r)
	if err != nil {
		return err
	}
	return b.resource("aws_db_instance", r.Name, awsDBInstance{
		Region: p[paramRegion], Identifier: r.Name, Engine: awsDBEngine, EngineVersion: awsDBVersion,
		InstanceClass: sku, DBSubnetGroupName: group, AllocatedStorage: awsDBStorageGB, StorageEncrypted: true,
		Username: awsDBUser, ManageMasterUserPassword: true, SkipFinalSnapshot: true, ApplyImmediately: true,
		Tags: map[string]string{"Name": r.Name},
	})
}
