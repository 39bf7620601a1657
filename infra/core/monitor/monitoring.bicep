// Log Analytics workspace + workspace-based Application Insights. Local (instrumentation-key)
// authentication is disabled: telemetry is accepted only from Entra ID identities that hold
// "Monitoring Metrics Publisher" on the component (see app/rbac.bicep).
param logAnalyticsName string
param applicationInsightsName string
param location string = resourceGroup().location
param tags object = {}
@minValue(30)
param retentionInDays int = 30
param disableLocalAuth bool = true

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: disableLocalAuth
  }
}

output logAnalyticsWorkspaceId string = logAnalytics.id
output applicationInsightsId string = applicationInsights.id
output applicationInsightsName string = applicationInsights.name
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
