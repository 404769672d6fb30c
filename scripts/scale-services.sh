#!/usr/bin/env bash
# Makes sure Redis and PostgreSQL (Debian's packages) are installed for the queue-mode scale tests,
# installing them with apt-get when they are missing (CI starts from a fresh machine of the same
# image). Starts nothing: the tests start their own throwaway servers on loopback.
# Prints two lines on stdout for test/scale/harness/services.cts:
#   REDIS_SERVER=<path of redis-server>
#   PG_BIN=<folder holding initdb, postgres, createdb>
set -euo pipefail
log() { echo "[scale-services] $*" >&2; }

find_redis() { command -v redis-server || true; }
# initdb is not on PATH with Debian's packages (only /usr/lib/postgresql/<version>/bin): take the newest.
find_pg_bin() {
	local initdb
	initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
	[ -z "$initdb" ] && initdb="$(command -v initdb || true)"
	[ -n "$initdb" ] && dirname "$(readlink -f "$initdb")"
	return 0
}

missing=()
[ -z "$(find_redis)" ] && missing+=(redis-server)
[ -z "$(find_pg_bin)" ] && missing+=(postgresql)

if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		log "missing ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}"
		exit 1
	fi
	# Debian's packages start their service on install unless policy-rc.d forbids it: the tests start
	# their own servers, and a system one would be a process left behind.
	policy=/usr/sbin/policy-rc.d
	own_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && own_policy=1
	fi
	trap '[ "$own_policy" = 1 ] && rm -f "$policy"' EXIT
	log "installing ${missing[*]} with apt-get (once per machine)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=300 update -q >&2
	apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" >&2
fi

redis="$(find_redis)"
pg_bin="$(find_pg_bin)"
if [ -z "$redis" ] || [ -z "$pg_bin" ]; then
	log "redis-server (${redis:-missing}) or initdb (${pg_bin:-missing}) still not found after the install"
	exit 1
fi
echo "REDIS_SERVER=$redis"
echo "PG_BIN=$pg_bin"
