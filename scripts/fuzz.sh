#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 3s, the
# short run of `make test`; `make fuzz` runs longer). go test -fuzz takes one
# target at a time, so the targets are found and run one by one. A failure
# leaves its input under the package's testdata/fuzz/, to be kept.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-3s}"
targets=$(grep -rhoE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)' . | sort -u | wc -l)
echo "fuzz: $targets targets, $fuzztime each"
grep -rlE --include='*_test.go' '^func Fuzz' . | while read -r file; do
	pkg="./$(dirname "${file#./}")"
	for fn in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
		echo "fuzz: $pkg $fn"
		go test "$pkg" -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime"
	done
done
