#!/usr/bin/env bash
# axe-core (npm package axe-core, pinned with its lockfile in infra/local/axe/) for the dashboard's
# accessibility tests: installed once with `npm ci` into a cache folder, then the path of axe.min.js
# is printed (last line). The tests inject it into their own browser pages; the dashboard never
# serves or loads it.
#
#   bash infra/local/axe.sh        install where missing, print the path of axe.min.js
#
# Installed into JOBQUEUE_AXE_HOME (default ~/.cache/jobqueue/axe-<version>).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="$(sed -n 's/.*"axe-core": "\([0-9.]*\)".*/\1/p' "$HERE/axe/package.json")"
HOME_DIR="${JOBQUEUE_AXE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/jobqueue/axe-$VERSION}"
FILE="$HOME_DIR/node_modules/axe-core/axe.min.js"

# test classes start at the same moment: one installs, the others wait and find it installed
mkdir -p "$(dirname "$HOME_DIR")"
exec 9>"$(dirname "$HOME_DIR")/axe.lock"
flock 9
if [ ! -f "$FILE" ]; then
  command -v npm >/dev/null || { echo "axe.sh: npm is missing (Debian: apt-get install -y npm)" >&2; exit 1; }
  echo "axe.sh: installing axe-core@$VERSION into $HOME_DIR" >&2
  # into a folder of its own, moved in place when complete: a half-finished install is never used
  rm -rf "$HOME_DIR.partial"
  mkdir -p "$HOME_DIR.partial"
  cp "$HERE/axe/package.json" "$HERE/axe/package-lock.json" "$HOME_DIR.partial/"
  npm ci --prefix "$HOME_DIR.partial" --no-audit --no-fund --loglevel=error >&2
  rm -rf "$HOME_DIR"
  mv "$HOME_DIR.partial" "$HOME_DIR"
fi
echo "$FILE"
