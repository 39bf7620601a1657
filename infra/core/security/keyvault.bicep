// Key Vault with Azure RBAC authorization (no access policies). Secret values are never passed
// through this template: operators set them with `az keyvault secret set` (see README,
// "Key Vault secrets"). Soft delete and purge protection keep a deleted secret recoverable.
param name string
param location string = resourceGroup().location
param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

output name string = vault.name
output id string = vault.id
output vaultUri string = vault.properties.vaultUri
