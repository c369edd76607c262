#!/usr/bin/env bash
# Builds or tests the web app from Maven (clients/web/pom.xml) or by hand:
#   clients/web/build.sh build   npm ci when the lock file changed, then type-check and bundle into dist/
#   clients/web/build.sh test    the same install, then the unit tests (vitest)
# node and npm come from the machine (.ci/run installs them); npm's cache is reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

install() {
  # npm ci only when node_modules is missing or older than the lock file: a rebuild stays offline.
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

case "${1:-build}" in
  build) install; npm run --silent build ;;
  test) install; npm run --silent test ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
