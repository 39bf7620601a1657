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
alerts='[.. | objects | select(.type? == "Microsoft.Resources/deployments" and .name? == "alerts")][0].properties.template'
check "alerts: job failed for good on the runner's final-failure event (category, EventId 1003, Outcome failed), split by TaskType" \
  "($res | map(select(.type == \"Microsoft.Insights/scheduledQueryRules\")) | length == 3)
   and ($alerts | ([.variables[] | strings] | join(\"\\n\") | test(\"JobQueue.Runner.JobRunner\") and test(\"EventId.{1,4}== .1003.\") and test(\"Outcome == .failed.\"))
        and (.resources | map(select(.type == \"Microsoft.Insights/scheduledQueryRules\" and (.name | test(\"job-failed\"))))[0]
             .properties.criteria.allOf[0].dimensions[0].name == \"TaskType\"))"
check "alerts: a job succeeded only partially on the runner's partial event (category, EventId 1007, Outcome partial), split by TaskType" \
  "$alerts | ([.variables[] | strings] | join(\"\\n\") | test(\"EventId.{1,4}== .1007.\") and test(\"Outcome == .partial.\"))
   and (.resources | map(select(.type == \"Microsoft.Insights/scheduledQueryRules\" and (.name | test(\"job-partial\"))))[0]
        .properties.criteria.allOf[0].dimensions[0].name == \"TaskType\")"
check "alerts: oldest pending job too old, also when no sample arrives (one row always, 1e9 s without samples)" \
  "$alerts | ([.variables[] | strings] | join(\"\\n\") | test(\"jobqueue.queue.oldest_pending_age\") and test(\"summarize Samples = count\\\\(\\\\)\")
              and test(\"iff\\\\(Samples == 0, 1.0e9\"))
   and (.resources | map(select(.type == \"Microsoft.Insights/scheduledQueryRules\" and (.name | test(\"oldest-pending\"))))[0]
        .properties | .autoMitigate == true and .criteria.allOf[0].metricMeasureColumn == \"OldestPendingAgeSeconds\")"

# The workbook: a module whose content is infra/monitoring/workbook.json (loadTextContent, placeholder
# for the Application Insights id), deployed as a shared workbook of the Function App.
workbook='[.. | objects | select(.type? == "Microsoft.Resources/deployments" and .name? == "workbook")][0]'
items="$workbook"' | .properties.template.variables["$fxv#0"] | fromjson | [.items[] | select(.type == 3)]'
check "workbook: a shared workbook with the Function App as its source and a hidden-link tag to it" \
  "$workbook | (.properties.template.resources | map(select(.type == \"Microsoft.Insights/workbooks\"))
      | length == 1 and (.[0] | .kind == \"shared\" and .properties.category == \"workbook\"
        and .properties.sourceId == \"[parameters('functionAppId')]\" and (.tags | test(\"hidden-link:\")) and (.tags | test(\"functionAppId\"))
        and .properties.serializedData == \"[variables('serializedData')]\"))
    and (.properties.template.variables.serializedData | test(\"__APPLICATION_INSIGHTS_ID__.*applicationInsightsId\"))
    and (.properties.parameters.functionAppId.value | test(\"'functionapp'.*outputs.id\"))
    and (.properties.parameters.applicationInsightsId.value | test(\"'monitoring'.*outputs.applicationInsightsId\"))"
check "workbook: every query reads Application Insights over the TimeRange parameter" \
  "($items | length >= 7) and ($items | all(.content.crossComponentResources == [\"__APPLICATION_INSIGHTS_ID__\"]
      and .content.resourceType == \"microsoft.insights/components\" and .content.timeContextFromParameter == \"TimeRange\"))"
check "workbook: queue depth, oldest pending, throughput, failures by task type, p50/p95 durations, runner passes, latest errors with job ids" \
  "$items | map(.content.query) | join(\"\\n\")
    | test(\"jobqueue.queue.depth\") and test(\"jobqueue.queue.oldest_pending_age\") and test(\"jobqueue.jobs.claimed\")
      and test(\"jobqueue.jobs.failed\") and test(\"task_type\") and test(\"percentilesw_array\\\\(duration, itemCount, 50, 95\\\\)\")
      and test(\"jobqueue.runner.passes\") and test(\"JobId\") and test(\"EventId\\\\) in \\\\(\\\"1002\\\", \\\"1003\\\"\\\\)\")"

# The queries (workbook, alerts, queries.kql) name only telemetry the library emits: every jobqueue.*
# metric or tag name is a string literal in src/JobQueue, every runner or schedule EventId a
# [LoggerMessage(EventId = N)], every CategoryName a class of that name. (The test suite checks the
# same names against what a real run emits: tests/JobQueue.Tests/Telemetry/MonitoringQueryTests.cs.)
if [ -f "$template" ]; then
  queries="$(jq -r "$items | .[].content.query" "$template"; jq -r "$alerts | .variables | to_entries[] | .value" "$template"; cat infra/monitoring/*.kql)"
else
  queries=""
fi
missing=""
for name in $(grep -oE 'jobqueue\.[a-z_]+(\.[a-z_]+)*' <<<"$queries" | sort -u); do
  grep -rqF -e "\"$name\"" -e "\"$name." src/JobQueue --include=*.cs || missing="$missing $name"
done
for id in $(grep -oE '"(10|30)[0-9]{2}"' <<<"$queries" | tr -d '"' | sort -u); do
  grep -rqE "EventId = $id\b" src/JobQueue --include=*.cs || missing="$missing EventId:$id"
done
for category in $(grep -oE 'CategoryName\) == "[A-Za-z.]+"' <<<"$queries" | grep -oE '"[^"]+"' | tr -d '"' | sort -u); do
  ns="${category%.*}"; class="${category##*.}"
  grep -rqE "class $class\b" "src/${ns//.//}" --include=*.cs 2>/dev/null || missing="$missing category:$category"
done
if [ -n "$queries" ] && [ -z "$missing" ]; then
  passed=$((passed + 1)); echo "bicep: monitoring queries name only telemetry the library emits ok"
else
  failed=$((failed + 1)); echo "bicep: monitoring queries name only telemetry the library emits FAILED:${missing:- no queries}"
fi
check "wake-up queue: jobqueue-wakeup in the app's storage account, whose roles for the identity include Storage Queue Data Contributor" \
  "($res | map(select(.type == \"Microsoft.Storage/storageAccounts/queueServices/queues\")) | length == 1)
   and ([.. | objects | select(has(\"queueNames\"))][0].queueNames.value == [\"[variables('wakeUpQueueName')]\"])
   and (.variables.wakeUpQueueName == \"jobqueue-wakeup\")
   and ([.. | objects | select(has(\"storageRoles\"))][0].storageRoles | tostring | test(\"storageQueueDataContributor\"))
   and ([.. | objects | select(has(\"storageQueueDataContributor\"))][0].storageQueueDataContributor == \"974c5e8b-45b9-4653-ba55-5f855dd0fb88\")
   and ($res | map(select(.type == \"Microsoft.Authorization/roleAssignments\" and (.properties.roleDefinitionId | test(\"storageRoles\"))))
        | .[0].scope | test(\"Microsoft.Storage/storageAccounts\"))"
check "wake-up function: always-ready instances only when asked (default 0)" \
  "(.parameters.wakeUpAlwaysReadyInstances.defaultValue == 0)
   and ([.. | objects | select(has(\"alwaysReady\"))] | map(.alwaysReady) | map(select(type == \"string\"))
        | any(test(\"function:\") and test(\"wakeUpFunctionName\") and test(\"wakeUpAlwaysReadyInstances\")))
   and (.variables.wakeUpFunctionName == \"RunnerWakeUp\")"
if [ "$(jq -r '.extensions.queues.maxPollingInterval' host.json 2>&1)" = "00:00:01" ]; then
  passed=$((passed + 1)); echo "bicep: host.json polls the wake-up queue every second ok"
else
  failed=$((failed + 1)); echo "bicep: host.json polls the wake-up queue every second FAILED"
fi

echo "bicep: $passed passed, $failed failed"
[ "$failed" = 0 ]
