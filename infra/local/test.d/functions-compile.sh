#!/usr/bin/env bash
# Compiles the Azure Functions sources against stand-ins of the Worker types
# (infra/tools/FunctionsCompileCheck), with warnings as errors: where the official Worker packages do
# not restore, this still proves that every trigger method calls library members that exist with
# those parameters. Prints "functions-compile: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../../.."
if dotnet build infra/tools/FunctionsCompileCheck/FunctionsCompileCheck.csproj -c Release -nologo -v quiet; then
  echo "functions-compile: 1 passed, 0 failed"
else
  echo "functions-compile: 0 passed, 1 failed"
  exit 1
fi
