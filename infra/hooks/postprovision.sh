#!/usr/bin/env bash
# azd postprovision hook (also runnable by hand after `az deployment group create`): the database
# setup and migrations as the operator, who is a PostgreSQL Entra administrator and owns the schema.
# The app's managed identity gets a login that owns nothing and is only a member of jobqueue_app.
#
# Needs: az (signed in as the operator), psql, the .NET SDK, and the deployment's outputs in the
# environment (azd exports them): AZURE_POSTGRES_HOST, AZURE_POSTGRES_DATABASE, AZURE_APP_IDENTITY_NAME,
# and JOBQUEUE_OPERATOR_NAME (the operator's UPN, the PostgreSQL user name).
# Idempotent: safe to run after every provision. Prints no token or password.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${AZURE_POSTGRES_HOST:?deployment output AZURE_POSTGRES_HOST missing}"
: "${AZURE_POSTGRES_DATABASE:=jobqueue}"
: "${AZURE_APP_IDENTITY_NAME:?deployment output AZURE_APP_IDENTITY_NAME missing}"
: "${JOBQUEUE_OPERATOR_NAME:?set JOBQUEUE_OPERATOR_NAME (azd env set JOBQUEUE_OPERATOR_NAME you@example.com): the PostgreSQL Entra admin}"

token="$(az account get-access-token --resource-type oss-rdbms --query accessToken -o tsv)"
export PGHOST="$AZURE_POSTGRES_HOST" PGUSER="$JOBQUEUE_OPERATOR_NAME" PGSSLMODE=require PGPASSWORD="$token"

echo "postprovision: the app identity's login and pg_cron" >&2
PGDATABASE=postgres psql -v ON_ERROR_STOP=1 -qAt -v app="$AZURE_APP_IDENTITY_NAME" <<'SQL'
SELECT 1 FROM pgaadauth_create_principal(:'app', false, false)
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app');
SQL
PGDATABASE="$AZURE_POSTGRES_DATABASE" psql -v ON_ERROR_STOP=1 -qAt <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_cron;
SQL

echo "postprovision: migrations as $JOBQUEUE_OPERATOR_NAME" >&2
Database__MigrationConnectionString="Host=$AZURE_POSTGRES_HOST;Database=$AZURE_POSTGRES_DATABASE;Username=$JOBQUEUE_OPERATOR_NAME;Password=$token;SslMode=Require" \
  bash infra/local/migrate.sh

echo "postprovision: $AZURE_APP_IDENTITY_NAME joins jobqueue_app" >&2
PGDATABASE="$AZURE_POSTGRES_DATABASE" psql -v ON_ERROR_STOP=1 -qAt -v app="$AZURE_APP_IDENTITY_NAME" <<'SQL'
GRANT jobqueue_app TO :"app";
SQL
echo "postprovision: done" >&2
