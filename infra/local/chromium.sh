#!/usr/bin/env bash
# Headless Chromium for the dashboard's browser tests (tests/JobQueue.Tests/Dashboard): Debian's
# `chromium` package, installed with apt where missing (as infra/local/pg.sh installs PostgreSQL).
# The tests drive it with Microsoft.Playwright's bundled driver (no browser download). Prints the
# browser's path on stdout.
#
#   JOBQUEUE_CHROMIUM   a Chromium binary to use instead (then nothing is installed)
set -euo pipefail

say() { echo "chromium.sh: $*" >&2; }

if [ -n "${JOBQUEUE_CHROMIUM:-}" ]; then
  [ -x "$JOBQUEUE_CHROMIUM" ] || { say "JOBQUEUE_CHROMIUM=$JOBQUEUE_CHROMIUM is not an executable"; exit 1; }
  echo "$JOBQUEUE_CHROMIUM"
  exit 0
fi

BIN=/usr/bin/chromium
# fonts-dejavu-core: readable text in screenshots on a minimal machine
missing=()
[ -x "$BIN" ] || missing+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
echo "$BIN"
