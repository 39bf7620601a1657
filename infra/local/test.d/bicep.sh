#!/usr/bin/env bash
# Compiles and lints the Azure infrastructure (infra/main.bicep and its modules) with the Bicep CLI
# from its NuGet package (Azure.Bicep.CommandLine.linux-x64, restored by infra/tools/BicepCli.csproj
# into the NuGet cache; MSBuild's $(BicepPath) names the binary). Run by infra/local/test.sh.
# Then checks the compiled ARM template (with jq, installed like pg.sh installs PostgreSQL) for what
# it promises. Fails on any error and on any linter warning except use-recent-api-versions (its
# verdict depends on today's date, so it is reported but does not break an old checkout).
# Prints "bicep: N passed, N failed".
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
trap 'rm -rf "$out_dir"' EXIT
step "build infra/main.bicep" "$bicep" build infra/main.bicep --outdir "$out_dir"
step "lint infra/main.bicep" "$bicep" lint infra/main.bicep

if ! command -v jq >/dev/null; then
  sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >&2 \
    || { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
         && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >&2; } \
    || echo "bicep: jq missing and not installable: the template checks fail"
fi

# What the compiled template promises (ARM JSON, modules inlined): identity, RBAC, no secrets, pg_cron.
template="$out_dir/main.json"
check() { # name, jq expression that must be true
  if [ -f "$template" ] && [ "$(jq -r "$2" "$template" 2>&1)" = true ]; then
    passed=$((passed + 1)); echo "bicep: $1 ok"
  else
    failed=$((failed + 1)); echo "bicep: $1 FAILED"
  fi
}
res='[.. | objects | select(.type? | type == "string")]'
check "flex consumption plan FC1 and a dotnet-isolated 10.0 app with a user-assigned identity" \
  "($res | map(select(.type == \"Microsoft.Web/serverfarms\"))[0].sku.name == \"FC1\")
   and ($res | map(select(.type == \"Microsoft.Web/sites\"))[0] | .identity.type == \"UserAssigned\"
        and .properties.functionAppConfig.runtime == {name: \"[parameters('runtimeName')]\", version: \"[parameters('runtimeVersion')]\"})"
check "identity-based AzureWebJobsStorage, no storage key or connection string" \
  "($res | map(select(.type == \"Microsoft.Web/sites/config\"))[0].properties | tostring
    | test(\"AzureWebJobsStorage__credential\") and test(\"managedidentity\") and (test(\"AccountKey|listKeys\") | not))
   and ($res | map(select(.type == \"Microsoft.Storage/storageAccounts\"))[0].properties.allowSharedKeyAccess == false)"
check "key vault: RBAC authorization, no access policies, app gets Secrets User" \
  "($res | map(select(.type == \"Microsoft.KeyVault/vaults\"))[0].properties | .enableRbacAuthorization == true and (has(\"accessPolicies\") | not))
   and ([.. | strings | select(test(\"4633458b-17de-408a-b874-0445c86b69e6\"))] | length > 0)"
check "no secret values: no secure parameter, no key/password/secret in outputs or parameters" \
  "([.. | objects | select(.type? == \"securestring\" or .type? == \"secureObject\")] | length == 0)
   and ([.outputs, .parameters | keys[] | select(test(\"(?i)password|secret|key$|connectionstring\"))] | length == 0)
   and ([.. | strings | select(test(\"(?i)listKeys|listSecrets|administratorLoginPassword\"))] | length == 0)"
check "postgresql: entra-only auth, pg_cron allow-listed and preloaded, cron.database_name" \
  "($res | map(select(.type == \"Microsoft.DBforPostgreSQL/flexibleServers\"))[0].properties.authConfig
      | .activeDirectoryAuth == \"Enabled\" and .passwordAuth == \"Disabled\")
   and ($res | map(select(.type == \"Microsoft.DBforPostgreSQL/flexibleServers/configurations\")) | map({(.name | tostring): (.properties.value | tostring)}) | add
      | (to_entries | map(select(.key | test(\"azure.extensions\"))) | .[0].value | test(\"PG_CRON\"))
        and (to_entries | map(select(.key | test(\"shared_preload_libraries\"))) | .[0].value | test(\"pg_cron\"))
        and (to_entries | map(select(.key | test(\"cron.database_name\"))) | length == 1))"
check "app settings: vault URI, passwordless database, schedules" \
  "[.. | objects | select(has(\"appSettings\"))][0].appSettings.value
    | has(\"KeyVault__VaultUri\") and .Database__UseEntraId == \"true\"
      and (.Database__ConnectionString | test(\"Username=\") and (test(\"(?i)password\") | not))
      and .Schedules__GamePlatformSync == \"0 */30 * * * *\" and .Schedules__GamePlatformTotalsSweep == \"0 0 * * * *\"
      and .Schedules__JobQueueCleanup == \"0 15 3 * * *\" and .Schedules__Runner == \"0 * * * * *\"
      and .Schedules__QueueMaintenance == \"*/15 * * * * *\""
check "least privilege: the app identity is no PostgreSQL admin by default and does not migrate on start (postprovision hook does)" \
  "([.. | objects | select(has(\"appSettings\"))][0].appSettings.value.Database__MigrateOnStartup
      == \"[if(parameters('appIdentityIsPostgresAdmin'), 'true', 'false')]\")
   and (.parameters.appIdentityIsPostgresAdmin.defaultValue == false)"
check "app service authentication: authsettingsV2 with Entra ID, 401 for unauthenticated requests, only the runner route excluded" \
  "($res | map(select(.type == \"Microsoft.Web/sites/config\" and (.name | tostring | test(\"authsettingsV2\"))))[0].properties
      | .platform.enabled == true and .globalValidation.requireAuthentication == true
        and .globalValidation.unauthenticatedClientAction == \"Return401\"
        and .identityProviders.azureActiveDirectory.enabled == true)
   and ([.. | objects | select(.excludedPaths? != null)][0].excludedPaths.defaultValue == [\"/api/jobs/run\"])"
check "alerts: job failed for good (EventId 1003 / Outcome failed) and oldest pending job too old" \
  "($res | map(select(.type == \"Microsoft.Insights/scheduledQueryRules\")) | length == 2)
   and ([.. | strings | select(test(\"Outcome == .failed.\"))] | length >= 1)
   and ([.. | strings | select(test(\"jobqueue.queue.oldest_pending_age\"))] | length >= 1)"

echo "bicep: $passed passed, $failed failed"
[ "$failed" = 0 ]
