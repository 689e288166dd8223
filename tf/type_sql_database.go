package tf

import "github.com/cloudengine/cloud-engine/deploy"

const typeSQLDatabase = "sql_database"

// sqlDatabaseType is a managed PostgreSQL server.
func sqlDatabaseType() resourceType {
	return resourceType{
		id: typeSQLDatabase, label: "SQL database",
		params: []param{sizeParam(), regionParam(), sqlNetworkParam()},
		on: map[string]typeOn{
			deploy.ProviderGCP: {tfType: "google_sql_database_instance", generate: gcpSQLDatabase,
				skus:     map[string]string{sizeSmall: "db-f1-micro", sizeMedium: "db-g1-small", sizeLarge: "db-custom-2-7680"},
				priceKey: gcpTierKey},
			deploy.ProviderAWS: {tfType: "aws_db_instance", generate: awsSQLDatabase,
				skus:     map[string]string{sizeSmall: "db.t4g.micro", sizeMedium: "db.t4g.small", sizeLarge: "db.t4g.medium"},
				names:    []nameRule{noDoubleHyphenRule("aws", "RDS instances")},
				priceKey: attrKey("region", "instance_class")},
			deploy.ProviderAzure: {tfType: "azurerm_postgresql_flexible_server", generate: azureSQLDatabase,
				skus:     map[string]string{sizeSmall: "B_Standard_B1ms", sizeMedium: "B_Standard_B2s", sizeLarge: "GP_Standard_D2s_v3"},
				names:    []nameRule{minLenRule("azure", "PostgreSQL servers", 3)},
				priceKey: attrKey("location", "sku_name")},
		},
	}
}

// gcpTierKey prices a Cloud SQL instance by the tier in its settings block.
func gcpTierKey(v map[string]any) (string, string) {
	tier := ""
	if s, ok := v["settings"].([]any); ok && len(s) > 0 {
		if m, ok := s[0].(map[string]any); ok {
			tier = str(m, "tier")
		}
	}
	return str(v, "region"), tier
}

// privateSQLNeeds: a gcp or azure database in a network of its own needs
// more than a network; without it the database would fail at apply, so a
// named network is refused at validation.
var privateSQLNeeds = map[string]string{
	deploy.ProviderGCP:   "private services access",
	deploy.ProviderAzure: "a delegated subnet and a private DNS zone",
}

// sqlNetworkParam is the network parameter, refusing a named network where
// the provider's database needs more than one to join it.
func sqlNetworkParam() param {
	prm := networkParam()
	base := prm.check
	prm.check = func(t target, v string) error {
		if err := base(t, v); err != nil || v == defaultNetwork {
			return err
		}
		if needs, ok := privateSQLNeeds[t.p.id]; ok {
			return deploy.Errorf(deploy.EINVALID, "Invalid network %q: %s sql_database servers use default (their provider's own network); a private one needs %s, which Cloud Engine does not create.",
				v, t.p.id, needs)
		}
		return nil
	}
	return prm
}
