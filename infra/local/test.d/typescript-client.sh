#!/usr/bin/env bash
# The typed client for web apps (src/jobqueue-client): installs its pinned packages (npm ci, from the
# lockfile), checks that src/schema.d.ts is what openapi-typescript generates from the committed
# OpenAPI document (src/JobQueue/Api/openapi.json), and type-checks the client and its examples with
# tsc --noEmit (examples/type-checks.ts holds calls the compiler must refuse).
# Prints "typescript-client: N passed, N failed". Run by infra/local/test.sh.
set -uo pipefail
cd "$(dirname "$0")/../../../src/jobqueue-client"

passed=0; failed=0
step() { # name, then the command
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then passed=$((passed + 1)); echo "typescript-client: $name ok"
  else failed=$((failed + 1)); echo "typescript-client: $name FAILED"; echo "$out"; fi
}

schema_is_current() {
  local fresh; fresh="$(mktemp --suffix=.d.ts)"
  npx --no-install openapi-typescript ../JobQueue/Api/openapi.json --output "$fresh" >/dev/null &&
    { diff -u src/schema.d.ts "$fresh" || { echo "src/schema.d.ts is stale: cd src/jobqueue-client && npm run generate"; rm -f "$fresh"; return 1; }; }
  rm -f "$fresh"
}

command -v npm >/dev/null || { echo "typescript-client: npm is missing (Debian: apt-get install -y npm)"; echo "typescript-client: 0 passed, 3 failed"; exit 1; }
step "npm ci (lockfile)" npm ci --no-audit --no-fund --loglevel=error
step "schema.d.ts generated from openapi.json" schema_is_current
step "tsc --noEmit" npx --no-install tsc --noEmit -p .
echo "typescript-client: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
