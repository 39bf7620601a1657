#!/usr/bin/env bash
# The engine as a package (issue 26): `dotnet pack` every packable project (the engine and its modules)
# into a folder feed, restore tests/PackageSample (outside the solution) from that feed, and run it
# against a fresh database on the local cluster: it registers its own handler and processes one job.
# Prints "package-sample: N passed, N failed". Run by infra/local/test.sh (PostgreSQL already started).
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT="$PWD"

fail() { echo "package-sample: $1"; echo "package-sample: 0 passed, 1 failed"; exit 1; }

version="0.1.0-local.$(date +%s).$$"
work="$(mktemp -d)"
db="jq_pkg_$$"
owner="$(bash infra/local/pg.sh url)"
# psql as the superuser, from pg.sh's admin connection string (Host=...;Port=...;Username=...;Password=...)
admin_sql() {
  local cs; cs="$(bash infra/local/pg.sh admin-url)"
  field() { sed -nE "s/.*(^|;)$1=([^;]*).*/\2/p" <<<"$cs"; }
  PGHOST="$(field Host)" PGPORT="$(field Port)" PGUSER="$(field Username)" PGPASSWORD="$(field Password)" \
    /usr/lib/postgresql/15/bin/psql -d postgres -v ON_ERROR_STOP=1 -q -c "$1"
}
cleanup() {
  admin_sql "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  # this run's packages only: NuGet's cache keeps every restored version
  find "${NUGET_PACKAGES:-$HOME/.nuget/packages}" -maxdepth 2 -type d -name "$version" -exec rm -rf {} + 2>/dev/null || true
}
trap cleanup EXIT

packed=0
for proj in $(grep -l '<IsPackable>true</IsPackable>' src/*/*.csproj); do
  echo "== dotnet pack $proj"
  dotnet pack "$proj" -c Release -nologo -v quiet -o "$work/feed" -p:Version="$version" || fail "dotnet pack $proj failed"
  packed=$((packed + 1))
done
[ "$packed" -gt 0 ] || fail "no project is packable"
ls "$work/feed"

# the packages must carry their metadata (the README inside, a description, the authors)
for nupkg in "$work"/feed/*.nupkg; do
  case "$nupkg" in *.symbols.nupkg) continue ;; esac
  nuspec="$(unzip -p "$nupkg" '*.nuspec')"
  for element in description authors readme; do
    grep -q "<$element>" <<<"$nuspec" || fail "$(basename "$nupkg") has no <$element>"
  done
  unzip -l "$nupkg" README.md >/dev/null || fail "$(basename "$nupkg") carries no README.md"
done

admin_sql "CREATE DATABASE $db OWNER jobqueue" || fail "could not create the database"
sample="$work/sample"
cp -r tests/PackageSample "$sample"
rm -rf "$sample/bin" "$sample/obj"
echo "== dotnet run tests/PackageSample (JobQueue $version from $work/feed)"
dotnet restore "$sample/PackageSample.csproj" -nologo -v quiet -p:JobQueueVersion="$version" \
  --source "$work/feed" --source https://api.nuget.org/v3/index.json || fail "restore from the folder feed failed"
connection="$(sed -E "s/Database=[^;]+/Database=$db/" <<<"$owner")"
dotnet run --project "$sample/PackageSample.csproj" --no-restore -c Release -p:JobQueueVersion="$version" -- "$connection"
