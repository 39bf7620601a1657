#!/usr/bin/env bash
# The test command (README, CI): starts the local PostgreSQL with pg_cron, builds everything (the
# Functions app with the official SDK included), runs every test, compiles the Bicep, and prints one
# "N passed, N failed" line.
#
#   JOBQUEUE_TEST_FILTER=...      passed to dotnet test --filter
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

started_pg=0
if ! bash infra/local/pg.sh status 2>/dev/null; then started_pg=1; fi
JOBQUEUE_TEST_PG="$(bash infra/local/pg.sh start)"
export JOBQUEUE_TEST_PG
cleanup() { if [ "$started_pg" = 1 ]; then bash infra/local/pg.sh stop || true; fi; }
trap cleanup EXIT

bash infra/local/build.sh

# headless Chromium for the dashboard's browser tests (installed where missing)
JOBQUEUE_CHROMIUM="$(bash infra/local/chromium.sh)"
export JOBQUEUE_CHROMIUM

results="$(mktemp -d)"
filter=()
if [ -n "${JOBQUEUE_TEST_FILTER:-}" ]; then filter=(--filter "$JOBQUEUE_TEST_FILTER"); fi
status=0
for proj in tests/*.Tests/*.csproj; do
  echo "== dotnet test $proj"
  dotnet test "$proj" --no-build -c Release "${filter[@]}" \
    2>&1 | tee "$results/$(basename "$proj").log" || status=1
done

for step in infra/local/test.d/*.sh; do
  [ -e "$step" ] || continue
  echo "== $step"
  bash "$step" 2>&1 | tee "$results/step-$(basename "$step").out" || status=1
done

passed=0; failed=0
for log in "$results"/*.log; do
  line="$(grep -E '^(Passed|Failed)!' "$log" | tail -1 || true)"
  p="$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line")"
  f="$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ -z "$line" ]; then failed=$((failed + 1)); echo "no test summary in $log" >&2; fi
done
for out in "$results"/step-*.out; do
  [ -e "$out" ] || continue
  line="$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1 || true)"
  if [ -z "$line" ]; then failed=$((failed + 1)); echo "no summary line in $out" >&2; continue; fi
  passed=$((passed + $(sed -nE 's/.*: ([0-9]+) passed.*/\1/p' <<<"$line")))
  failed=$((failed + $(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")))
done
echo
echo "Total: $passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$status" != 0 ]; then exit 1; fi
