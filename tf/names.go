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

// nameRule is one rule of a type or provider; rule is the sentence shown when
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

// checkName applies the base rule, then the type's rules, then the
// provider's own.
func checkName(t resourceType, p providerSpec, name string) error {
	if err := checkBaseName(name); err != nil {
		return err
	}
	for _, rules := range [][]nameRule{t.names, t.on[p.id].names} {
		for _, r := range rules {
			if !r.ok(name) {
				return invalidName(name, r.rule)
			}
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

// googleLookalike undoes the digit-for-letter spellings Google counts as
// close misspellings of "google" ("g00gle", "goog1e", "googl3").
var googleLookalike = strings.NewReplacer("0", "o", "1", "l", "3", "e")

// gcpBucketRule: Cloud Storage refuses bucket names that start with "goog"
// or contain "google" or a close misspelling of it.
func gcpBucketRule() nameRule {
	return nameRule{
		ok: func(name string) bool {
			return !strings.HasPrefix(name, "goog") && !strings.Contains(googleLookalike.Replace(name), "google")
		},
		rule: `gcp storage bucket names must not start with "goog" or contain "google" or a close misspelling such as "g00gle".`,
	}
}

// S3 reserves these for its own names (access point aliases, directory
// and table buckets, documentation examples); "sthree-" covers
// "sthree-configurator". Dots never pass the base rule, so ".mrap" cannot occur.
var (
	s3ReservedPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	s3ReservedSuffixes = []string{"-s3alias", "--ol-s3", "--x-s3", "--table-s3"}
)

func awsBucketRule() nameRule {
	return nameRule{
		ok: func(name string) bool {
			for _, p := range s3ReservedPrefixes {
				if strings.HasPrefix(name, p) {
					return false
				}
			}
			for _, sfx := range s3ReservedSuffixes {
				if strings.HasSuffix(name, sfx) {
					return false
				}
			}
			return true
		},
		rule: `aws S3 bucket names must not start with "xn--", "sthree-" or "amzn-s3-demo-" or end with "-s3alias", "--ol-s3", "--x-s3" or "--table-s3".`,
	}
}

var azureStorageName = regexp.MustCompile(`^[a-z0-9]{3,24}$`)

func azureStorageRule() nameRule {
	return nameRule{
		ok:   azureStorageName.MatchString,
		rule: "azure storage account names use only lowercase letters and digits (no hyphens), 3–24 characters.",
	}
}
