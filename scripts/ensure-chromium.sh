#!/usr/bin/env bash
# Makes sure headless Chromium is there for the playground's browser test.
#
# Order: $CHROMIUM_PATH if executable; chromium, chromium-browser or
# google-chrome on PATH; else, when running as root,
# Debian's chromium with apt-get (as scripts/with-postgres.sh does for
# PostgreSQL). Not root and none found: a warning, and the browser test then
# fails naming what to install (it never skips). Safe to run again: it does
# nothing when a browser is found.
set -euo pipefail

found() {
	if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
		return 0
	fi
	local name
	for name in chromium chromium-browser google-chrome; do
		command -v "$name" >/dev/null 2>&1 && return 0
	done
	return 1
}

if found; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "ensure-chromium: no Chromium and not root; install it (apt-get install -y chromium) or set CHROMIUM_PATH, or the browser test fails" >&2
	exit 0
fi
echo "ensure-chromium: installing Chromium with apt-get" >&2
DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
if ! found; then
	echo "ensure-chromium: chromium was installed but is still not found" >&2
	exit 1
fi
