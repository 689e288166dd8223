package tf

import "github.com/cloudengine/cloud-engine/deploy"

// What a minimal real flexible server needs and the modal does not ask.
const (
	azurePGVersion   = "16"
	azurePGStorageMB = 32768
)

type randomPassword struct {
	Length  int  `json:"length"`
	Special bool `json:"special"`
}

type azurePGServer struct {
	Name                  string            `json:"name"`
	ResourceGroupName     string            `json:"resource_group_name"`
	Location              string            `json:"location"`
	Version               string            `json:"version"`
	SKUName               string            `json:"sku_name"`
	StorageMB             int               `json:"storage_mb"`
	AdministratorLogin    string            `json:"administrator_login"`
	AdministratorPassword string            `json:"administrator_password"`
	Tags                  map[string]string `json:"tags"`
}

// azureSQLDatabase is a flexible server whose administrator password
// terraform generates.
func azureSQLDatabase(b *configBuilder, r deploy.Resource) error {
	p, rg := r.Params, b.azureRG()
	sku, err := b.cat.sku(deploy.ProviderAzure, r.Type, p[paramSize])
	if err != nil {
		return err
	}
	b.require("random", "hashicorp/random", "~> 3.6")
	if err := b.resource("random_password", r.Name, randomPassword{Length: 32}); err != nil {
		return err
	}
	return b.resource("azurerm_postgresql_flexible_server", r.Name, azurePGServer{
		Name: r.Name, ResourceGroupName: rg, Location: p[paramRegion], Version: azurePGVersion,
		SKUName: sku, StorageMB: azurePGStorageMB, AdministratorLogin: azureAdminUser,
		AdministratorPassword: ref("random_password", r.Name, "result"), Tags: commonLabels(b.in.Account),
	})
}
