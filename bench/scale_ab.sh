#!/usr/bin/env bash
# bench/scale_ab.sh A_DOSSIERD B_DOSSIERD [BUILD_DIR] [VERSIONS] — GET p99 of
# two dossierd binaries on the same store: one store filled as bench/run.sh's
# scale section fills it (32 writers, dossier_load), to 10,000 and then to
# VERSIONS (default 1,000,000) stored versions; at each size A, B, A, B are
# started in turn on it, each warmed for 2 s and measured 3 × wrk -t2 -c64
# -d4s on random stored versions' content. Prints one line per run (p99,
# req/s, the server's VmHWM, the load). Used for the 1M-row analysis in
# docs/PERFORMANCE.md (inline reads against the worker pool).
set -euo pipefail
A=$1
B=$2
BUILD=${3:-build}
VERSIONS=${4:-1000000}
LOAD="$BUILD/bench/dossier_load"
W=$(mktemp -d /tmp/dossier-scale-ab.XXXXXX)
PID=""
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; wait; rm -rf "$W"' EXIT
start() {
  "$1" serve --data "$W/data" --listen 127.0.0.1:0 --quiet --rate-limit 0 >"$W/out" 2>"$W/err" &
  PID=$!
  for _ in $(seq 1 300); do grep -q 'listening on' "$W/out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$W/out")
}
stop() {
  kill -TERM "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
}
measure() {  # LABEL BINARY
  stop
  start "$2"
  wrk -t2 -c64 -d2s -s "$W/scale.lua" "http://127.0.0.1:$PORT/" >/dev/null 2>&1
  for rep in 1 2 3; do
    line=$(wrk -t2 -c64 -d4s -s "$W/scale.lua" "http://127.0.0.1:$PORT/" 2>&1 | grep '^ops=')
    echo "$1 rep=$rep $line vmhwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status") load=$(cut -d' ' -f1 /proc/loadavg)"
  done
}
start "$A"
"$LOAD" setup --port "$PORT" --data "$W/data" --state "$W/state" --dossiers 32 --content-bytes 4096 >/dev/null
stored=0
for target in 10000 "$VERSIONS"; do
  echo "fill to $target: $("$LOAD" commit --port "$PORT" --state "$W/state" --concurrency 32 --count $((target - stored)))"
  stored=$target
  "$LOAD" wrk-lua --port "$PORT" --state "$W/state" --out "$W/scale.lua" >/dev/null
  measure "$target A" "$A"
  measure "$target B" "$B"
  measure "$target A" "$A"
  measure "$target B" "$B"
done
