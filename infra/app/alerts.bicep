// The alerts an operator needs (README, "Monitoring"), as scheduled log queries over the
// Application Insights component (OpenTelemetry data as the Azure Monitor exporter stores it),
// notifying an action group that e-mails the operator:
//   - a job failed for good: the runner's log record EventId 1003 (category JobQueue.Runner.JobRunner,
//     Error level, Outcome = failed), a row of traces;
//   - a job succeeded only partially (a stats run with a failed step): the runner's log record EventId
//     1007 (same category, Warning, Outcome = partial), a row of traces;
//   - the oldest due pending job is too old: gauge jobqueue.queue.oldest_pending_age (seconds, meter
//     JobQueue, customMetrics) above a threshold, i.e. nothing is processing the queue, or no sample
//     of it in the window, i.e. the app, its runner timer or its telemetry stopped.
param namePrefix string
param location string = resourceGroup().location
param tags object = {}
param applicationInsightsId string
@description('E-mail address that receives the alerts; empty: alerts fire without a notification.')
param alertEmail string = ''
@description('Seconds the oldest due pending job may wait before the alert fires.')
@minValue(60)
param oldestPendingAgeThresholdSeconds int = 900

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-operators'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'jobqueue'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? {} : { actionGroups: [actionGroup.id] }

resource jobFailed 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-job-failed-for-good'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'JobQueue: a job failed for good'
    description: 'A job used up its attempts (or could not be run at all: unknown task type, invalid payload). Runner log EventId 1003 (category JobQueue.Runner.JobRunner). See README, Monitoring.'
    severity: 1
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: loadTextContent('../monitoring/alert-job-failed.kql')
          timeAggregation: 'Count'
          dimensions: [
            {
              name: 'TaskType'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource jobPartial 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-job-partial'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'JobQueue: a job succeeded only partially'
    description: 'A job succeeded with part of its work failed (a stats_update run with a failed step: status succeeded, outcome partial, lastError names the failed steps). Runner log EventId 1007 (category JobQueue.Runner.JobRunner). See README, Monitoring.'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: loadTextContent('../monitoring/alert-job-partial.kql')
          timeAggregation: 'Count'
          dimensions: [
            {
              name: 'TaskType'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource oldestPending 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-oldest-pending-too-old'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'JobQueue: the oldest pending job is too old'
    description: 'A due job has waited longer than ${oldestPendingAgeThresholdSeconds} s (processing is paused, the runner timer is disabled or failing, or the queue is backed up), or no sample of the queue arrived in the window (DataState "no samples in the window": the app, its runner timer or its telemetry stopped). See README, Monitoring.'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: loadTextContent('../monitoring/alert-oldest-pending.kql')
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'OldestPendingAgeSeconds'
          // the query always returns one row; with no sample in the window it reports 1e9 s
          dimensions: [
            {
              name: 'DataState'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: oldestPendingAgeThresholdSeconds
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

output jobFailedAlertId string = jobFailed.id
output oldestPendingAlertId string = oldestPending.id
