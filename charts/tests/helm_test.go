// Package charttest checks the cloud-engine Helm chart: it renders the chart
// with helm and decodes every object strictly into the Kubernetes Go types.
//
// Run it with -count=1 (scripts/chart-test.sh does): helm reads the chart in
// a child process, outside this module, so go test's cache cannot see a
// changed template and would replay an old pass.
package charttest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

const (
	chartDir    = "../cloud-engine"
	releaseName = "ce"
	namespace   = "chatops"
	fullname    = "ce-cloud-engine"
)

// helmBinary finds helm the way scripts/chart-test.sh provides it: $HELM,
// then the repository's bin/helm, then PATH.
func helmBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("HELM"); p != "" {
		return p
	}
	if p, err := filepath.Abs("../../bin/helm"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("helm"); err == nil {
		return p
	}
	t.Fatal("helm not found: run scripts/chart-test.sh (it installs bin/helm) or set HELM to a helm v3 binary")
	return ""
}

// runHelm runs helm with args and returns its stdout, or an error carrying
// stderr so that a failing template explains itself.
func runHelm(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, helmBinary(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), errors.Join(err, errors.New(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// templateArgs builds `helm template` arguments for values files from
// testdata and --set overrides.
func templateArgs(files, sets []string) []string {
	args := []string{"template", releaseName, chartDir, "--namespace", namespace}
	for _, f := range files {
		args = append(args, "--values", filepath.Join("testdata", f))
	}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	return args
}
