#!/usr/bin/env bash
# Project-local PostgreSQL 15 + PostGIS 3 + pgRouting cluster under .data/pg (git-ignored), on 127.0.0.1:${WANGGE_PG_PORT:-54329}.
# Usage: scripts/db.sh up [dbname...]   — install packages when missing, init + start the cluster, create databases.
#        scripts/db.sh stop | url [dbname] | reset <dbname>
# When DATABASE_URL is set, the local cluster is left alone and databases are created on that server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${WANGGE_PG_PORT:-54329}
PGDATA_DIR="$ROOT/.data/pg"
PGBIN=/usr/lib/postgresql/15/bin
DB_USER=wangge

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_packages() {
  local missing=()
  [ -x "$PGBIN/initdb" ] || missing+=(postgresql-15)
  [ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
  [ -f /usr/share/postgresql/15/extension/pgrouting.control ] || missing+=(postgresql-15-pgrouting)
  command -v osm2pgsql >/dev/null || missing+=(osm2pgsql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[db] installing Debian packages: ${missing[*]}"
    local SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

cluster_up() {
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    echo "[db] creating cluster in $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    if [ "$(id -u)" = "0" ]; then chown -R postgres:postgres "$ROOT/.data"; fi
    as_owner "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PGDATA_DIR'
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
CONF
  fi
  if ! as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    echo "[db] starting cluster on 127.0.0.1:$PORT"
    as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w start >/dev/null
  fi
  psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1 ||
    psql_admin -qc "CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_USER'"
}

psql_admin() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

local_url() { echo "postgres://$DB_USER:$DB_USER@127.0.0.1:$PORT/$1"; }

# With DATABASE_URL, other databases live on the same server under their own names.
url_for() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "${DATABASE_URL%/*}/$1"; else local_url "$1"; fi
}

create_db() {
  local name=$1
  if [ -n "${DATABASE_URL:-}" ]; then
    psql "$DATABASE_URL" -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 ||
      psql "$DATABASE_URL" -qc "CREATE DATABASE $name"
    return 0
  fi
  psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 ||
    psql_admin -qc "CREATE DATABASE $name OWNER $DB_USER"
}

cmd=${1:-up}; shift || true
case "$cmd" in
  up)
    ensure_packages
    if [ -z "${DATABASE_URL:-}" ]; then cluster_up; fi
    for name in "${@:-wangge}"; do create_db "$name"; done
    ;;
  reset)
    if [ -n "${DATABASE_URL:-}" ]; then
      [ "$(url_for "$1")" != "$DATABASE_URL" ] || { echo "[db] reset refuses to drop DATABASE_URL itself" >&2; exit 1; }
      psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
    else
      psql_admin -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
    fi
    create_db "$1"
    ;;
  stop) as_owner "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop ;;
  url) if [ -n "${DATABASE_URL:-}" ] && [ -z "${1:-}" ]; then echo "$DATABASE_URL"; else url_for "${1:-wangge}"; fi ;;
  *) echo "usage: scripts/db.sh up|reset|stop|url" >&2; exit 2 ;;
esac
