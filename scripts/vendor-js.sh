#!/usr/bin/env bash
# Copy the browser libraries we use from node_modules into static/vendor/<pkg>-<version>/.
#
# Only the vendored files, package.json and package-lock.json are committed; node_modules is
# git-ignored and CI never runs npm. To update: change the pinned version in package.json,
# then run `npm ci && bash scripts/vendor-js.sh`, remove the old static/vendor/<pkg>-<old>/,
# and update the <script> paths in templates (grep for the old version).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

vendor() {  # vendor <package> <file inside the package>...
  local pkg=$1; shift
  local version
  version=$(node -p "require('./node_modules/$pkg/package.json').version")
  local dest="static/vendor/$pkg-$version"
  mkdir -p "$dest"
  for file in "$@"; do
    cp "node_modules/$pkg/$file" "$dest/$(basename "$file")"
  done
  cp "node_modules/$pkg/LICENSE" "$dest/LICENSE"
  echo "$dest: $* LICENSE"
}

# jsQR: pure JavaScript QR decoder (Apache-2.0). No worker, no WebAssembly, no network:
# works offline and in headless Chromium, where BarcodeDetector is missing on Linux.
vendor jsqr dist/jsQR.js
