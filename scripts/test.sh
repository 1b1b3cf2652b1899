#!/usr/bin/env bash
# The whole suite: lint, typecheck, unit, integration (real PostGIS), build, end-to-end (Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/db.sh up wangge_test wangge_e2e
set -a; . ./.env.local; set +a
TEST_DATABASE_URL=$(bash scripts/db.sh url wangge_test)
E2E_DATABASE_URL=$(bash scripts/db.sh url wangge_e2e)
export TEST_DATABASE_URL E2E_DATABASE_URL

echo "== lint";        npx biome check .
echo "== typecheck";   npx tsc --noEmit
echo "== unit";        npx vitest run --project unit
echo "== integration"; npx vitest run --project integration
echo "== build";       npx next build
echo "== e2e database"
bash scripts/db.sh reset wangge_e2e
DATABASE_URL=$E2E_DATABASE_URL npx tsx db/migrate.ts
DATABASE_URL=$E2E_DATABASE_URL npx tsx scripts/import-osm.ts ../shared/data/nanjing-xinjiekou/xinjiekou.osm
DATABASE_URL=$E2E_DATABASE_URL npx tsx db/seed.ts
echo "== e2e";         npx playwright test
