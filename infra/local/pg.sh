#!/usr/bin/env bash
# Throwaway local PostgreSQL 15 cluster with pg_cron, for tests, CI, benchmarks and the local run.
#
#   infra/local/pg.sh start     install what is missing, create (once) and start the cluster,
#                               print the app connection string on stdout
#   infra/local/pg.sh stop      stop it
#   infra/local/pg.sh restart   stop and start (used by the restart-mid-run tests)
#   infra/local/pg.sh crash-restart  stop in immediate mode (no shutdown checkpoint: crash recovery at
#                               the start, as after a power cut or a killed postmaster) and start
#   infra/local/pg.sh stop-immediate  stop in immediate mode
#   infra/local/pg.sh status    exit 0 when it runs
#   infra/local/pg.sh url       print the owner's connection string (migrations, tests' setup)
#   infra/local/pg.sh runtime-url  print the app's runtime connection string (a login that is only a
#                               member of jobqueue_app and owns nothing: what the server runs as)
#   infra/local/pg.sh admin-url print the superuser connection string (tests, never the app)
#   infra/local/pg.sh destroy   stop it and delete its data directory
#
# Settings (environment):
#   JOBQUEUE_PG_PORT   loopback port            (default 25432: below Linux's ephemeral range
#                                               32768-60999, so no client socket can hold it)
#   JOBQUEUE_PG_DIR    data directory           (default /tmp/jobqueue-pg-<uid>-<port>)
#
# The cluster mirrors a managed server: the app database `jobqueue` is owned by the
# non-superuser `jobqueue` (what the migrations run as), the app runs as the login
# `jobqueue_runtime` (only a member of the role jobqueue_app, owner of nothing), pg_cron is created
# in it by the superuser (as a platform admin would), and jobs run in background workers.
# PostgreSQL refuses to run as root: when called as root, the server runs as `postgres`.
set -euo pipefail

PG_VERSION=15
PORT="${JOBQUEUE_PG_PORT:-25432}"
DIR="${JOBQUEUE_PG_DIR:-/tmp/jobqueue-pg-$(id -u)-$PORT}"
DATA="$DIR/data"
LOG="$DIR/server.log"
BIN="/usr/lib/postgresql/$PG_VERSION/bin"
APP_DB=jobqueue
APP_USER=jobqueue
APP_PASSWORD=jobqueue
RUNTIME_USER=jobqueue_runtime
RUNTIME_PASSWORD=jobqueue_runtime
ADMIN_PASSWORD=postgres

say() { echo "pg.sh: $*" >&2; }

as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_missing() {
  local missing=()
  [ -x "$BIN/postgres" ] || missing+=("postgresql-$PG_VERSION")
  [ -f "/usr/share/postgresql/$PG_VERSION/extension/pg_cron.control" ] || missing+=("postgresql-$PG_VERSION-cron")
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

app_url() {
  echo "Host=127.0.0.1;Port=$PORT;Database=$APP_DB;Username=$APP_USER;Password=$APP_PASSWORD"
}

runtime_url() {
  echo "Host=127.0.0.1;Port=$PORT;Database=$APP_DB;Username=$RUNTIME_USER;Password=$RUNTIME_PASSWORD"
}

admin_url() {
  echo "Host=127.0.0.1;Port=$PORT;Database=$APP_DB;Username=postgres;Password=$ADMIN_PASSWORD"
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

psql_admin() {
  as_server_user "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

init_cluster() {
  say "creating cluster in $DATA (port $PORT)"
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
  chmod 700 "$DIR"
  local pwfile="$DIR/.pw"
  echo "$ADMIN_PASSWORD" > "$pwfile"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pwfile"; fi
  as_server_user "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" -A scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$DATA/postgresql.conf" <<EOF

# --- jobqueue local cluster ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
shared_preload_libraries = 'pg_cron'
cron.database_name = '$APP_DB'
cron.use_background_workers = on
cron.timezone = 'UTC'
max_worker_processes = 32
max_connections = 300
shared_buffers = 256MB
log_timezone = 'UTC'
timezone = 'UTC'
EOF
}

bootstrap_database() {
  psql_admin -d postgres <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_USER') THEN
    CREATE ROLE $APP_USER LOGIN PASSWORD '$APP_PASSWORD' NOSUPERUSER CREATEDB CREATEROLE;
  END IF;
  -- the app's runtime login: a member of jobqueue_app (the migrations create that role too, and grant
  -- it EXECUTE on the functions), nothing else
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jobqueue_app') THEN
    CREATE ROLE jobqueue_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$RUNTIME_USER') THEN
    CREATE ROLE $RUNTIME_USER LOGIN PASSWORD '$RUNTIME_PASSWORD' NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END \$\$;
GRANT jobqueue_app TO $RUNTIME_USER;
-- the schema owner's health function reports the age of every open transaction, which needs the
-- sessions of other roles too (src/JobQueue/Maintenance/README.md, "When the health signals grow")
GRANT pg_read_all_stats TO $APP_USER;
SELECT 'CREATE DATABASE $APP_DB OWNER $APP_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$APP_DB')
\gexec
EOF
  psql_admin -d "$APP_DB" <<EOF
CREATE EXTENSION IF NOT EXISTS pg_cron;
GRANT USAGE ON SCHEMA cron TO $APP_USER WITH GRANT OPTION;
GRANT SELECT, DELETE ON cron.job_run_details TO $APP_USER WITH GRANT OPTION;
GRANT SELECT ON cron.job TO $APP_USER WITH GRANT OPTION;
-- pg_cron 1.4 revokes these from PUBLIC ("admin should decide"); a managed server's admin grants
-- them the same way. The app's SECURITY DEFINER wrappers (migration 0010) use them to schedule
-- into the app database and to enable, disable and reschedule its own jobs.
GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean) TO $APP_USER;
GRANT EXECUTE ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean) TO $APP_USER;
EOF
}

start() {
  install_missing
  if [ ! -f "$DATA/PG_VERSION" ]; then init_cluster; fi
  if running; then
    say "already running on 127.0.0.1:$PORT"
  elif "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1; then
    say "port $PORT is taken by another PostgreSQL (another user's or checkout's cluster?): stop it, or set JOBQUEUE_PG_PORT"
    exit 1
  else
    if ! as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null; then
      say "could not start PostgreSQL on 127.0.0.1:$PORT: $(grep -E 'could not bind|FATAL' "$LOG" | tail -n 2 | tr '\n' ' ')"
      say "(is something else using port $PORT? set JOBQUEUE_PG_PORT to another port below 32768, outside the ephemeral range)"
      exit 1
    fi
    say "started on 127.0.0.1:$PORT (log: $LOG)"
  fi
  bootstrap_database
  app_url
}

stop() {
  local mode="${1:-fast}"
  if running; then
    as_server_user "$BIN/pg_ctl" -D "$DATA" -m "$mode" -w stop >/dev/null
    say "stopped ($mode)"
  else
    say "not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start >/dev/null; say "restarted" ;;
  crash-restart) stop immediate; start >/dev/null; say "restarted after an immediate stop (crash recovery)" ;;
  stop-immediate) stop immediate ;;
  status) running ;;
  url) app_url ;;
  runtime-url) runtime_url ;;
  admin-url) admin_url ;;
  destroy) stop; rm -rf "$DIR"; say "removed $DIR" ;;
  *) echo "usage: $0 start|stop|stop-immediate|restart|crash-restart|status|url|runtime-url|admin-url|destroy" >&2; exit 2 ;;
esac
