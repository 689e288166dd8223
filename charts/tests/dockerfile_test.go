package charttest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfileContract checks the image promises that the chart relies on
// and that no Docker engine can check here: static binary, pinned terraform
// built from source, non-root numeric user, DATA_DIR=/data, the two ports.
// scripts/dockerfile-lint.sh checks the syntax.
func TestDockerfileContract(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatalf("read Dockerfile: %v", err)
	}
	// Join continuation lines so every instruction is one line.
	text := strings.ReplaceAll(string(raw), "\\\n", " ")
	cases := []struct {
		name    string
		pattern string
	}{
		{"terraform built from source, pinned", `(?m)^RUN .*go install .*github\.com/hashicorp/terraform@v1\.5\.7\b`},
		{"static binary", `(?m)^ENV CGO_ENABLED=0`},
		{"reproducible paths", `(?m)^RUN .*go build .*-trimpath`},
		{"version stamped", `(?m)^RUN .*go build .*-X main\.version=\$\{VERSION\}.*-X main\.commit=\$\{COMMIT\}.*\./cmd/cloud-engine`},
		{"non-root numeric user", `(?m)^USER [1-9][0-9]*(:[1-9][0-9]*)?\s*$`},
		{"data directory", `(?m)^ENV .*\bDATA_DIR=/data\b`},
		{"no version check", `(?m)^ENV .*\bCHECKPOINT_DISABLE=1\b`},
		{"writable home", `(?m)^ENV .*\bHOME=/home/nonroot\b`},
		{"ports", `(?m)^EXPOSE 8080 9090\s*$`},
		{"entrypoint", `(?m)^ENTRYPOINT \["/usr/local/bin/cloud-engine"\]\s*$`},
		{"default subcommand", `(?m)^CMD \["serve"\]\s*$`},
		{"OCI labels", `org\.opencontainers\.image\.source=.*org\.opencontainers\.image\.version=.*org\.opencontainers\.image\.revision=`},
		{"multi-stage", `(?ms)^FROM .* AS terraform$.*^FROM .* AS build$.*^FROM `},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !regexp.MustCompile(tc.pattern).MatchString(text) {
				t.Errorf("Dockerfile does not match %s", tc.pattern)
			}
		})
	}
	// The chart's securityContext runs as this uid; the image must agree.
	if !strings.Contains(text, "USER 65532:65532") || !strings.Contains(text, "--chown=65532:65532") {
		t.Error("the image user must be 65532, as the chart's runAsUser")
	}
}
