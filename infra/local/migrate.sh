#!/usr/bin/env bash
# Applies JobQueue's migrations as the schema owner and exits: the deploy-time step for setups where
# the app runs as a login that owns nothing (Database:MigrateOnStartup=false), and a check for CI or
# a pipeline.
#
#   bash infra/local/migrate.sh "<connection string of the schema owner>"
#   bash infra/local/migrate.sh --public-wrappers "<owner connection>"
#                                   also make the compatibility wrappers in public (public.job_queue_enqueue,
#                                   ...: the RPC names callers of a replaced stack use); refused, naming it,
#                                   where a function of that name exists that is not JobQueue's
#   bash infra/local/migrate.sh "<owner connection>" "<owner connection to pg_cron's database>"
#   Database__MigrationConnectionString="<owner connection>" bash infra/local/migrate.sh
#                                   (keeps a password or token out of the process list)
#
# Everything is created in the schema jobqueue; nothing in public is read, altered or replaced (but
# the wrappers above, when asked). The second argument is needed only when pg_cron lives in another database (cron.database_name)
# than the app's. Exit status: 0 applied (or nothing to do), 1 failed, 2 usage. The connection
# strings are never printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
options=()
if [ "${1:-}" = "--public-wrappers" ]; then options+=("--Database:PublicWrappers=true"); shift; fi
if { [ $# -lt 1 ] || [ -z "$1" ]; } && [ -z "${Database__MigrationConnectionString:-}" ]; then
  echo "usage: bash infra/local/migrate.sh [--public-wrappers] \"<owner connection string>\" [\"<owner connection to pg_cron's database>\"]" >&2
  exit 2
fi
command -v dotnet >/dev/null || { echo "migrate.sh: the .NET 10 SDK is required" >&2; exit 1; }
dotnet build src/JobQueue.Server/JobQueue.Server.csproj -c Release -nologo -v quiet >&2
args=()
if [ $# -ge 1 ] && [ -n "$1" ]; then args+=("$1"); fi
if [ $# -ge 2 ] && [ -n "$2" ]; then args+=("--Cron:MigrationConnectionString=$2"); fi
exec dotnet src/JobQueue.Server/bin/Release/net10.0/JobQueue.Server.dll migrate "${args[@]}" "${options[@]}"
