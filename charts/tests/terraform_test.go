package charttest

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

const cliConfigPath = "/etc/cloud-engine/terraform/terraform.tfrc"

// terraformWant is how one rendering gives terraform its CLI configuration
// and provider mirror.
type terraformWant struct {
	cliFrom    string // "configMap", "secret" or "" (no CLI configuration)
	cliHolds   string // text the rendered CLI configuration holds
	mirror     string // the mirror's volume source: "pvc", "configMap", "emptyDir" or ""
	mirrorPath string
	initImage  string
}

// TestChartRendersTerraformCLIAndMirror: terraform.cliConfig and
// terraform.providerMirror reach the engine as a read-only CLI
// configuration file named by TF_CLI_CONFIG_FILE and a read-only mirror.
func TestChartRendersTerraformCLIAndMirror(t *testing.T) {
	cases := []struct {
		name        string
		files, sets []string
		want        terraformWant
	}{
		{name: "defaults: terraform's own configuration, no mirror"},
		{name: "mirror on a claim with the operator's CLI configuration", files: []string{"provider-mirror.yaml"},
			want: terraformWant{cliFrom: "configMap", cliHolds: `path = "/mirror"`, mirror: "pvc", mirrorPath: "/mirror"}},
		{name: "mirror alone gets a CLI configuration that installs from it",
			sets: []string{"terraform.providerMirror.enabled=true", "terraform.providerMirror.configMap=providers"},
			want: terraformWant{cliFrom: "configMap", cliHolds: `path = "/providers"`, mirror: "configMap", mirrorPath: "/providers"}},
		{name: "CLI configuration from a Secret, mirror filled by an init container",
			sets: []string{"terraform.cliConfigSecret=terraform-cli", "terraform.providerMirror.enabled=true",
				"terraform.providerMirror.volume.emptyDir.sizeLimit=1Gi",
				"initContainers[0].name=mirror", "initContainers[0].image=registry.example/providers:1",
				"initContainers[0].volumeMounts[0].name=provider-mirror", "initContainers[0].volumeMounts[0].mountPath=/out"},
			want: terraformWant{cliFrom: "secret", mirror: "emptyDir", mirrorPath: "/providers", initImage: "registry.example/providers:1"}},
		{name: "CLI configuration without a mirror", sets: []string{`terraform.cliConfig=plugin_cache_may_break_dependency_lock_file = false`},
			want: terraformWant{cliFrom: "configMap", cliHolds: "plugin_cache_may_break_dependency_lock_file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runHelm(t, templateArgs(tc.files, tc.sets)...)
			if err != nil {
				t.Fatalf("helm template: %v", err)
			}
			rel, err := decodeRelease(out)
			if err != nil {
				t.Fatal(err)
			}
			checkCLIConfig(t, rel, tc.want)
			checkMirror(t, rel, tc.want)
		})
	}
}

func checkCLIConfig(t *testing.T, rel *release, w terraformWant) {
	t.Helper()
	got, set := rel.ConfigMap.Data["TF_CLI_CONFIG_FILE"]
	if (w.cliFrom != "") != set || (set && got != cliConfigPath) {
		t.Errorf("TF_CLI_CONFIG_FILE = %q (set: %v), want %q when configured (%q)", got, set, cliConfigPath, w.cliFrom)
	}
	if (rel.TerraformCLI != nil) != (w.cliFrom == "configMap") {
		t.Errorf("CLI configuration ConfigMap rendered = %v, want it from %q", rel.TerraformCLI != nil, w.cliFrom)
	}
	if rel.TerraformCLI != nil && !strings.Contains(rel.TerraformCLI.Data["terraform.tfrc"], w.cliHolds) {
		t.Errorf("terraform.tfrc = %q, want it to hold %q", rel.TerraformCLI.Data["terraform.tfrc"], w.cliHolds)
	}
	v, ok := volume(rel, "terraform-cli")
	switch {
	case w.cliFrom == "" && ok:
		t.Errorf("terraform-cli volume rendered without a CLI configuration: %+v", v)
	case w.cliFrom == "configMap" && (!ok || v.ConfigMap == nil || v.ConfigMap.Name != fullname+"-terraform"):
		t.Errorf("terraform-cli volume = %+v, want the chart's ConfigMap", v)
	case w.cliFrom == "secret" && (!ok || v.Secret == nil || v.Secret.SecretName != "terraform-cli"):
		t.Errorf("terraform-cli volume = %+v, want the Secret terraform-cli", v)
	}
	if w.cliFrom != "" {
		checkReadOnlyMount(t, container(t, rel), "terraform-cli", "/etc/cloud-engine/terraform")
	}
}

func checkMirror(t *testing.T, rel *release, w terraformWant) {
	t.Helper()
	v, ok := volume(rel, "provider-mirror")
	var source string
	switch {
	case !ok:
	case v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ReadOnly:
		source = "pvc"
	case v.ConfigMap != nil:
		source = "configMap"
	case v.EmptyDir != nil:
		source = "emptyDir"
	default:
		source = "other"
	}
	if source != w.mirror {
		t.Errorf("provider-mirror volume = %q (%+v), want %q", source, v, w.mirror)
	}
	if w.mirror != "" {
		checkReadOnlyMount(t, container(t, rel), "provider-mirror", w.mirrorPath)
	}
	inits := rel.Deployment.Spec.Template.Spec.InitContainers
	if (w.initImage == "") != (len(inits) == 0) || (len(inits) > 0 && inits[0].Image != w.initImage) {
		t.Errorf("init containers = %+v, want image %q", inits, w.initImage)
	}
}

func checkReadOnlyMount(t *testing.T, c corev1.Container, name, path string) {
	t.Helper()
	for _, m := range c.VolumeMounts {
		if m.Name == name {
			if m.MountPath != path || !m.ReadOnly {
				t.Errorf("mount %s = %s (read-only %v), want %s read-only", name, m.MountPath, m.ReadOnly, path)
			}
			return
		}
	}
	t.Errorf("no mount of %s", name)
}

// TestChartRefusesAMirrorWithoutSource: an enabled mirror needs exactly one
// volume source, and an absolute mount path.
func TestChartRefusesAMirrorWithoutSource(t *testing.T) {
	cases := []struct {
		name    string
		sets    []string
		message string
	}{
		{"no source", []string{"terraform.providerMirror.enabled=true"}, "needs exactly one of existingClaim, configMap or volume"},
		{"two sources", []string{"terraform.providerMirror.enabled=true", "terraform.providerMirror.existingClaim=a", "terraform.providerMirror.configMap=b"},
			"needs exactly one of existingClaim, configMap or volume"},
		{"relative path", []string{"terraform.providerMirror.enabled=true", "terraform.providerMirror.existingClaim=a", "terraform.providerMirror.mountPath=providers"},
			"mountPath must be an absolute path"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runHelm(t, templateArgs(nil, tc.sets)...)
			if err == nil || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("helm template error = %v, want %q", err, tc.message)
			}
		})
	}
}
