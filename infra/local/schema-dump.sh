#!/usr/bin/env bash
# Refreshes the committed schema snapshot tests/JobQueue.Tests/Database/schema.dump.sql: a fresh
# install's `pg_dump --schema-only`, normalised (tests/JobQueue.Tests/Infrastructure/SchemaDump.cs).
# The test suite fails when the migrations produce anything else (SchemaSnapshotTests); after an
# intended schema change, run this and commit the diff with the change.
#
#   bash infra/local/schema-dump.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBQUEUE_TEST_PG="$(bash infra/local/pg.sh start)"
export JOBQUEUE_TEST_PG
dotnet build tests/JobQueue.Tests/JobQueue.Tests.csproj -c Release -nologo -v quiet >&2
JOBQUEUE_SCHEMA_DUMP_WRITE=1 dotnet test tests/JobQueue.Tests/JobQueue.Tests.csproj --no-build -c Release \
  --filter "FullyQualifiedName~JobQueue.Tests.Database.SchemaSnapshotTests" >&2
git --no-pager diff --stat -- tests/JobQueue.Tests/Database/schema.dump.sql
