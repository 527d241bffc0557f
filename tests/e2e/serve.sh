#!/usr/bin/env bash
# Playwright's webServer: a fresh, migrated and seeded database, then the built app in demo
# mode (DEMO_MODE=true: the demo accounts and the mock checkout, never NODE_ENV=production).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f build/server/index.js ]; then
  echo "serve.sh: no production build in build/; run 'npx remix vite:build' first" >&2
  exit 1
fi

port="${PORT:-3100}"
export DATABASE_PATH="tests/.tmp/e2e-${port}.db"
# Images and the file outbox of this run stay out of the developer's data/ folder.
export DATA_DIR="tests/.tmp/e2e-data-${port}"
rm -rf "$DATA_DIR"
mkdir -p tests/.tmp
rm -f "$DATABASE_PATH" "$DATABASE_PATH-wal" "$DATABASE_PATH-shm" "$DATABASE_PATH-journal"

npx tsx scripts/migrate.ts
NODE_ENV=development npx tsx scripts/seed.ts

# The suite registers a few hundred visitors from 127.0.0.1 (the race specs alone, 240 per
# project), far past the per-address registration limit a real site keeps.
NODE_ENV=development DEMO_MODE=true PORT="$port" LOG_LEVEL=warn REGISTRATIONS_PER_IP_PER_HOUR=2000 exec npx tsx server/index.ts
