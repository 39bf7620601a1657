#!/usr/bin/env bash
# The benchmark command (README): JobQueue beside Hangfire (Hangfire.Core + Hangfire.PostgreSql) on
# the same local PostgreSQL, each figure on fresh databases; prints one summary line per figure.
#
#   bash infra/local/bench.sh            full size (N=100,000 drain, 1,000,000-row scale figures)
#   bash infra/local/bench.sh --quick    small sizes, a smoke run of every figure (~5 minutes)
#   bash infra/local/bench.sh --only fntimer,fnwakeup   the Functions app's figures (issue 13.6; fnwakeup
#                                        starts the built worker with the test host and Azurite)
#   bash infra/local/bench.sh --only drain --runners 8 --drain-jobs 200000   any harness option
#                                        (see tests/JobQueue.Benchmarks/BenchOptions.cs; BENCH_* env too)
#
# It starts its own PostgreSQL cluster through infra/local/pg.sh on port JOBQUEUE_PG_PORT
# (default 25490, so it never shares the test cluster) and stops it again if it started it.
set -euo pipefail
cd "$(dirname "$0")/../.."

export JOBQUEUE_PG_PORT="${JOBQUEUE_PG_PORT:-25490}"
started_pg=0
if ! bash infra/local/pg.sh status 2>/dev/null; then started_pg=1; fi
url="$(bash infra/local/pg.sh start)"
cleanup() { if [ "$started_pg" = 1 ]; then bash infra/local/pg.sh stop || true; fi; }
trap cleanup EXIT

dotnet build tests/JobQueue.Benchmarks -c Release -nologo -v quiet >&2
# fnwakeup starts the built Functions worker (tests/JobQueue.FunctionsTestHost finds it under bin/Release)
case " $* " in
  *" --only "*) if [[ " $* " == *fnwakeup* ]]; then dotnet build src/JobQueue.Functions -c Release -nologo -v quiet >&2; fi ;;
  *) dotnet build src/JobQueue.Functions -c Release -nologo -v quiet >&2 ;;
esac
echo "bench: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+dirty'), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg), $(/usr/lib/postgresql/15/bin/postgres --version)" >&2
BENCH_CONNECTION_STRING="$url" dotnet tests/JobQueue.Benchmarks/bin/Release/net10.0/JobQueue.Benchmarks.dll "$@"
