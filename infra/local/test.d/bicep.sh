#!/usr/bin/env bash
# Compiles and lints the Azure infrastructure (infra/main.bicep and its modules) with the Bicep CLI
# from its NuGet package (Azure.Bicep.CommandLine.linux-x64, restored by infra/tools/BicepCli.csproj
# into the NuGet cache; MSBuild's $(BicepPath) names the binary). Run by infra/local/test.sh.
# Fails on any error and on any linter warning except use-recent-api-versions (its verdict depends
# on today's date, so it is reported but does not break an old checkout). Prints
# "bicep: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../../.."

passed=0; failed=0
step() { # name, then the command
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)" && ! grep -E ' : (Error|Warning) ' <<<"$out" | grep -qv 'use-recent-api-versions'; then
    passed=$((passed + 1)); echo "bicep: $name ok"
  else
    failed=$((failed + 1)); echo "bicep: $name FAILED"
  fi
  [ -n "$out" ] && echo "$out"
}

if ! dotnet restore infra/tools/BicepCli.csproj -nologo -v quiet; then
  echo "bicep: could not restore Azure.Bicep.CommandLine.linux-x64"; echo "bicep: 0 passed, 2 failed"; exit 1
fi
bicep="$(dotnet msbuild infra/tools/BicepCli.csproj -nologo -getProperty:BicepPath)"
[ -x "$bicep" ] || chmod +x "$bicep"
echo "bicep: $("$bicep" --version)"

out_dir="$(mktemp -d)"
step "build infra/main.bicep" "$bicep" build infra/main.bicep --outdir "$out_dir"
step "lint infra/main.bicep" "$bicep" lint infra/main.bicep
rm -rf "$out_dir"

echo "bicep: $passed passed, $failed failed"
[ "$failed" = 0 ]
