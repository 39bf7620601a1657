// App Service Authentication (Easy Auth) in front of the Function App, with Entra ID: every request
// needs a signed-in Entra principal (401 otherwise) except the runner route, which outside callers
// (pg_net, schedulers) reach with the runner secret and a function key. The platform then sets
// WEBSITE_AUTH_ENABLED=True and passes x-ms-client-principal, which the app trusts only then
// (Auth:AppServiceAuthentication). Admins need the app role named by Auth:AdminRole (default
// JobQueue.Admin) defined on the Entra app registration and assigned to them (README, "Deploy to Azure").
param appName string

@description('Client (application) id of the Entra app registration that signs users in.')
param clientId string

@description('Routes that skip Easy Auth: the runner route keeps its own secret.')
param excludedPaths array = ['/api/jobs/run']

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: appName
}

resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: excludedPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}
