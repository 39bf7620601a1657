// The operators' Azure Monitor workbook "JobQueue" (README, "Monitoring"): queue depth and oldest
// pending age over time, throughput, failures by task type, attempt durations p50/p95, runner passes,
// the latest errors with their job ids. Its content is infra/monitoring/workbook.json (Notebook/1.0),
// whose queries read the Application Insights component (placeholder __APPLICATION_INSIGHTS_ID__).
// It belongs to the Function App (sourceId: Function App > Monitoring > Workbooks), and a hidden-link
// tag ties it to the app in the portal's related resources.
param location string = resourceGroup().location
param tags object = {}
param functionAppId string
param applicationInsightsId string
param displayName string = 'JobQueue'

var serializedData = replace(loadTextContent('../monitoring/workbook.json'), '__APPLICATION_INSIGHTS_ID__', applicationInsightsId)

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // deterministic, so that a redeployment updates the same workbook
  name: guid(resourceGroup().id, functionAppId, 'jobqueue-workbook')
  location: location
  kind: 'shared'
  tags: union(tags, {
    'hidden-title': displayName
    'hidden-link:${functionAppId}': 'Resource'
  })
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: functionAppId
    serializedData: serializedData
    version: '1.0'
  }
}

output id string = workbook.id
