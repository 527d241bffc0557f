# Shared by scripts/start and scripts/test: install what is missing.

# npm ci when node_modules is absent or older than the lock file.
ensure_node_modules() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "› installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}
