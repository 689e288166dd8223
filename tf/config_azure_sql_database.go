package tf

import "github.com/cloudengine/cloud-engine/deploy"

// What a minimal real flexible server needs and the modal does not ask.
const (
	azurePGVersion   = "16"
	azurePGStorageMB = 32768
)

// randomPassword is a server's administrator password. Azure wants three
// of four kinds of character; without specials that is all of upper, lower
// and digit, which a uniform draw misses about once in 280 (no digit).
type randomPassword struct {
	Length     int             `json:"length"`
	Special    bool            `json:"special"`
	MinUpper   int             `json:"min_upper"`
	MinLower   int             `json:"min_lower"`
	MinNumeric int             `json:"min_numeric"`
	Lifecycle  ignoreLifecycle `json:"lifecycle"`
}

// ignoreLifecycle is a lifecycle block that only ignores changes.
type ignoreLifecycle struct {
	IgnoreChanges []string `json:"ignore_changes"`
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
	Lifecycle             ignoreLifecycle   `json:"lifecycle"`
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
	if err := b.resource("random_password", r.Name, randomPassword{Length: 32,
		MinUpper: 1, MinLower: 1, MinNumeric: 1,
		// The minimums replace the password when changed: a server made
		// before they were set keeps its password rather than having it
		// rotated by an upgrade of the engine.
		Lifecycle: ignoreLifecycle{IgnoreChanges: []string{"min_upper", "min_lower", "min_numeric"}}}); err != nil {
		return err
	}
	return b.resource("azurerm_postgresql_flexible_server", r.Name, azurePGServer{
		Name: r.Name, ResourceGroupName: rg, Location: p[paramRegion], Version: azurePGVersion,
		SKUName: sku, StorageMB: azurePGStorageMB, AdministratorLogin: azureAdminUser,
		AdministratorPassword: ref("random_password", r.Name, "result"), Tags: commonLabels(b.in.Account),
		// Azure chooses the zone when none is given and the provider reads it
		// back, but refuses to change it (except by swapping with a standby):
		// a plan wanting it back to null would fail every later apply.
		Lifecycle: ignoreLifecycle{IgnoreChanges: []string{"zone"}},
	})
}
