#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL pointing at a PostgreSQL server.
#
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# When TEST_DATABASE_URL is already set the command runs as is. Otherwise a
# throwaway cluster is started (installing PostgreSQL with apt when running
# as root and it is missing), the command runs against it, and the cluster
# and its files are removed when the command ends, even when it fails. The
# exit code is the command's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
	echo "with-postgres: using TEST_DATABASE_URL from the environment" >&2
	exec "$@"
fi

find_pg_bin() {
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return 0
	fi
	local dir
	# The newest installed major version wins.
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			echo "$dir"
			return 0
		fi
	done
	return 1
}

PG_BIN="$(find_pg_bin || true)"
if [ -z "$PG_BIN" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "with-postgres: initdb/pg_ctl not found; install PostgreSQL (apt-get install postgresql) or set TEST_DATABASE_URL" >&2
		exit 1
	fi
	echo "with-postgres: installing PostgreSQL with apt-get" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	PG_BIN="$(find_pg_bin || true)"
	if [ -z "$PG_BIN" ]; then
		echo "with-postgres: PostgreSQL was installed but initdb/pg_ctl are still not found" >&2
		exit 1
	fi
fi

free_port() {
	local port
	for _ in $(seq 1 50); do
		# Below Linux's ephemeral range (32768+), where outgoing connections
		# could hold the port even though nothing listens on it.
		port=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")"
DATA_DIR="$TMP_DIR/data"
SOCK_DIR="$TMP_DIR/sock"
LOG_FILE="$TMP_DIR/postgres.log"
mkdir -p "$DATA_DIR" "$SOCK_DIR"

as_pg_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

if [ "$(id -u)" -eq 0 ]; then
	# initdb refuses to run as root; the cluster belongs to the postgres user.
	chown -R postgres "$TMP_DIR"
fi

STARTED=0
cleanup() {
	if [ "$STARTED" -eq 1 ]; then
		as_pg_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$TMP_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg_user "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust --no-sync >"$TMP_DIR/initdb.log" 2>&1 || {
	cat "$TMP_DIR/initdb.log" >&2
	exit 1
}

# A port free a moment ago can be taken by the time the server binds it:
# try a few.
STARTED=1
for attempt in 1 2 3 4 5; do
	PORT="$(free_port)"
	if as_pg_user "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w \
		-o "-p $PORT -k $SOCK_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null; then
		break
	fi
	if [ "$attempt" -eq 5 ]; then
		cat "$LOG_FILE" >&2 || true
		exit 1
	fi
	echo "with-postgres: port $PORT was taken; trying another" >&2
done

VERSION="$("$PG_BIN/postgres" --version 2>/dev/null || echo "PostgreSQL (unknown version)")"
echo "with-postgres: using throwaway $VERSION from $PG_BIN on 127.0.0.1:$PORT" >&2

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
set +e
"$@"
STATUS=$?
set -e
exit "$STATUS"
