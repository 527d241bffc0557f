# Shared by scripts/start and scripts/test: install what is missing.

# npm ci when node_modules is absent or older than the lock file (its postinstall applies
# patches/ with patch-package). Should a registry lack another platform's optional binary and
# `npm ci` refuse the lock file, `npm install` installs the same locked versions instead.
ensure_node_modules() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "› installing npm packages (npm ci)"
    if ! npm ci --no-audit --no-fund; then
      echo "› npm ci refused the lock file; installing the locked versions with npm install"
      npm install --no-audit --no-fund
    fi
  fi
}
