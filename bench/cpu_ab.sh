#!/usr/bin/env bash
# bench/cpu_ab.sh OLD_DOSSIERD NEW_DOSSIERD [BUILD_DIR] — two dossierd binaries
# side by side, each set up as bench/run.sh sets up its server, then GETs of a
# version's content and metadata with wrk on each in turn (3 reps). Prints, per
# run, req/s and the server's CPU time per request (user + system over the run,
# divided by requests answered): the figure that stays comparable when other
# work shares the machine. Used for the before/after of docs/PERFORMANCE.md.
#
# AB_CALLGRIND=1: both servers run under valgrind's callgrind instead (wrk with
# 4 connections), and each run also prints the instructions the server
# executed per request (counts zeroed before and dumped after each run with
# callgrind_control): a figure the machine's load does not move at all, for
# changes smaller than the load's noise in CPU time. BENCH_SECONDS 20 or more.
set -euo pipefail
OLD=$1
NEW=$2
BUILD=${3:-build}
SECS=${BENCH_SECONDS:-2}
WORK=$(mktemp -d /tmp/dossier-cpu-ab.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
CALLGRIND=${AB_CALLGRIND:-0}
CONNECTIONS=64
[[ $CALLGRIND == 1 ]] && CONNECTIONS=4
declare -A PORT PID DUMPS
for side in old new; do
  bin=$OLD
  [[ $side == new ]] && bin=$NEW
  wrap=()
  [[ $CALLGRIND == 1 ]] && wrap=(valgrind --tool=callgrind --callgrind-out-file="$WORK/$side.callgrind")
  "${wrap[@]}" "$bin" serve --data "$WORK/$side" --listen 127.0.0.1:0 --quiet --rate-limit 0 >"$WORK/$side.out" 2>"$WORK/$side.err" &
  PID[$side]=$!
  DUMPS[$side]=0
  PIDS+=("$!")
  for _ in $(seq 1 600); do grep -q 'listening on' "$WORK/$side.out" 2>/dev/null && break; sleep 0.1; done
  PORT[$side]=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/$side.out")
  "$BUILD/bench/dossier_load" setup --port "${PORT[$side]}" --data "$WORK/$side" --state "$WORK/$side.state" \
    --dossiers 32 --content-bytes 4096 >/dev/null
  "$BUILD/bench/dossier_load" commit --port "${PORT[$side]}" --state "$WORK/$side.state" --concurrency 32 \
    --count 32 >/dev/null
  for what in content version; do
    path=/v1/tenants/bench/dossiers/d0/versions/1
    [[ $what == content ]] && path=$path/content
    "$BUILD/bench/dossier_load" wrk-lua --port "${PORT[$side]}" --state "$WORK/$side.state" \
      --out "$WORK/$side-$what.lua" --fixed "$path"
  done
done
for rep in 1 2 3; do
  for side in old new; do
    for what in content version; do
      [[ $CALLGRIND == 1 ]] && callgrind_control --zero "${PID[$side]}" >/dev/null 2>&1
      c0=$(cpu_ticks "${PID[$side]}")
      line=$(wrk -t2 -c$CONNECTIONS -d"${SECS}s" -s "$WORK/$side-$what.lua" "http://127.0.0.1:${PORT[$side]}/" |
        grep '^ops=')
      c1=$(cpu_ticks "${PID[$side]}")
      cpu=$(per_request_us "$c0" "$c1" "$(field ops "$line")")
      instructions=""
      if [[ $CALLGRIND == 1 ]]; then
        callgrind_control --dump "${PID[$side]}" >/dev/null 2>&1
        DUMPS[$side]=$((DUMPS[$side] + 1))  # callgrind numbers its dumps FILE.1, FILE.2, ...
        instructions=" instructions_per_request=$(awk -v n="$(field ops "$line")" \
          '/^summary:/ { printf "%.0f", $2 / n }' "$WORK/$side.callgrind.${DUMPS[$side]}")"
      fi
      echo "rep $rep $side $what: $line cpu_us_per_request=$cpu$instructions"
    done
  done
done
