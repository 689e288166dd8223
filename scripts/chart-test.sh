#!/usr/bin/env bash
# Checks the Helm chart: helm lint --strict and helm template with the default
# values and with the PostgreSQL/ingress/monitoring values, kube-score on both
# renders (no CRITICAL, no WARNING: the findings the chart disagrees with are
# ignored by the kube-score/ignore annotation, each explained in
# templates/_helpers.tpl), then the Go tests in charts/tests that decode the
# rendered objects strictly. Needs only Go: helm and kube-score are built into
# bin/ on first use.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$root/charts/cloud-engine"
helm_version="v3.22.0"

if [ -n "${HELM:-}" ]; then
	helm="$HELM"
elif [ -x "$root/bin/helm" ]; then
	helm="$root/bin/helm"
else
	echo "chart-test: building helm $helm_version into bin/ (about 90 s the first time)"
	GOBIN="$root/bin" go install "helm.sh/helm/v3/cmd/helm@$helm_version"
	helm="$root/bin/helm"
fi
export HELM="$helm"

kube_score_version="v1.20.0"
if [ -n "${KUBE_SCORE:-}" ]; then
	kube_score="$KUBE_SCORE"
elif [ -x "$root/bin/kube-score" ]; then
	kube_score="$root/bin/kube-score"
else
	echo "chart-test: building kube-score $kube_score_version into bin/ (about a minute the first time)"
	GOBIN="$root/bin" go install "github.com/zegl/kube-score/cmd/kube-score@$kube_score_version"
	kube_score="$root/bin/kube-score"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

check() {
	local name="$1"
	shift
	echo "chart-test: lint and template ($name)"
	"$helm" lint --strict "$chart" "$@"
	"$helm" template ce "$chart" --namespace chatops "$@" >"$out/$name.yaml"
	echo "chart-test: kube-score ($name)"
	# --exit-one-on-warning: a WARNING fails the check as a CRITICAL does.
	"$kube_score" score --exit-one-on-warning "$out/$name.yaml"
}

check defaults
check postgres --values "$root/charts/tests/testdata/postgres.yaml"
check provider-mirror --values "$root/charts/tests/testdata/provider-mirror.yaml"

echo "chart-test: go test (charts/tests)"
# -count=1: helm reads the chart outside the test module, where go test's
# cache cannot see changes.
cd "$root/charts/tests"
go test -count=1 ./...
echo "chart-test: ok"
