#!/usr/bin/env bash
# Lints the Dockerfile with dockerfile-utils (npm). Any diagnostic, warning or
# error, fails the check. Nothing is cached inside the repository.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="${1:-$root/Dockerfile}"

if ! command -v npx >/dev/null 2>&1; then
	echo "dockerfile-lint: npx not found; install Node.js and npm" >&2
	exit 1
fi

# Run from a temporary directory so that npx leaves no package files in the repo.
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
cp "$dockerfile" "$workdir/Dockerfile"

out="$(cd "$workdir" && npx --yes dockerfile-utils@0 lint Dockerfile 2>&1)" || {
	echo "$out" >&2
	echo "dockerfile-lint: dockerfile-utils failed on $dockerfile" >&2
	exit 1
}
if [ -n "$(printf '%s' "$out" | tr -d '[:space:]')" ]; then
	echo "$out" >&2
	echo "dockerfile-lint: problems found in $dockerfile" >&2
	exit 1
fi
echo "dockerfile-lint: $dockerfile is clean"
