package tf

import (
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestValidateAccount(t *testing.T) {
	cat := NewCatalog()
	awsRule := "an aws account is the IAM role ARN the runs assume, arn:aws:iam::<12-digit account id>:role/<name> (a path before the name is allowed; no commas, at most 256 characters)."
	longPath := "arn:aws:iam::123456789012:role/" + strings.Repeat("p/", 115) + "ce-dev" // 267 characters
	cases := []struct {
		provider, account string
		want              string // "" = valid; else the whole message
	}{
		{"aws", "", ""},
		{"aws", "arn:aws:iam::123456789012:role/ce-dev", ""},
		{"aws", "arn:aws:iam::123456789012:role/teams/platform/ce_Deploy+1", ""},
		{"aws", "acme-dev", `Invalid account "acme-dev": ` + awsRule},
		{"aws", "arn:aws:iam::12345678901:role/ce-dev", `Invalid account "arn:aws:iam::12345678901:role/ce-dev": ` + awsRule},
		{"aws", "arn:aws:iam::123456789012:user/ce-dev", `Invalid account "arn:aws:iam::123456789012:user/ce-dev": ` + awsRule},
		{"aws", "arn:aws:iam::123456789012:role/", `Invalid account "arn:aws:iam::123456789012:role/": ` + awsRule},
		{"aws", "arn:aws:iam::123456789012:role/${x}", `Invalid account "arn:aws:iam::123456789012:role/${x}": ` + awsRule},
		{"aws", "arn:aws:s3:::123456789012:role/ce-dev", `Invalid account "arn:aws:s3:::123456789012:role/ce-dev": ` + awsRule},
		// a tag value: RDS and S3 refuse commas and more than 256 characters
		{"aws", "arn:aws:iam::123456789012:role/ce,dev", `Invalid account "arn:aws:iam::123456789012:role/ce,dev": ` + awsRule},
		{"aws", longPath, `Invalid account "` + longPath + `": ` + awsRule},
		{"aws", "arn:aws:iam::123456789012:role/" + strings.Repeat("p/", 100) + "ce-dev", ""},
		{"gcp", "acme-dev-123", ""},
		{"gcp", "Acme", `Invalid account "Acme": a gcp project id has 6–30 lowercase letters, digits and hyphens, starts with a letter and ends with a letter or digit.`},
		{"azure", "rg-acme.dev(1)", ""},
	}
	for _, c := range cases {
		t.Run(c.provider+" "+c.account, func(t *testing.T) {
			err := cat.ValidateAccount(c.provider, c.account)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if deploy.ErrorCode(err) != deploy.EINVALID || deploy.ErrorMessage(err) != c.want {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
		})
	}
}

// TestAWSAccountsAssumeTheirRoles: two aws projects with two roles plan
// into two accounts; a project without one uses the credentials' account.
func TestAWSAccountsAssumeTheirRoles(t *testing.T) {
	cat := NewCatalog()
	roleOf := func(account string) any {
		in := goldenInput(deploy.ProviderAWS, typeNetwork)
		in.Account = account
		out, err := generateConfig(cat, in)
		if err != nil {
			t.Fatal(err)
		}
		return jsonPath(t, out, "provider.aws.assume_role")
	}
	dev, prod := "arn:aws:iam::111111111111:role/ce-dev", "arn:aws:iam::222222222222:role/deploy/ce-prod"
	for _, arn := range []string{dev, prod} {
		got, _ := roleOf(arn).([]any)
		if len(got) != 1 {
			t.Fatalf("%s: assume_role %v, want one block", arn, roleOf(arn))
		}
		blk := got[0].(map[string]any)
		if blk["role_arn"] != arn || blk["session_name"] != awsSessionName {
			t.Errorf("assume_role %v, want role_arn %s", blk, arn)
		}
	}
	if r := roleOf(""); r != nil {
		t.Errorf("no account: assume_role %v, want none", r)
	}
	in := goldenInput(deploy.ProviderGCP, typeNetwork)
	out, err := generateConfig(cat, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonPath(t, out, "provider.google.project"); got != in.Account {
		t.Errorf("gcp provider project %v, want %s", got, in.Account)
	}
}
