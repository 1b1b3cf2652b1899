#!/usr/bin/env bash
# The newcomer's first command: installs what is missing, prepares the demo database and serves http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/db.sh up wangge
USER_DATABASE_URL=${DATABASE_URL:-}
set -a; . ./.env.local; set +a
DATABASE_URL=${USER_DATABASE_URL:-$(bash scripts/db.sh url wangge)}
export DATABASE_URL
npx tsx db/migrate.ts
npx tsx scripts/import-osm.ts ../shared/data/nanjing-xinjiekou/xinjiekou.osm
npx tsx db/seed.ts
stamp=.next/BUILD_ID
if [ ! -f "$stamp" ] || [ -n "$(find app components lib db public next.config.ts package.json -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
  echo "[demo] building the console"
  npx next build
fi
echo "[demo] serving the demo city on http://localhost:${PORT:-3000}"
exec env PORT="${PORT:-3000}" NODE_ENV=production npx tsx server.ts
