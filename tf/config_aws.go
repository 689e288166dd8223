package tf

// awsProviderVers is the aws provider the configurations are written for.
const awsProviderVers = "~> 6.0" // 6.x takes region per resource

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

type awsFilter struct {
	Name   string `json:"name"`
	Values any    `json:"values"` // a list, or a reference to one
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
