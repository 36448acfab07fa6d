#!/usr/bin/env bash
# bench/import_ab.sh OLD_DOSSIERD NEW_DOSSIERD [BUILD_DIR] — the GUDID release
# import over HTTP (POST …/imports?format=gudid-xml, every NDJSON line read by
# the client, as bench/run.sh does it) on two dossierd binaries side by side,
# alternating with `unzip -p | xmllint --stream --noout` on the same ZIP, 3
# reps. Prints per run the wall time, the server's CPU time (user + system:
# the figure that stays comparable when other work shares the machine) and the
# wall-time ratio to the xmllint run next to it. Used for the before/after of
# docs/PERFORMANCE.md.
set -euo pipefail
OLD=$1
NEW=$2
BUILD=${3:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ZIP=${DOSSIER_SHARED:-$ROOT/../shared}/fixtures/openfda-gudid-xml/gudid_release_2016-08_50k_devices.zip
[[ -f $ZIP ]] || { echo "import_ab: $ZIP is missing (the shared fixtures)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/dossier-import-ab.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$WORK"' EXIT
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
declare -A PORT PID TOKEN
for side in old new; do
  bin=$OLD
  [[ $side == new ]] && bin=$NEW
  "$bin" serve --data "$WORK/$side" --listen 127.0.0.1:0 --quiet --rate-limit 0 >"$WORK/$side.out" 2>"$WORK/$side.err" &
  PID[$side]=$!
  PIDS+=("$!")
  for _ in $(seq 1 300); do grep -q 'listening on' "$WORK/$side.out" 2>/dev/null && break; sleep 0.1; done
  PORT[$side]=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/$side.out")
  "$BUILD/bench/dossier_load" setup --port "${PORT[$side]}" --data "$WORK/$side" --state "$WORK/$side.state" \
    --dossiers 1 --content-bytes 1024 >/dev/null
  TOKEN[$side]=$(sed -n 's/^token=//p' "$WORK/$side.state")
done
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
for rep in 1 2 3; do
  t0=$(date +%s.%N)
  unzip -p "$ZIP" | xmllint --stream --noout -
  xmllint_s=$(secs "$t0" "$(date +%s.%N)")
  for side in old new; do
    c0=$(cpu_ticks "${PID[$side]}")
    t0=$(date +%s.%N)
    lines=$(curl -sSf -H "Authorization: Bearer ${TOKEN[$side]}" -H 'Content-Type: application/zip' \
      --data-binary @"$ZIP" "http://127.0.0.1:${PORT[$side]}/v1/tenants/bench/imports?format=gudid-xml" | wc -l)
    wall=$(secs "$t0" "$(date +%s.%N)")
    cpu=$(awk -v a="$c0" -v b="$(cpu_ticks "${PID[$side]}")" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / t }')
    echo "rep=$rep side=$side records=$lines wall_s=$wall server_cpu_s=$cpu xmllint_s=$xmllint_s" \
      "ratio=$(awk -v a="$wall" -v b="$xmllint_s" 'BEGIN { printf "%.2f", a / b }') load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
