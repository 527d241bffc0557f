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

# Share cards (app/share) are drawn with a CJK font through sharp's fontconfig: without one,
# the Chinese on them comes out as empty boxes. Debian's fonts-noto-cjk when missing (as root
# with apt-get), otherwise a warning — the site works, its share pictures do not.
ensure_cjk_fonts() {
  if command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "› installing Debian's fonts-noto-cjk (Chinese text on share cards)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  else
    echo "warning: no Chinese font found; share cards will show boxes. Install one, e.g. apt-get install fonts-noto-cjk" >&2
  fi
}
