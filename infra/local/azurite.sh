#!/usr/bin/env bash
# Azurite, the Azure Storage emulator (npm package azurite), on loopback: for tests of Storage-queue
# features (AzureWebJobsStorage, queue triggers) without Azure.
#
#   bash infra/local/azurite.sh start               install where missing, start in the background, print the connection string
#   bash infra/local/azurite.sh stop                stop the instance on these ports
#   bash infra/local/azurite.sh status              exit 0 when it runs
#   bash infra/local/azurite.sh connection-string   print the connection string
#
# Ports (127.0.0.1): JOBQUEUE_AZURITE_BLOB_PORT (10000), JOBQUEUE_AZURITE_QUEUE_PORT (10001),
# JOBQUEUE_AZURITE_TABLE_PORT (10002). Installed into JOBQUEUE_AZURITE_HOME (default
# ~/.cache/jobqueue/azurite-<version>); data, log and pid file in /tmp/jobqueue-azurite-<uid>-<queue port>.
set -euo pipefail

VERSION=3.37.0
BLOB_PORT="${JOBQUEUE_AZURITE_BLOB_PORT:-10000}"
QUEUE_PORT="${JOBQUEUE_AZURITE_QUEUE_PORT:-10001}"
TABLE_PORT="${JOBQUEUE_AZURITE_TABLE_PORT:-10002}"
HOME_DIR="${JOBQUEUE_AZURITE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/jobqueue/azurite-$VERSION}"
DATA="/tmp/jobqueue-azurite-$(id -u)-$QUEUE_PORT"
PID_FILE="$DATA/azurite.pid"
BIN="$HOME_DIR/node_modules/.bin/azurite"

# the emulator's well-known development account (public, the same in every Azurite)
ACCOUNT=devstoreaccount1
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/$ACCOUNT;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/$ACCOUNT;TableEndpoint=http://127.0.0.1:$TABLE_PORT/$ACCOUNT;"
}

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install() {
  if [ -x "$BIN" ]; then return; fi
  command -v npm >/dev/null || { echo "azurite.sh: npm is missing (Debian: apt-get install -y npm)" >&2; exit 1; }
  echo "azurite.sh: installing azurite@$VERSION into $HOME_DIR" >&2
  # into a folder of its own, moved in place when complete: a half-finished install is never used
  rm -rf "$HOME_DIR.partial"
  mkdir -p "$HOME_DIR.partial"
  npm install --prefix "$HOME_DIR.partial" --no-save --no-audit --no-fund --loglevel=error "azurite@$VERSION" >&2
  rm -rf "$HOME_DIR"
  mv "$HOME_DIR.partial" "$HOME_DIR"
}

start() {
  # test fixtures start it at the same moment: one at a time installs and starts, the others find it running
  mkdir -p "$(dirname "$HOME_DIR")"
  exec 9>"$(dirname "$HOME_DIR")/azurite-$QUEUE_PORT.lock"
  flock 9
  if running; then connection_string; return; fi
  install
  mkdir -p "$DATA"
  setsid "$BIN" --silent --skipApiVersionCheck --disableProductStyleUrl --location "$DATA" \
    --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" >"$DATA/azurite.log" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    if listening "$QUEUE_PORT" && listening "$BLOB_PORT" && listening "$TABLE_PORT"; then connection_string; return; fi
    if ! running; then break; fi
    sleep 0.5
  done
  echo "azurite.sh: Azurite did not start on 127.0.0.1:$BLOB_PORT/$QUEUE_PORT/$TABLE_PORT; its log:" >&2
  cat "$DATA/azurite.log" >&2 || true
  stop
  exit 1
}

stop() {
  if running; then
    local pid; pid="$(cat "$PID_FILE")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  connection-string) connection_string ;;
  *) echo "usage: $0 start|stop|status|connection-string" >&2; exit 2 ;;
esac
