package tf

import (
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

type gcpBucket struct {
	Name                     string            `json:"name"`
	Location                 string            `json:"location"`
	StorageClass             string            `json:"storage_class"`
	UniformBucketLevelAccess bool              `json:"uniform_bucket_level_access"`
	PublicAccessPrevention   string            `json:"public_access_prevention"`
	Versioning               gcpVersioning     `json:"versioning"`
	Labels                   map[string]string `json:"labels"`
}

type gcpVersioning struct {
	Enabled bool `json:"enabled"`
}

func gcpStorageBucket(b *configBuilder, r deploy.Resource) error {
	p := r.Params
	return b.resource("google_storage_bucket", r.Name, gcpBucket{
		Name: r.Name, Location: strings.ToUpper(p[paramRegion]), StorageClass: "STANDARD",
		UniformBucketLevelAccess: true, PublicAccessPrevention: "enforced",
		Versioning: gcpVersioning{Enabled: p[paramVersioning] == "on"}, Labels: commonLabels(b.in.Account),
	})
}
