#!/usr/bin/env bash
# Install and start the real doccano 1.8.4 beside Glossa, outside the repo,
# the way the peer fixtures and benchmarks were made (benchmarks/peers/).
#
#   bash benchmarks/peers/doccano_setup.sh          # install (once) and start
#   bash benchmarks/peers/doccano_setup.sh stop     # stop what it started
#
# Venv:   $DOCCANO_VENV  (default /work/peers/doccano-venv), Python 3.11
# Data:   $DOCCANO_HOME  (default /work/peers/doccano-data): SQLite, media, logs
# Server: http://127.0.0.1:$DOCCANO_PORT (default 8400), admin / $DOCCANO_PASSWORD
# Worker: `doccano task` (Celery; its broker is the same SQLite file), which
#         runs doccano's dataset import and export.
#
# doccano 1.8.4's wheel leaves two dependencies open that have since broken
# it; they are held back here: marshmallow < 3.21 (environs 9.5 reads
# marshmallow.__version_info__, gone in 4.x) and numpy < 2 (pandas 1.5's
# compiled code fails on numpy 2's ABI). A wheel already downloaded into
# /tmp/peerdl is used when present.
set -euo pipefail

VENV=${DOCCANO_VENV:-/work/peers/doccano-venv}
export DOCCANO_HOME=${DOCCANO_HOME:-/work/peers/doccano-data}
PORT=${DOCCANO_PORT:-8400}
PASSWORD=${DOCCANO_PASSWORD:-peer-admin-1}
PYTHON=${PYTHON311:-python3.11}

if [ "${1:-}" = stop ]; then
  for name in web task; do
    if [ -f "$DOCCANO_HOME/$name.pid" ]; then
      kill "$(cat "$DOCCANO_HOME/$name.pid")" 2>/dev/null || true
      rm -f "$DOCCANO_HOME/$name.pid"
    fi
  done
  exit 0
fi

if [ ! -x "$VENV/bin/doccano" ]; then
  "$PYTHON" -m venv "$VENV"
  find_links=()
  [ -d /tmp/peerdl ] && find_links=(--find-links /tmp/peerdl)
  "$VENV/bin/pip" install -q "${find_links[@]}" \
    doccano==1.8.4 "marshmallow<3.21" "numpy<2" "psycopg2-binary<2.10"
fi

mkdir -p "$DOCCANO_HOME"
# doccano's apps are top-level modules (projects, examples, ...) found from the
# working directory too: run it from its own folder, never from a Django repo.
cd "$DOCCANO_HOME"
if [ ! -f "$DOCCANO_HOME/db.sqlite3" ]; then
  "$VENV/bin/doccano" init >"$DOCCANO_HOME/init.log" 2>&1
  "$VENV/bin/doccano" createuser --username admin --password "$PASSWORD" \
    >>"$DOCCANO_HOME/init.log" 2>&1
fi

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running "$DOCCANO_HOME/web.pid"; then
  nohup "$VENV/bin/doccano" webserver --port "$PORT" --workers 2 \
    >"$DOCCANO_HOME/web.log" 2>&1 &
  echo $! >"$DOCCANO_HOME/web.pid"
fi
if ! running "$DOCCANO_HOME/task.pid"; then
  nohup "$VENV/bin/doccano" task --concurrency 1 >"$DOCCANO_HOME/task.log" 2>&1 &
  echo $! >"$DOCCANO_HOME/task.pid"
fi

for _ in $(seq 1 120); do
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/v1/health/"; then
    echo "doccano 1.8.4 on http://127.0.0.1:$PORT (admin / $PASSWORD), data in $DOCCANO_HOME"
    exit 0
  fi
  sleep 0.5
done
echo "doccano did not answer on port $PORT; see $DOCCANO_HOME/web.log" >&2
exit 1
