#!/usr/bin/env bash
# Moves a lived-in Supabase project (its public.job_queue, the job_queue_* RPCs, the job_queue_settings
# pause switch and its pg_cron/pg_net schedules) onto JobQueue, as the owner connection (on Supabase:
# postgres). Runbook: src/JobQueue.Supabase/Cutover/README.md.
#
#   bash infra/local/cutover.sh plan     "<owner connection string>"   dry run: what it found, will do, cannot do; changes nothing
#   bash infra/local/cutover.sh apply    "<owner connection string>"   refuses until the secrets it lists are stored
#   bash infra/local/cutover.sh rollback "<owner connection string>"   restores the old table, RPCs, pause switch and pg_cron jobs
#   ... [--json]                                                       the report as JSON
#   ... [--cron "<owner connection to pg_cron's database>"]           only when pg_cron lives in another database
#                                                                      than the app's and cannot be reached with the same credentials
#   Database__MigrationConnectionString="<owner connection>" bash infra/local/cutover.sh plan
#                                                                      (keeps a password out of the process list)
#
# It builds and runs the server (src/JobQueue.Server) with the same settings: the secrets the converted
# schedules need are checked where the app reads them (KeyVault:VaultUri, or Secrets__<name> settings).
# Exit status: 0 done (or nothing to do), 1 refused or failed, 2 usage. Connection strings and secret
# values are never printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
verb="${1:-}"
case "$verb" in plan|apply|rollback) shift ;; *)
  echo "usage: bash infra/local/cutover.sh plan|apply|rollback \"<owner connection string>\" [--json] [--cron \"<owner connection to pg_cron's database>\"]" >&2
  exit 2 ;;
esac
connection="${1:-}"
if [ -n "$connection" ] && [ "${connection#--}" = "$connection" ]; then shift; set -- "$connection" "$@"; elif [ -n "${Database__MigrationConnectionString:-}" ]; then connection=env; fi
if [ -z "$connection" ]; then
  echo "usage: bash infra/local/cutover.sh $verb \"<owner connection string>\" (or set Database__MigrationConnectionString)" >&2
  exit 2
fi
command -v dotnet >/dev/null || { echo "cutover.sh: the .NET 10 SDK is required" >&2; exit 1; }
dotnet build src/JobQueue.Server/JobQueue.Server.csproj -c Release -nologo -v quiet >&2
exec dotnet src/JobQueue.Server/bin/Release/net10.0/JobQueue.Server.dll cutover "$verb" "$@"
