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
# tests/playwright.config.ts names the database, so that the fixtures open the same file.
export DATABASE_PATH="${DATABASE_PATH:?set by tests/playwright.config.ts}"
# Images and the file outbox of this run stay out of the developer's data/ folder.
export DATA_DIR="tests/.tmp/e2e-data-${port}"
rm -rf "$DATA_DIR"
mkdir -p tests/.tmp
rm -f "$DATABASE_PATH" "$DATABASE_PATH-wal" "$DATABASE_PATH-shm" "$DATABASE_PATH-journal"

npx tsx scripts/migrate.ts
NODE_ENV=development npx tsx scripts/seed.ts

# Two workers whatever the machine, so the suite always runs against the cluster (server/cluster.ts).
# The suite registers dozens of visitors from 127.0.0.1 across its specs, past the per-address
# registration limit a real site keeps, each sending a verification code (the race specs give each
# simulated phone its own address).
NODE_ENV=development DEMO_MODE=true PORT="$port" LOG_LEVEL=warn REGISTRATIONS_PER_IP_PER_HOUR=2000 CODE_SENDS_PER_IP_PER_HOUR=2000 WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}" exec node --import tsx server/index.ts
