package tf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformEnv: terraform gets the basics, the operator's CLI
// configuration, proxy and CA variables and the providers' credentials,
// and nothing else of the engine's environment.
func TestTerraformEnv(t *testing.T) {
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"PATH=/bin", "HOME=/home/x", "TMPDIR=/tmp/x"}
	cases := []struct {
		name    string
		env     []string
		dbURL   string
		want    map[string]string
		refused []string // must not reach terraform
	}{
		{name: "basics and credentials", dbURL: "postgres://u:p@h/db",
			env: []string{"AWS_ACCESS_KEY_ID=a", "ARM_CLIENT_ID=b", "GOOGLE_APPLICATION_CREDENTIALS=/k.json", "GOOGLE_PROJECT=p"},
			want: map[string]string{"PATH": "/bin", "HOME": "/home/x", "TMPDIR": "/tmp/x", "AWS_ACCESS_KEY_ID": "a",
				"ARM_CLIENT_ID": "b", "GOOGLE_APPLICATION_CREDENTIALS": "/k.json", "GOOGLE_PROJECT": "p",
				"CHECKPOINT_DISABLE": "1", "PG_CONN_STR": "postgres://u:p@h/db"}},
		{name: "the engine's own secrets and terraform's debug switches stay out",
			env:     []string{"DISCORD_BOT_TOKEN=secret", "DATABASE_URL=postgres://other", "TF_LOG=TRACE", "TF_VAR_x=1", "ALL_PROXY=socks5://p", "TF_PLUGIN_CACHE_DIR=/cache"},
			want:    map[string]string{"CHECKPOINT_DISABLE": "1"},
			refused: []string{"DISCORD_BOT_TOKEN", "DATABASE_URL", "TF_LOG", "TF_VAR_x", "ALL_PROXY", "TF_PLUGIN_CACHE_DIR", "PG_CONN_STR"}},
		{name: "the operator's CLI configuration",
			env:  []string{"TF_CLI_CONFIG_FILE=/etc/cloud-engine/terraform.tfrc"},
			want: map[string]string{"TF_CLI_CONFIG_FILE": "/etc/cloud-engine/terraform.tfrc"}},
		{name: "an empty CLI configuration stays empty",
			env:  []string{"TF_CLI_CONFIG_FILE="},
			want: map[string]string{"TF_CLI_CONFIG_FILE": ""}},
		{name: "no CLI configuration is an empty one",
			want: map[string]string{"TF_CLI_CONFIG_FILE": ""}},
		{name: "relative paths are the engine's, not the working directory's",
			env: []string{"TF_CLI_CONFIG_FILE=conf/cli.tfrc", "SSL_CERT_FILE=ca.pem", "SSL_CERT_DIR=certs:/etc/ssl/certs"},
			want: map[string]string{"TF_CLI_CONFIG_FILE": filepath.Join(cwd, "conf/cli.tfrc"),
				"SSL_CERT_FILE": filepath.Join(cwd, "ca.pem"), "SSL_CERT_DIR": filepath.Join(cwd, "certs") + ":/etc/ssl/certs"}},
		{name: "proxies in both spellings",
			env: []string{"HTTPS_PROXY=http://proxy:3128", "HTTP_PROXY=http://proxy:3128", "NO_PROXY=.internal,10.0.0.0/8",
				"https_proxy=http://p2:3128", "http_proxy=http://p2:3128", "no_proxy=localhost"},
			want: map[string]string{"HTTPS_PROXY": "http://proxy:3128", "HTTP_PROXY": "http://proxy:3128", "NO_PROXY": ".internal,10.0.0.0/8",
				"https_proxy": "http://p2:3128", "http_proxy": "http://p2:3128", "no_proxy": "localhost"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Config{DataDir: t.TempDir(), DatabaseURL: tc.dbURL, Env: append(append([]string{}, base...), tc.env...)})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got, ok := e.env[k]; !ok || got != v {
					t.Errorf("%s = %q (set: %v), want %q", k, got, ok, v)
				}
			}
			for _, k := range tc.refused {
				if v, ok := e.env[k]; ok {
					t.Errorf("%s=%q reached terraform's environment", k, v)
				}
			}
			if _, err := e.newTerraform(t.TempDir(), "/bin/true"); err != nil {
				t.Errorf("terraform-exec refuses the environment: %v", err)
			}
		})
	}
}

// TestEmptyCLIConfigIsHarmless: with TF_CLI_CONFIG_FILE empty (how the
// Makefile and CI run), terraform reads no file and warns about nothing.
func TestEmptyCLIConfigIsHarmless(t *testing.T) {
	e, err := New(Config{DataDir: t.TempDir(), Env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TF_CLI_CONFIG_FILE="}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(terraformBinary(t), "version")
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "Warning") || strings.Contains(string(out), "CLI configuration") {
		t.Errorf("terraform version: %v\n%s", err, out)
	}
}
