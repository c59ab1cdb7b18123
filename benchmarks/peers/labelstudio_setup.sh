#!/bin/sh
# Install and start the real Label Studio 1.23.2 outside the repository, on
# SQLite, for recording fixtures (labelstudio_record.py) and for checking
# Glossa's own Label Studio export against it (labelstudio_check_export.py).
#
#   sh benchmarks/peers/labelstudio_setup.sh          # install (once) and start
#   sh benchmarks/peers/labelstudio_setup.sh stop     # stop the server it started
#
# Environment (defaults in brackets):
#   LS_ROOT [/work/peers]   venv in $LS_ROOT/ls-venv, data in $LS_ROOT/ls-data
#   LS_PORT [8401]
#   LS_USER [glossa@example.org]  LS_PASSWORD [glossa-peer-1]
#   LS_TOKEN [a fixed legacy API token, 40 hex digits]
#   PIP_FIND_LINKS  a folder holding the wheel, if downloaded before (/tmp/peerdl)
set -eu

LS_ROOT=${LS_ROOT:-/work/peers}
LS_PORT=${LS_PORT:-8401}
LS_USER=${LS_USER:-glossa@example.org}
LS_PASSWORD=${LS_PASSWORD:-glossa-peer-1}
LS_TOKEN=${LS_TOKEN:-0123456789abcdef0123456789abcdef01234567}
VENV=$LS_ROOT/ls-venv
DATA=$LS_ROOT/ls-data
PIDFILE=$LS_ROOT/ls.pid
LOG=$LS_ROOT/ls.log

if [ "${1:-start}" = stop ]; then
    [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" && rm -f "$PIDFILE"
    exit 0
fi

mkdir -p "$LS_ROOT" "$DATA"
if [ ! -x "$VENV/bin/label-studio" ]; then
    python3.11 -m venv "$VENV"
    if [ -d /tmp/peerdl ]; then
        PIP_FIND_LINKS=${PIP_FIND_LINKS:-/tmp/peerdl}
        export PIP_FIND_LINKS
    fi
    "$VENV/bin/pip" install --quiet label-studio==1.23.2
fi
"$VENV/bin/label-studio" --version 2>/dev/null | head -1 || true

# SQLite (Label Studio's default) in $DATA; local files off; no telemetry.
export LABEL_STUDIO_BASE_DATA_DIR="$DATA"
export DJANGO_DB=sqlite
export COLLECT_ANALYTICS=false
export LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK=true

nohup "$VENV/bin/label-studio" start --no-browser --port "$LS_PORT" \
    --data-dir "$DATA" \
    --username "$LS_USER" --password "$LS_PASSWORD" \
    --user-token "$LS_TOKEN" --enable-legacy-api-token \
    >"$LOG" 2>&1 &
echo $! >"$PIDFILE"

# Wait for the health check, up to 5 minutes (the first start migrates).
tries=0
until curl -fsS "http://127.0.0.1:$LS_PORT/health" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        echo "Label Studio did not start; see $LOG" >&2
        exit 1
    fi
    sleep 1
done
echo "Label Studio 1.23.2 on http://127.0.0.1:$LS_PORT (pid $(cat "$PIDFILE"), log $LOG)"
