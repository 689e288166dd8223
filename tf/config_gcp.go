package tf

// gcpProviderVers is the google provider the configurations are written for.
const gcpProviderVers = "~> 6.0"

type gcpProviderBlock struct {
	Project string `json:"project,omitempty"`
	Region  string `json:"region"`
}

func gcpProvider(b *configBuilder) error {
	b.require("google", "hashicorp/google", gcpProviderVers)
	b.setProvider("google", gcpProviderBlock{Project: b.in.Account, Region: b.in.Region})
	return nil
}
