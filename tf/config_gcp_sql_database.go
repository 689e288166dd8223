package tf

import "github.com/cloudengine/cloud-engine/deploy"

// What a minimal real Cloud SQL instance needs and the modal does not ask.
const (
	gcpSQLVersion = "POSTGRES_16"
	gcpSQLEdition = "ENTERPRISE" // the edition that offers the shared-core tiers
)

type gcpSQLInstance struct {
	Name               string         `json:"name"`
	Region             string         `json:"region"`
	DatabaseVersion    string         `json:"database_version"`
	DeletionProtection bool           `json:"deletion_protection"`
	Settings           gcpSQLSettings `json:"settings"`
}

type gcpSQLSettings struct {
	Tier       string            `json:"tier"`
	Edition    string            `json:"edition"`
	UserLabels map[string]string `json:"user_labels"`
}

func gcpSQLDatabase(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	sku, err := b.cat.sku(deploy.ProviderGCP, r.Type, p[paramSize])
	if err != nil {
		return err
	}
	return b.resource("google_sql_database_instance", r.Name, gcpSQLInstance{
		Name: r.Name, Region: p[paramRegion], DatabaseVersion: gcpSQLVersion,
		Settings: gcpSQLSettings{Tier: sku, Edition: gcpSQLEdition, UserLabels: commonLabels(b.in.Account)},
	})
}
