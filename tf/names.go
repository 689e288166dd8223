package tf

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Name limits shared by every provider (SPEC §4).
const (
	nameMinLen = 2
	nameMaxLen = 40
)

var baseName = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)

const baseNameRule = "use lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, 2–40 characters."

// nameRule is one provider-specific rule; rule is the sentence shown when
// ok rejects a name.
type nameRule struct {
	ok   func(name string) bool
	rule string
}

func invalidName(name, rule string) error {
	return deploy.Errorf(deploy.EINVALID, "Invalid name %q: %s", name, rule)
}

// checkBaseName applies the rule every provider shares; the config generator
// calls it again so that no name can reach terraform unchecked.
func checkBaseName(name string) error {
	if len(name) < nameMinLen || len(name) > nameMaxLen || !baseName.MatchString(name) {
		return invalidName(name, baseNameRule)
	}
	return nil
}

func checkName(p providerSpec, typeID, name string) error {
	if err := checkBaseName(name); err != nil {
		return err
	}
	for _, r := range p.names[typeID] {
		if !r.ok(name) {
			return invalidName(name, r.rule)
		}
	}
	return nil
}

func minLenRule(provider, what string, n int) nameRule {
	return nameRule{
		ok:   func(name string) bool { return len(name) >= n },
		rule: fmt.Sprintf("%s %s need %d–%d characters.", provider, what, n, nameMaxLen),
	}
}

func noDoubleHyphenRule(provider, what string) nameRule {
	return nameRule{
		ok:   func(name string) bool { return !strings.Contains(name, "--") },
		rule: fmt.Sprintf("%s %s must not contain two hyphens in a row.", provider, what),
	}
}

func gcpBucketRule() nameRule {
	return nameRule{
		ok: func(name string) bool {
			return !strings.HasPrefix(name, "goog") && !strings.Contains(name, "google")
		},
		rule: `gcp storage bucket names must not start with "goog" or contain "google".`,
	}
}

func awsBucketRule() nameRule {
	return nameRule{
		ok: func(name string) bool {
			return !strings.HasPrefix(name, "xn--") && !strings.HasPrefix(name, "sthree-") &&
				!strings.HasSuffix(name, "-s3alias") && !strings.HasSuffix(name, "--ol-s3")
		},
		rule: `aws S3 bucket names must not start with "xn--" or "sthree-" or end with "-s3alias" or "--ol-s3".`,
	}
}

var azureStorageName = regexp.MustCompile(`^[a-z0-9]{3,24}$`)

func azureStorageRule() nameRule {
	return nameRule{
		ok:   azureStorageName.MatchString,
		rule: "azure storage account names use only lowercase letters and digits (no hyphens), 3–24 characters.",
	}
}
