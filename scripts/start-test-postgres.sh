#!/usr/bin/env bash
# Start a throw-away PostgreSQL 16 + pgvector for the test suite's PostgreSQL pass.
# The server comes from the `pgserver` wheel on PyPI (installed by `make install`):
# Debian bookworm packages PostgreSQL 15 but not pgvector, and pgserver ships both.
# Prints the SQLAlchemy URL on stdout. Usage: scripts/start-test-postgres.sh [PORT]
set -euo pipefail
port="${1:-55432}"
venv="${VENV:-.venv}"
# find_spec locates the package without importing it (its import has side effects).
bin="$("$venv/bin/python" -c 'import importlib.util as u; print(u.find_spec("pgserver").submodule_search_locations[0] + "/pginstall/bin")')"
data="${PGDATA_DIR:-/tmp/newsdesk-test-pg-$port}"
# PostgreSQL refuses to run as root: run it as an unprivileged system user.
run_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run_as=(runuser -u postgres --)
fi
if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  exit 0
fi
rm -rf "$data"
mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres "$data"
"${run_as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >"$data.initdb.log" 2>&1
"${run_as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
  start >/dev/null
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
