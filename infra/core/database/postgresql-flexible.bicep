// Azure Database for PostgreSQL Flexible Server for the queue: Entra ID authentication only (no
// password, so no secret in parameters), pg_cron allow-listed and preloaded with its jobs in the
// app database, the app database created, and Entra administrators (the app's identity and,
// optionally, an operator) added one after the other (the server accepts one change at a time).
//
// Changing shared_preload_libraries needs a server restart; a new server is created with it.
// After changing it on an existing server: `az postgres flexible-server restart`.
param name string
param location string = resourceGroup().location
param tags object = {}
@allowed(['15', '16'])
param version string = '16'
param skuName string = 'Standard_B1ms'
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param skuTier string = 'Burstable'
@minValue(32)
param storageSizeGB int = 32
param databaseName string
@description('Entra principals made PostgreSQL administrators: objects { objectId, name, type (User | Group | ServicePrincipal) }.')
param administrators array
@description('Allow connections from any Azure service (Flex Consumption without a virtual network has no fixed outbound address).')
param allowAzureServices bool = true

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// server parameters, one at a time
resource allowListedExtensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'azure.extensions'
  properties: {
    value: 'PG_CRON,PGCRYPTO'
    source: 'user-override'
  }
  dependsOn: [database]
}

resource preloadLibraries 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'shared_preload_libraries'
  properties: {
    value: 'pg_cron,pg_stat_statements'
    source: 'user-override'
  }
  dependsOn: [allowListedExtensions]
}

resource cronDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'cron.database_name'
  properties: {
    value: databaseName
    source: 'user-override'
  }
  dependsOn: [preloadLibraries]
}

resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = if (allowAzureServices) {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [cronDatabase]
}

@batchSize(1)
resource entraAdministrators 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = [for admin in administrators: {
  parent: server
  name: admin.objectId
  properties: {
    principalName: admin.name
    principalType: admin.type
    tenantId: subscription().tenantId
  }
  dependsOn: [cronDatabase, azureServices]
}]

output name string = server.name
output id string = server.id
output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
