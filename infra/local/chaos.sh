#!/usr/bin/env bash
# The chaos test at full size (src/JobQueue/Maintenance/README.md, "Chaos test"): 3 runner processes (JobQueue.Server with a chaos
# task type, tests/JobQueue.TestWorker chaos) drain 20,000 jobs while 14 kill -9s hit them mid-job,
# PostgreSQL restarts twice (fast, then immediate) and 2 processes are frozen past their leases; then
# it checks from the attempt records and the execution logs that no job was lost, none completed
# twice, no attempt executed twice and every re-execution was caused by a fault, and prints the
# figures (kill -> job running again, and so on). CI runs the same test at a small size.
#
#   JOBQUEUE_PG_PORT           base port: the test's own cluster runs on JOBQUEUE_PG_PORT + 52
#   JOBQUEUE_CHAOS_JOBS, _PROCESSES, _KILLS, _RESTARTS, _FREEZES, _MIN_MS, _MAX_MS, _LEASE_SECONDS
#                              override one size (tests/JobQueue.Tests/Chaos/ChaosOptions.cs)
#   JOBQUEUE_CHAOS_KEEP=1      keep the workers' execution logs and output (the path is printed)
set -euo pipefail
cd "$(dirname "$0")/../.."

export JOBQUEUE_PG_PORT="${JOBQUEUE_PG_PORT:-25432}"
export JOBQUEUE_CHAOS_SIZE="${JOBQUEUE_CHAOS_SIZE:-full}"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
export JOBQUEUE_CHAOS_REPORT="$report"

dotnet build tests/JobQueue.Tests -c Release -nologo -v quiet >&2
status=0
dotnet test tests/JobQueue.Tests --no-build -c Release --filter "FullyQualifiedName~JobQueue.Tests.Chaos" >&2 || status=$?
echo
cat "$report"
exit "$status"
