// JobQueue on Azure (azd-compatible; or `az deployment group create -g <rg> -f infra/main.bicep
// -p infra/main.parameters.json`): a Flex Consumption Function App (.NET 10 isolated) with a
// user-assigned managed identity, its storage account (identity-based AzureWebJobsStorage), Key
// Vault (RBAC, the app is Secrets User), Log Analytics + Application Insights (Entra-only
// ingestion), PostgreSQL Flexible Server (Entra ID auth, pg_cron allow-listed and preloaded), the
// two alert rules and the operators' workbook. No secret value passes through this template: secrets are set in Key Vault
// afterwards (README, "Key Vault secrets"), the database is reached without a password.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(40)
@description('Environment name (azd: AZURE_ENV_NAME); part of every resource name.')
param environmentName string

@description('Region for every resource.')
param location string = resourceGroup().location

@description('Object id of the operator running the deployment (azd: AZURE_PRINCIPAL_ID); gets Key Vault Secrets Officer to set the secrets. Empty for none.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of that principal (azd in CI runs as a service principal).')
param principalType string = 'User'

@description('Display name or UPN of that operator; when set (with principalId), the operator is a PostgreSQL Entra administrator: the deploy-time migrations (infra/hooks/postprovision.sh) run as this principal, which owns the schema.')
param principalName string = ''

@description('Make the app identity a PostgreSQL Entra administrator. Default false: the app runs as a login that owns nothing (a member of jobqueue_app) and the migrations run at deploy time as the operator. True only for a single-login setup that migrates on start.')
param appIdentityIsPostgresAdmin bool = false

@allowed(['15', '16'])
param postgresVersion string = '16'

@description('PostgreSQL compute size; Burstable B1ms is enough for the queue.')
param postgresSkuName string = 'Standard_B1ms'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'Burstable'

@description('The app database; pg_cron runs its jobs here (cron.database_name).')
param databaseName string = 'jobqueue'

@description('Game Platform API base URL (GamePlatform:BaseUrl); its API key is Key Vault secret game-platform-api-key.')
param gamePlatformBaseUrl string = ''

@description('Put App Service Authentication (Entra ID) in front of the app and trust its x-ms-client-principal for admin calls (Auth:AppServiceAuthentication). Needs appServiceAuthenticationClientId.')
param appServiceAuthentication bool = false

@description('Client id of the Entra app registration used by App Service Authentication (with appServiceAuthentication=true); it defines the admin app role JobQueue.Admin.')
param appServiceAuthenticationClientId string = ''

@description('Run the queue from the every-minute runner timer (false sets AzureWebJobs.Runner.Disabled; outside callers then use POST /api/jobs/run).')
param runnerTimerEnabled bool = true

@description('E-mail address for the alerts; empty: the alert rules exist but notify nobody.')
param alertEmail string = ''

@description('Seconds the oldest due pending job may wait before the "too old" alert fires.')
param oldestPendingAgeThresholdSeconds int = 900

@description('Upper bound of Flex Consumption instances.')
param maximumInstanceCount int = 40

@description('Always-ready instances for the wake-up queue\'s function: jobs then start in about a second even when the app had scaled to zero (billed while idle). 0 = none: the first job after an idle period waits for a cold start.')
@minValue(0)
@maxValue(10)
param wakeUpAlwaysReadyInstances int = 0

var abbrs = {
  plan: 'plan'
  functionApp: 'func'
  identity: 'id'
  storage: 'st'
  keyVault: 'kv'
  logAnalytics: 'log'
  applicationInsights: 'appi'
  postgres: 'psql'
}
var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName, application: 'jobqueue' }
var deploymentContainerName = 'app-package-${take(token, 7)}'
var appName = '${abbrs.functionApp}-jobqueue-${token}'
// function names (src/JobQueue.Functions) that settings refer to
var runnerTimerFunctionName = 'Runner'
// src/JobQueue/WakeUp/RunnerWakeUp.cs: the queue and its queue-triggered function
var wakeUpQueueName = 'jobqueue-wakeup'
var wakeUpFunctionName = 'RunnerWakeUp'

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.identity}-jobqueue-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.logAnalytics}-jobqueue-${token}'
    applicationInsightsName: '${abbrs.applicationInsights}-jobqueue-${token}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  params: {
    name: take('${abbrs.storage}jobqueue${token}', 24)
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    // after an enqueue through the app, a message here runs a draining pass (function RunnerWakeUp)
    queueNames: [wakeUpQueueName]
  }
}

module keyVault 'core/security/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('${abbrs.keyVault}-jobqueue-${token}', 24)
    location: location
    tags: tags
  }
}

var appAdministrator = [
  {
    objectId: identity.outputs.principalId
    name: identity.outputs.name
    type: 'ServicePrincipal'
  }
]
var operatorAdministrator = [
  {
    objectId: principalId
    name: principalName
    type: principalType
  }
]

module postgres 'core/database/postgresql-flexible.bicep' = {
  name: 'postgres'
  params: {
    name: '${abbrs.postgres}-jobqueue-${token}'
    location: location
    tags: tags
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    databaseName: databaseName
    administrators: concat(
      appIdentityIsPostgresAdmin ? appAdministrator : [],
      empty(principalId) || empty(principalName) ? [] : operatorAdministrator
    )
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    identityPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
  }
}

module functionApp 'core/host/functions-flexconsumption.bicep' = {
  name: 'functionapp'
  params: {
    planName: '${abbrs.plan}-jobqueue-${token}'
    appName: appName
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.primaryBlobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    maximumInstanceCount: maximumInstanceCount
    alwaysReady: wakeUpAlwaysReadyInstances > 0 ? [{ name: 'function:${wakeUpFunctionName}', instanceCount: wakeUpAlwaysReadyInstances }] : []
    appSettings: {
      KeyVault__VaultUri: keyVault.outputs.vaultUri
      // passwordless: Npgsql gets an Entra token for the managed identity (Database:UseEntraId)
      Database__ConnectionString: 'Host=${postgres.outputs.fullyQualifiedDomainName};Database=${databaseName};Username=${identity.outputs.name};SslMode=Require'
      Database__UseEntraId: 'true'
      // the app's login owns nothing: the migrations run at deploy time as the operator
      // (azd postprovision hook: infra/hooks/postprovision.sh), unless the app identity is an admin
      Database__MigrateOnStartup: appIdentityIsPostgresAdmin ? 'true' : 'false'
      Schedules__GamePlatformSync: '0 */30 * * * *'
      Schedules__GamePlatformTotalsSweep: '0 0 * * * *'
      Schedules__JobQueueCleanup: '0 15 3 * * *'
      Schedules__StatsUpdateNightly: '0 0 2 * * *'
      Schedules__Runner: '0 * * * * *'
      Schedules__QueueMaintenance: '*/15 * * * * *'
      'AzureWebJobs.${runnerTimerFunctionName}.Disabled': runnerTimerEnabled ? 'false' : 'true'
      Runner__TimeBudgetSeconds: '180'
      GamePlatform__BaseUrl: gamePlatformBaseUrl
      Auth__AppServiceAuthentication: appServiceAuthentication ? 'true' : 'false'
    }
  }
  // the identity must hold its storage roles before the host starts
  dependsOn: [rbac]
}

module appServiceAuth 'app/app-service-auth.bicep' = if (appServiceAuthentication) {
  name: 'app-service-auth'
  params: {
    appName: functionApp.outputs.name
    clientId: appServiceAuthenticationClientId
  }
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: 'jobqueue-${token}'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    alertEmail: alertEmail
    oldestPendingAgeThresholdSeconds: oldestPendingAgeThresholdSeconds
  }
}

module workbook 'app/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    tags: tags
    functionAppId: functionApp.outputs.id
    applicationInsightsId: monitoring.outputs.applicationInsightsId
  }
}

// names and addresses only: no keys, connection strings with secrets or secret values
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.vaultUri
output AZURE_POSTGRES_HOST string = postgres.outputs.fullyQualifiedDomainName
output AZURE_POSTGRES_DATABASE string = databaseName
output AZURE_APP_IDENTITY_NAME string = identity.outputs.name
output AZURE_APP_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
