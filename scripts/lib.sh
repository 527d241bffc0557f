# Shared by scripts/start and scripts/test: install what is missing.

# npm ci when node_modules is absent or older than the lock file. The registry reachable here
# lacks some other platforms' optional binaries (e.g. @tailwindcss/oxide-android-arm64), which
# makes `npm ci` refuse the lock file as out of sync; `npm install` then installs the same
# locked versions for this platform.
ensure_node_modules() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "› installing npm packages (npm ci)"
    if ! npm ci --no-audit --no-fund; then
      echo "› npm ci refused the lock file; installing the locked versions with npm install"
      npm install --no-audit --no-fund
    fi
  fi
}
