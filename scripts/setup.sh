#!/usr/bin/env bash
# Installs whatever is missing for the demo (and with --test, for the test suite): Debian packages, node modules,
# a local secret, and the project-local PostGIS cluster. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3)
[ -f /usr/share/postgresql/15/extension/pgrouting.control ] || need+=(postgresql-15-pgrouting)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v osm2pgsql >/dev/null || need+=(osm2pgsql)
if [ "$WITH_TEST" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "[setup] installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing node modules"
  # npm install, not npm ci: npm 11 leaves other platforms' optional binaries out of the lock and then `npm ci` refuses it.
  npm install --no-audit --no-fund --loglevel=error
fi

if [ ! -f .env.local ] || ! grep -q '^NEXTAUTH_SECRET=' .env.local; then
  echo "[setup] writing a fresh NEXTAUTH_SECRET to .env.local (git-ignored)"
  echo "NEXTAUTH_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" >> .env.local
fi
