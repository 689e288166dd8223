#!/usr/bin/env bash
# Prints the path of a usable terraform binary, building one if needed.
#
# Order: $TERRAFORM_PATH if executable; `terraform` on PATH; bin/terraform
# in the repository; else build terraform 1.5.7 from the Go module proxy
# into bin/ (MPL-2.0, checked by the Go checksum database; ~2 min cold).
# Only the path goes to stdout, so callers can write
#   TERRAFORM_PATH="$(scripts/ensure-terraform.sh)"
set -euo pipefail

TERRAFORM_VERSION=v1.5.7
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usable() {
	[ -n "$1" ] && [ -f "$1" ] && [ -x "$1" ] &&
		CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE= "$1" version >/dev/null 2>&1
}

if [ -n "${TERRAFORM_PATH:-}" ]; then
	if usable "$TERRAFORM_PATH"; then
		echo "$TERRAFORM_PATH"
		exit 0
	fi
	echo "ensure-terraform: TERRAFORM_PATH=$TERRAFORM_PATH is not a usable terraform; looking elsewhere" >&2
fi

if on_path="$(command -v terraform 2>/dev/null)" && usable "$on_path"; then
	echo "$on_path"
	exit 0
fi

if usable "$repo/bin/terraform"; then
	echo "$repo/bin/terraform"
	exit 0
fi

if ! command -v go >/dev/null 2>&1; then
	echo "ensure-terraform: no terraform found and no Go toolchain to build one" >&2
	exit 1
fi
echo "ensure-terraform: building terraform $TERRAFORM_VERSION into $repo/bin (this takes a few minutes the first time)" >&2
mkdir -p "$repo/bin"
# Outside the repository's module, so that go.mod is neither read nor changed.
(cd / && GOBIN="$repo/bin" GOFLAGS= go install "github.com/hashicorp/terraform@$TERRAFORM_VERSION") >&2
if ! usable "$repo/bin/terraform"; then
	echo "ensure-terraform: the build did not produce a usable $repo/bin/terraform" >&2
	exit 1
fi
echo "$repo/bin/terraform"
