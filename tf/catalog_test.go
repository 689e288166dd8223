package tf

import (
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestValidate(t *testing.T) {
	cat := NewCatalog()
	base := `use lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, 2–40 characters.`
	s3Rule := `aws S3 bucket names must not start with "xn--", "sthree-" or "amzn-s3-demo-" or end with "-s3alias", "--ol-s3", "--x-s3" or "--table-s3".`
	cases := []struct {
		name, provider, typeID, resName string
		params                          map[string]string
		want                            string // error message; "" = valid
	}{
		{"defaults", "gcp", "compute_vm", "web", nil, ""},
		{"upper and underscore", "gcp", "compute_vm", "Web_1", nil, `Invalid name "Web_1": ` + base},
		{"one char", "sandbox", "network", "a", nil, `Invalid name "a": ` + base},
		{"41 chars", "aws", "network", "a2345678901234567890123456789012345678901", nil, `Invalid name "a2345678901234567890123456789012345678901": ` + base},
		{"trailing hyphen", "azure", "network", "net-", nil, `Invalid name "net-": ` + base},
		{"leading digit", "sandbox", "compute_vm", "1web", nil, `Invalid name "1web": ` + base},
		{"azure storage hyphen", "azure", "storage_bucket", "my-store", nil,
			`Invalid name "my-store": azure storage account names use only lowercase letters and digits (no hyphens), 3–24 characters.`},
		{"azure storage 25", "azure", "storage_bucket", "abcdefghijabcdefghijabcde", nil,
			`Invalid name "abcdefghijabcdefghijabcde": azure storage account names use only lowercase letters and digits (no hyphens), 3–24 characters.`},
		{"gcp bucket google", "gcp", "storage_bucket", "my-google-files", nil,
			`Invalid name "my-google-files": gcp storage bucket names must not start with "goog" or contain "google" or a close misspelling such as "g00gle".`},
		{"gcp bucket g00gle", "gcp", "storage_bucket", "my-g00gle-files", nil,
			`Invalid name "my-g00gle-files": gcp storage bucket names must not start with "goog" or contain "google" or a close misspelling such as "g00gle".`},
		{"gcp bucket goog1e", "gcp", "storage_bucket", "goog1e", nil,
			`Invalid name "goog1e": gcp storage bucket names must not start with "goog" or contain "google" or a close misspelling such as "g00gle".`},
		{"gcp bucket g0ogl3", "gcp", "storage_bucket", "x-g0ogl3", nil,
			`Invalid name "x-g0ogl3": gcp storage bucket names must not start with "goog" or contain "google" or a close misspelling such as "g00gle".`},
		{"gcp bucket go-ogle allowed", "gcp", "storage_bucket", "logs-go-ogle", nil, ""},
		{"gcp bucket short", "gcp", "storage_bucket", "ab", nil, `Invalid name "ab": gcp storage buckets need 3–40 characters.`},
		{"aws bucket xn", "aws", "storage_bucket", "xn--abc", nil, `Invalid name "xn--abc": ` + s3Rule},
		{"aws bucket demo prefix", "aws", "storage_bucket", "amzn-s3-demo-bucket", nil, `Invalid name "amzn-s3-demo-bucket": ` + s3Rule},
		{"aws bucket directory suffix", "aws", "storage_bucket", "logs--x-s3", nil, `Invalid name "logs--x-s3": ` + s3Rule},
		{"aws bucket table suffix", "aws", "storage_bucket", "logs--table-s3", nil, `Invalid name "logs--table-s3": ` + s3Rule},
		{"aws bucket ol suffix", "aws", "storage_bucket", "logs--ol-s3", nil, `Invalid name "logs--ol-s3": ` + s3Rule},
		{"aws bucket alias suffix", "aws", "storage_bucket", "logs-s3alias", nil, `Invalid name "logs-s3alias": ` + s3Rule},
		{"aws bucket s3 inside", "aws", "storage_bucket", "logs-x-s3-data", nil, ""},
		{"aws rds double hyphen", "aws", "sql_database", "db--one", nil, `Invalid name "db--one": aws RDS instances must not contain two hyphens in a row.`},
		{"sandbox allows double hyphen", "sandbox", "sql_database", "db--one", nil, ""},
		{"size", "aws", "compute_vm", "web", map[string]string{"size": "huge"}, `Invalid size "huge": use small, medium or large.`},
		{"region", "gcp", "network", "net", map[string]string{"region": "us-east-1"},
			`Invalid region "us-east-1": gcp regions are us-central1, us-east1, europe-west1, europe-west4, asia-southeast1.`},
		{"disk", "gcp", "compute_vm", "web", map[string]string{"disk_gb": "5000"}, `Invalid disk_gb "5000": use a whole number of GB from 10 to 500.`},
		{"azure disk below the image", "azure", "compute_vm", "web", map[string]string{"disk_gb": "20"}, `Invalid disk_gb "20": use a whole number of GB from 30 to 500.`},
		{"azure disk of the image", "azure", "compute_vm", "web", map[string]string{"disk_gb": "30"}, ""},
		{"gcp small disk", "gcp", "compute_vm", "web", map[string]string{"disk_gb": "10"}, ""},
		{"public cidr", "aws", "network", "net", map[string]string{"cidr": "8.8.0.0/16"},
			`Invalid cidr "8.8.0.0/16": use a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) from /16 to /24, such as 10.0.0.0/16.`},
		{"non-canonical cidr", "aws", "network", "net", map[string]string{"cidr": "10.0.0.1/16"},
			`Invalid cidr "10.0.0.1/16": use a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) from /16 to /24, such as 10.0.0.0/16.`},
		{"good cidr", "azure", "network", "net", map[string]string{"cidr": "172.20.0.0/20"}, ""},
		{"unknown param", "gcp", "network", "net", map[string]string{"image": "x"}, `Unknown parameter "image" for network: use region, cidr.`},
		{"versioning", "gcp", "storage_bucket", "logs", map[string]string{"versioning": "yes"}, `Invalid versioning "yes": use on or off.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cat.Validate(c.provider, "", deploy.Resource{Type: c.typeID, Name: c.resName, Params: c.params})
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				for _, f := range cat.types[c.typeID].params {
					if got.Params[f.id] == "" {
						t.Errorf("param %s not filled in", f.id)
					}
				}
				return
			}
			if deploy.ErrorCode(err) != deploy.EINVALID || deploy.ErrorMessage(err) != c.want {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestValidateDefaults(t *testing.T) {
	cat := NewCatalog()
	got, err := cat.Validate("aws", "eu-west-1", deploy.Resource{Type: "compute_vm", Name: " web ", Params: map[string]string{"size": "large"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"size": "large", "region": "eu-west-1", "disk_gb": "20", "network": "default"}
	if got.Name != "web" || len(got.Params) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for k, v := range want {
		if got.Params[k] != v {
			t.Errorf("%s = %q, want %q", k, got.Params[k], v)
		}
	}
	if _, err := cat.validateAll("aws", "us-east-1", []deploy.Resource{{Type: "network", Name: "a1"}, {Type: "compute_vm", Name: "a1"}}); deploy.ErrorMessage(err) != `Invalid name "a1": names must be unique within a session.` {
		t.Errorf("duplicate names: %v", err)
	}
}

func TestFields(t *testing.T) {
	cat := NewCatalog()
	for _, p := range deploy.Providers() {
		if cat.ValidateRegion(p, cat.DefaultRegion(p)) != nil {
			t.Errorf("%s: default region %q is not valid", p, cat.DefaultRegion(p))
		}
		for _, typeID := range cat.order {
			fields, err := cat.Fields(p, typeID, "")
			if err != nil {
				t.Fatalf("%s/%s: %v", p, typeID, err)
			}
			if len(fields) > 5 || fields[0].ID != "name" || !fields[0].Required || fields[0].Default != "" {
				t.Errorf("%s/%s: fields %+v", p, typeID, fields)
			}
			r := deploy.Resource{Type: typeID, Name: "abc", Params: map[string]string{}}
			for _, f := range fields[1:] {
				if n := len([]rune(f.Label)); n > 45 { // Discord's limit for a modal label
					t.Errorf("%s/%s: label %q has %d characters, Discord shows 45", p, typeID, f.Label, n)
				}
				if f.Default == "" || f.Required {
					t.Errorf("%s/%s: field %s needs a default and must be optional", p, typeID, f.ID)
				}
				r.Params[f.ID] = f.Default
			}
			if _, err := cat.Validate(p, "", r); err != nil {
				t.Errorf("%s/%s: the defaults do not validate: %v", p, typeID, err)
			}
		}
	}
	fields, _ := cat.Fields("azure", "network", "westeurope")
	if fields[1].ID != "region" || fields[1].Default != "westeurope" {
		t.Errorf("region default %+v", fields[1])
	}
	// Azure's Ubuntu image has a 30 GB disk: a smaller default is refused
	// when the VM is created.
	for provider, want := range map[string]deploy.Field{
		"azure": {ID: "disk_gb", Label: "Disk size in GB (30–500)", Default: "30", MaxLength: 3},
		"gcp":   {ID: "disk_gb", Label: "Disk size in GB (10–500)", Default: "20", MaxLength: 3},
	} {
		fields, _ := cat.Fields(provider, "compute_vm", "")
		if got := fields[3]; got != want {
			t.Errorf("%s disk field %+v, want %+v", provider, got, want)
		}
	}
	if _, err := cat.Fields("oracle", "network", ""); deploy.ErrorCode(err) != deploy.EINVALID {
		t.Errorf("unknown provider: %v", err)
	}
}
