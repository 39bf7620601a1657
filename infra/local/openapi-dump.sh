#!/usr/bin/env bash
# Refreshes the committed OpenAPI document src/JobQueue/Api/openapi.json, generated from the route table
# (src/JobQueue/Api/OpenApi/ApiDocumentGenerator.cs). The test suite fails when the route table gives
# anything else (OpenApiDocumentTests); after an intended API change, run this and commit the diff.
#
#   bash infra/local/openapi-dump.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/JobQueue.Tests/JobQueue.Tests.csproj -c Release -nologo -v quiet >&2
JOBQUEUE_OPENAPI_WRITE=1 dotnet test tests/JobQueue.Tests/JobQueue.Tests.csproj --no-build -c Release \
  --filter "FullyQualifiedName~JobQueue.Tests.Api.OpenApiDocumentTests.The_committed_document_is_what_the_route_table_generates" >&2
git --no-pager diff --stat -- src/JobQueue/Api/openapi.json
