#!/usr/bin/env bash
# Builds every project (Release), the Azure Functions app with the official Worker SDK included:
# its build generates functions.metadata and the worker that the tests start
# (tests/JobQueue.FunctionsTestHost). Any restore or build failure fails the run. tests/PackageSample
# is left out: it is restored from packed packages by infra/local/test.d/package-sample.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

for proj in src/*/*.csproj tests/*/*.csproj; do
  # the package sample consumes the packed packages (infra/local/test.d/package-sample.sh), not the projects
  case "$proj" in tests/PackageSample/*) continue ;; esac
  echo "== dotnet build $proj"
  dotnet build "$proj" -c Release -nologo -v quiet
done
