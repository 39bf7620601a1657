#!/usr/bin/env bash
# Builds every project (Release), the Azure Functions app with the official Worker SDK included:
# its build generates functions.metadata and the worker that the tests start
# (tests/JobQueue.FunctionsTestHost). Any restore or build failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."

for proj in src/*/*.csproj tests/*/*.csproj; do
  echo "== dotnet build $proj"
  dotnet build "$proj" -c Release -nologo -v quiet
done
