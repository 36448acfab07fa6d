#!/usr/bin/env bash
# bench/run.sh BUILD_DIR — the benchmarks of `make bench` (issue 9, DESIGN.md §9).
#
# Every figure is a ratio against a baseline measured in this same run,
# interleaved (system, baseline, system, baseline, ...), median of BENCH_REPS:
#   GET of a stored ~4 KB version, wrk keep-alive 64 connections  vs nginx serving the same bytes
#   durable signed commits/s at concurrency 1, 8, 32              vs raw RocksDB sync=true puts of the same size
#   SDK bundle verification/s (trust::VerifyBundle)                vs openssl speed ed25519 verify / the signatures checked
#   micro: statement sign/verify, SHA-256                          vs openssl speed ed25519 / sha256
#   GUDID 50k release import (ZIP)                                 vs unzip -p | xmllint --stream --noout
#   scale: GET p99 and commit p99 at 10k, 100k and 1M stored versions  vs the same at the smallest scale
#   the same commits and GETs on the PostgreSQL store             vs dossierd on RocksDB in the same run
#   commits and GETs of dossierd on RocksDB                       vs a PostgreSQL versions table through
#                                                                    libpq (a user's own alternative)
#   GUDID 50k import over HTTP (POST …/imports, NDJSON read back)  vs the same xmllint baseline
#   reliance sync entries/s, 400 signed decisions between two nodes  vs one thread's Ed25519 verify/s ÷ 2
# plus peak RSS (VmHWM) of dossierd under load and a callgrind profile of the
# commit path. Everything runs on 127.0.0.1 and is bounded in time (~14 min,
# 8 of them filling the server to 1M versions; BENCH_SCALE="10000 100000" for
# a ~6-minute run).
#
# Environment: BENCH_REPS (3), BENCH_SECONDS (4, per load sample),
# BENCH_SCALE ("10000 100000 1000000"),
# BENCH_POSTGRES (1: the PostgreSQL store section), BENCH_RELIANCE (1: reliance
# sync; BENCH_RELIANCE_ENTRIES, 400), BENCH_PROFILE (1: callgrind
# the commit path), BENCH_DOC (docs/PERFORMANCE.md; empty: do not write it).
set -euo pipefail

BUILD=${1:-build}
BIN=$BUILD/bin
B=$BUILD/bench
REPS=${BENCH_REPS:-3}
SECS=${BENCH_SECONDS:-4}
SCALE=${BENCH_SCALE:-"10000 100000 1000000"}
PROFILE=${BENCH_PROFILE:-1}
DOC=${BENCH_DOC-docs/PERFORMANCE.md}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/dossier-bench.XXXXXX)
RESULTS=$WORK/results.md
started_at=$(date +%s)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for tool in wrk nginx openssl curl "$BIN/dossierd" "$B/dossier_load" "$B/dossier_rocks_sync" \
  "$B/dossier_micro_bench" "$B/dossier_import_bench" "$B/dossier_pg_versions"; do
  command -v "$tool" >/dev/null || [[ -x $tool ]] || { echo "bench: missing $tool (run make bench)" >&2; exit 1; }
done

# ---------------------------------------------------------------- processes
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '[bench %3ds] %s\n' $(($(date +%s) - started_at)) "$*" >&2; }

# start_dossierd DIR [wrapper...] -> sets SRV_PID, SRV_PORT (SERVE_FLAGS: more flags)
SERVE_FLAGS=()
start_dossierd() {
  local dir=$1
  shift
  mkdir -p "$dir"
  "$@" "$BIN/dossierd" serve --data "$dir" --listen 127.0.0.1:0 --quiet --rate-limit 0 "${SERVE_FLAGS[@]}" \
    >"$dir.out" 2>"$dir.err" &
  SRV_PID=$!
  PIDS+=("$SRV_PID")
  for _ in $(seq 1 600); do
    if grep -q 'listening on' "$dir.out" 2>/dev/null; then
      SRV_PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir.out")
      return 0
    fi
    sleep 0.1
  done
  echo "bench: dossierd did not start: $(cat "$dir.err")" >&2
  exit 1
}

stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -ltn "sport = :$p" | grep -q LISTEN || { echo "$p"; return; }
  done
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print a[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
fmt() { awk -v a="$1" 'BEGIN { printf (a >= 100 ? "%.0f" : "%.2f"), a }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.2f", a / 1000 }'; }

wrk_run() {  # wrk_run PORT SCRIPT -> result line
  wrk -t2 -c64 -d"${SECS}s" -s "$2" "http://127.0.0.1:$1/" 2>&1 | grep '^ops=' || echo "ops=0 rate=0 p50_us=0 p99_us=0 errors=1"
}

openssl_ed25519() {  # -> "sign/s verify/s"
  openssl speed -seconds 3 ed25519 2>/dev/null | awk '/Ed25519/ {print $(NF-1), $NF}'
}

echo "# results" >"$RESULTS"
row() { echo "| $* |" >>"$RESULTS"; }

MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
log "machine: $MACHINE; reps $REPS × ${SECS}s; scale $SCALE"

# ---------------------------------------------------------------- micro
log "micro-benchmarks (Google Benchmark)"
"$B/dossier_micro_bench" --benchmark_min_time=0.3 --benchmark_format=csv 2>/dev/null >"$WORK/micro.csv"
# name -> cpu ns per iteration
micro_ns() { awk -F, -v n="\"$1\"" '$1 == n { t = $4; u = $5; gsub(/"/, "", u); if (u == "us") t *= 1e3; if (u == "ms") t *= 1e6; print t }' "$WORK/micro.csv"; }
read -r ossl_sign ossl_verify < <(openssl_ed25519)
ossl_sha=$(openssl speed -seconds 1 -bytes 1024 sha256 2>/dev/null | awk '/^sha256/ {v=$NF; sub(/k$/, "", v); print v * 1000}')
sign_rate=$(awk -v t="$(micro_ns BM_StatementSign)" 'BEGIN {print 1e9 / t}')
verify_rate=$(awk -v t="$(micro_ns BM_StatementVerify)" 'BEGIN {print 1e9 / t}')
sha_rate=$(awk -v t="$(micro_ns BM_Sha256/1024)" 'BEGIN {print 1024 * 1e9 / t}')

# ---------------------------------------------------------------- server
log "starting dossierd and nginx"
start_dossierd "$WORK/srv"
MAIN_PID=$SRV_PID
MAIN_PORT=$SRV_PORT
"$B/dossier_load" setup --port "$MAIN_PORT" --data "$WORK/srv" --state "$WORK/state" --dossiers 32 \
  --content-bytes 4096 >"$WORK/setup.txt"
"$B/dossier_load" commit --port "$MAIN_PORT" --state "$WORK/state" --concurrency 32 --count 32 >/dev/null
TOKEN=$(sed -n 's/^token=//p' "$WORK/state")
CONTENT_PATH=/v1/tenants/bench/dossiers/d0/versions/1/content
VERSION_PATH=/v1/tenants/bench/dossiers/d0/versions/1

# nginx serves the same bytes as static files, with the same wrk settings.
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MAIN_PORT$CONTENT_PATH" >"$WORK/nginx/www/content.json"
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MAIN_PORT$VERSION_PATH" >"$WORK/nginx/www/version.json"
CONTENT_BYTES=$(stat -c %s "$WORK/nginx/www/content.json")
VERSION_BYTES=$(stat -c %s "$WORK/nginx/www/version.json")
NGINX_PORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  open_file_cache max=100;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  types { application/json json; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/nginx/www; }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/content.json" >/dev/null && break; sleep 0.1; done

"$B/dossier_load" wrk-lua --port "$MAIN_PORT" --state "$WORK/state" --out "$WORK/get-content.lua" --fixed "$CONTENT_PATH"
"$B/dossier_load" wrk-lua --port "$MAIN_PORT" --state "$WORK/state" --out "$WORK/get-version.lua" --fixed "$VERSION_PATH"
"$B/dossier_load" wrk-lua --port "$MAIN_PORT" --state "$WORK/state" --out "$WORK/nginx-content.lua" --fixed /content.json
"$B/dossier_load" wrk-lua --port "$MAIN_PORT" --state "$WORK/state" --out "$WORK/nginx-version.lua" --fixed /version.json

# ---------------------------------------------------------------- GET vs nginx
declare -A R  # series name -> newline-separated samples
add() { R[$1]+="$2"$'\n'; }
med() { printf '%s' "${R[$1]:-}" | grep -v '^$' | median; }

# Server CPU time per request (cpu_ticks, per_request_us: bench/lib.sh).
NGINX_PIDS=("$NGINX_PID" $(pgrep -P "$NGINX_PID" || true))
log "GET vs nginx: $REPS × (dossierd, nginx) × 2 documents, ${SECS}s each"
for rep in $(seq 1 "$REPS"); do
  for what in content version; do
    c0=$(cpu_ticks "$MAIN_PID")
    line=$(wrk_run "$MAIN_PORT" "$WORK/get-$what.lua")
    add "get_${what}_cpu" "$(per_request_us "$c0" "$(cpu_ticks "$MAIN_PID")" "$(field ops "$line")")"
    add "get_$what" "$(field rate "$line")"; add "get_${what}_p99" "$(field p99_us "$line")"
    [[ $(field errors "$line") == 0 ]] || log "  dossierd GET $what had errors: $line"
    c0=$(cpu_ticks "${NGINX_PIDS[@]}")
    line=$(wrk_run "$NGINX_PORT" "$WORK/nginx-$what.lua")
    add "nginx_${what}_cpu" "$(per_request_us "$c0" "$(cpu_ticks "${NGINX_PIDS[@]}")" "$(field ops "$line")")"
    add "nginx_$what" "$(field rate "$line")"; add "nginx_${what}_p99" "$(field p99_us "$line")"
  done
  log "  rep $rep: dossierd content $(med get_content)/s, nginx $(med nginx_content)/s"
done
stop_pid "$NGINX_PID"

# ---------------------------------------------------------------- commits vs RocksDB
# The size of one commit's durable write: WAL bytes appended per commit.
wal_bytes() { find "$WORK/srv/db" -name '*.log' -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
before=$(wal_bytes)
line=$("$B/dossier_load" commit --port "$MAIN_PORT" --state "$WORK/state" --concurrency 1 --count 200)
VALUE_SIZE=$(awk -v a="$before" -v b="$(wal_bytes)" -v n="$(field ops "$line")" 'BEGIN {printf "%d", (b - a) / n}')
log "one commit appends ~$VALUE_SIZE WAL bytes: the raw RocksDB baseline writes values of that size"

log "commits vs raw RocksDB sync puts: concurrency 1 8 32, $REPS × ${SECS}s each"
for rep in $(seq 1 "$REPS"); do
  for c in 1 8 32; do
    line=$("$B/dossier_load" commit --port "$MAIN_PORT" --state "$WORK/state" --concurrency "$c" --seconds "$SECS")
    add "commit_$c" "$(field rate "$line")"; add "commit_${c}_p50" "$(field p50_us "$line")"
    add "commit_${c}_p99" "$(field p99_us "$line")"
    line=$("$B/dossier_rocks_sync" --dir "$WORK/rocks" --concurrency "$c" --seconds "$SECS" --value-size "$VALUE_SIZE")
    add "rocks_$c" "$(field rate "$line")"; add "rocks_${c}_p50" "$(field p50_us "$line")"
    add "rocks_${c}_p99" "$(field p99_us "$line")"
  done
  log "  rep $rep: commits c=32 $(med commit_32)/s, rocks c=32 $(med rocks_32)/s"
done

# ---------------------------------------------------------------- PostgreSQL store
# The same durable signed commits and GETs with the store on PostgreSQL 15
# (Debian's; fsync and synchronous_commit on, as in production), against
# dossierd on RocksDB measured above in the same run. BENCH_POSTGRES=0 skips
# it; skipped too when PostgreSQL 15 is not installed.
PG_BIN=/usr/lib/postgresql/15/bin
PG_ROWS=()
if [[ ${BENCH_POSTGRES:-1} == 1 && -x $PG_BIN/initdb ]]; then
  as_pg=()
  mkdir -p "$WORK/pg"
  if [[ $(id -u) == 0 ]]; then  # PostgreSQL refuses to run as root
    as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups)
    chmod o+x "$WORK"  # mktemp's 0700 would keep the postgres user out of its folder
    chown postgres:postgres "$WORK/pg"
  fi
  "${as_pg[@]}" "$PG_BIN/initdb" -D "$WORK/pg/data" -U dossier -A trust >"$WORK/pg/initdb.log" 2>&1
  PG_PORT=$(free_port)
  "${as_pg[@]}" "$PG_BIN/postgres" -D "$WORK/pg/data" -p "$PG_PORT" -k "$WORK/pg" -c listen_addresses=127.0.0.1 \
    >"$WORK/pg/postgres.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.1; done
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U dossier -d postgres -c 'CREATE DATABASE bench' >/dev/null
  log "PostgreSQL store: commits at concurrency 1 8 32 and GET content, $REPS × ${SECS}s each"
  SERVE_FLAGS=(--store "postgres://dossier@127.0.0.1:$PG_PORT/bench")
  start_dossierd "$WORK/pgsrv"
  SERVE_FLAGS=()
  PG_PID=$SRV_PID
  PG_PORT_HTTP=$SRV_PORT
  "$B/dossier_load" setup --port "$PG_PORT_HTTP" --data "$WORK/pgsrv" --state "$WORK/pgstate" --dossiers 32 \
    --content-bytes 4096 >/dev/null
  "$B/dossier_load" commit --port "$PG_PORT_HTTP" --state "$WORK/pgstate" --concurrency 32 --count 32 >/dev/null
  "$B/dossier_load" wrk-lua --port "$PG_PORT_HTTP" --state "$WORK/pgstate" --out "$WORK/pg-get-content.lua" \
    --fixed "$CONTENT_PATH"
  for rep in $(seq 1 "$REPS"); do
    for c in 1 8 32; do
      line=$("$B/dossier_load" commit --port "$PG_PORT_HTTP" --state "$WORK/pgstate" --concurrency "$c" --seconds "$SECS")
      add "pg_commit_$c" "$(field rate "$line")"; add "pg_commit_${c}_p50" "$(field p50_us "$line")"
    done
    line=$(wrk_run "$PG_PORT_HTTP" "$WORK/pg-get-content.lua")
    add pg_get_content "$(field rate "$line")"; add pg_get_content_p99 "$(field p99_us "$line")"
    log "  rep $rep: PostgreSQL store commits c=32 $(med pg_commit_32)/s, GET content $(med pg_get_content)/s"
  done
  stop_pid "$PG_PID"

  # A user's own alternative (issue 18): a versions table in the same
  # PostgreSQL — unique (tenant, object, version), digest, content bytes, one
  # durable transaction per version, no signatures and no log — driven through
  # libpq at the same concurrencies; GETs are point SELECTs of stored contents
  # over 64 connections (wrk's 64 for dossierd).
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U dossier -d postgres -c 'CREATE DATABASE baseline' >/dev/null
  PGV_CONN="postgresql://dossier@127.0.0.1:$PG_PORT/baseline"
  "$B/dossier_pg_versions" setup --conninfo "$PGV_CONN"
  log "PostgreSQL versions table (a user's own alternative): commits at 1 8 32, point GETs at 64, $REPS × ${SECS}s"
  for rep in $(seq 1 "$REPS"); do
    for c in 1 8 32; do
      line=$("$B/dossier_pg_versions" commit --conninfo "$PGV_CONN" --concurrency "$c" --seconds "$SECS" \
        --content-bytes 4096)
      add "pgv_commit_$c" "$(field rate "$line")"; add "pgv_commit_${c}_p50" "$(field p50_us "$line")"
    done
    line=$("$B/dossier_pg_versions" get --conninfo "$PGV_CONN" --concurrency 64 --seconds "$SECS")
    add pgv_get "$(field rate "$line")"; add pgv_get_p99 "$(field p99_us "$line")"
    log "  rep $rep: versions table commits c=8 $(med pgv_commit_8)/s, point GETs $(med pgv_get)/s"
  done
  for c in 1 8 32; do
    PG_ROWS+=("| durable signed commits/s, concurrency $c, vs a PostgreSQL versions table (target ≥ 2) | $(fmt "$(med commit_$c)") | versions table, libpq $(fmt "$(med pgv_commit_$c)") | $(ratio "$(med commit_$c)" "$(med pgv_commit_$c)") |")
  done
  PG_ROWS+=("| GET version content req/s vs point SELECT of the content (target ≥ 4) | $(fmt "$(med get_content)") | versions table, libpq, 64 connections $(fmt "$(med pgv_get)") | $(ratio "$(med get_content)" "$(med pgv_get)") |")
  for c in 1 8 32; do
    PG_ROWS+=("| durable signed commits/s, concurrency $c, PostgreSQL store | $(fmt "$(med pg_commit_$c)") | dossierd on RocksDB $(fmt "$(med commit_$c)") | $(ratio "$(med pg_commit_$c)" "$(med commit_$c)") |")
    PG_ROWS+=("| … p50 latency, ms | $(ms "$(med pg_commit_${c}_p50)") | $(ms "$(med commit_${c}_p50)") | $(ratio "$(med pg_commit_${c}_p50)" "$(med commit_${c}_p50)") |")
  done
  PG_ROWS+=("| GET version content, req/s, PostgreSQL store | $(fmt "$(med pg_get_content)") | dossierd on RocksDB $(fmt "$(med get_content)") | $(ratio "$(med pg_get_content)" "$(med get_content)") |")
fi

# ---------------------------------------------------------------- verification vs openssl
log "bundle verification vs openssl speed ed25519: $REPS × 3s each"
for rep in $(seq 1 "$REPS"); do
  line=$("$B/dossier_load" verify --port "$MAIN_PORT" --state "$WORK/state" --seconds 3)
  add verify "$(field rate "$line")"
  BUNDLE_BYTES=$(field bundle_bytes "$line")
  BUNDLE_SIGNATURES=$(field signatures "$line")
  read -r s v < <(openssl_ed25519)
  add ossl_verify "$v"; add ossl_sign "$s"
done
add ossl_verify "$ossl_verify"; add ossl_sign "$ossl_sign"
MAIN_RSS=$(awk '/VmHWM/ {print $2}' "/proc/$MAIN_PID/status")
MAIN_VERSIONS=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MAIN_PORT/v1/log/checkpoint" | sed -n 2p)
stop_pid "$MAIN_PID"

# ---------------------------------------------------------------- reliance sync
# Issue 18: a regulator's node pulls and verifies a peer's decision feed at ≥
# 0.8× its Ed25519 verification bound. The peer node (dossier_load
# reliance-setup) holds N signed decisions; each rep restarts it (cold caches,
# as a first sync meets them), starts a fresh pulling node and times the sync
# from the peer's registration to every entry verified and stored
# (dossier_load reliance-sync, as tests/e2e_reliance_test.cc's case), then
# measures the bound interleaved: one thread's Ed25519 verifications/s
# (dossier_load ed25519-verify), halved, since an entry costs an envelope
# verification and its share of the page's checkpoint. The puller verifies on
# up to two threads: the second row sets the sync against two cores' bound.
# BENCH_RELIANCE=0 skips it.
RELIANCE_ENTRIES=${BENCH_RELIANCE_ENTRIES:-400}
RELIANCE_ROWS=()
if [[ ${BENCH_RELIANCE:-1} == 1 ]]; then
  log "reliance sync: $REPS × ($RELIANCE_ENTRIES entries between two nodes, one thread's Ed25519 verify/s)"
  SERVE_FLAGS=(--peer-poll-ms 200)
  start_dossierd "$WORK/rel-peer"
  if "$B/dossier_load" reliance-setup --port "$SRV_PORT" --data "$WORK/rel-peer" --state "$WORK/rel-state" \
    --entries "$RELIANCE_ENTRIES" >/dev/null 2>"$WORK/rel-setup.err"; then
    stop_pid "$SRV_PID"
    for rep in $(seq 1 "$REPS"); do
      # start_dossierd reads the port from DIR.out: the last run's must go first.
      rm -f "$WORK/rel-peer.out"
      start_dossierd "$WORK/rel-peer"
      REL_PEER_PID=$SRV_PID
      REL_PEER_PORT=$SRV_PORT
      start_dossierd "$WORK/rel-puller-$rep"
      REL_PULLER_PID=$SRV_PID
      line=$("$B/dossier_load" reliance-sync --port "$REL_PEER_PORT" --state "$WORK/rel-state" \
        --puller-port "$SRV_PORT" --puller-data "$WORK/rel-puller-$rep" || echo "rate=0 errors=1")
      stop_pid "$REL_PULLER_PID"
      stop_pid "$REL_PEER_PID"
      rm -rf "$WORK/rel-puller-$rep"
      [[ $(field errors "$line") == 0 ]] || log "  reliance sync failed: $line"
      add reliance_sync "$(field rate "$line")"
      add ed25519_one_thread "$("$B/dossier_load" ed25519-verify --seconds 2 | sed -n 's/.*rate=\([^ ]*\).*/\1/p')"
      log "  rep $rep: $(field rate "$line") entries/s; Ed25519 verify $(med ed25519_one_thread)/s (median so far)"
    done
    reliance_bound=$(awk -v v="$(med ed25519_one_thread)" 'BEGIN { print v / 2 }')
    reliance_two_cores=$(awk -v v="$(med ed25519_one_thread)" 'BEGIN { print v }')
    RELIANCE_ROWS+=("| reliance sync entries/s ($RELIANCE_ENTRIES entries, 2 nodes; target ≥ 0.8) | $(fmt "$(med reliance_sync)") | Ed25519 verify/s ÷ 2 (one thread) $(fmt "$reliance_bound") | $(ratio "$(med reliance_sync)" "$reliance_bound") |")
    RELIANCE_ROWS+=("| … against two cores' bound (the puller verifies on 2 threads) | $(fmt "$(med reliance_sync)") | 2 × Ed25519 verify/s ÷ 2 $(fmt "$reliance_two_cores") | $(ratio "$(med reliance_sync)" "$reliance_two_cores") |")
  else
    stop_pid "$SRV_PID"
    log "reliance sync skipped: dossier_load reliance-setup failed: $(tail -1 "$WORK/rel-setup.err")"
  fi
  SERVE_FLAGS=()
else
  log "reliance sync skipped (BENCH_RELIANCE=0)"
fi

# ---------------------------------------------------------------- scale
SCALE_ROWS=()
start_dossierd "$WORK/scale"
SCALE_PID=$SRV_PID
SCALE_PORT=$SRV_PORT
"$B/dossier_load" setup --port "$SCALE_PORT" --data "$WORK/scale" --state "$WORK/sstate" --dossiers 32 \
  --content-bytes 4096 >/dev/null
stored=0
first_get_p99=""
first_commit_p99=""
for target in $SCALE; do
  log "scale: populating to $target stored versions"
  t0=$(date +%s)
  line=$("$B/dossier_load" commit --port "$SCALE_PORT" --state "$WORK/sstate" --concurrency 32 --count $((target - stored)))
  stored=$target
  fill_rate=$(field rate "$line")
  log "  filled at $(fmt "$fill_rate") commits/s in $(($(date +%s) - t0))s"
  # Measure the store at this size, not the compactions of the fill just
  # made (at 1M they ran for minutes and set the first GET p99s).
  log "  settled (server under 10 % of a core) after $(settle "$SCALE_PID" 180) s"
  "$B/dossier_load" wrk-lua --port "$SCALE_PORT" --state "$WORK/sstate" --out "$WORK/scale.lua" >/dev/null
  gets=() commits=()
  for rep in $(seq 1 "$REPS"); do
    gets+=("$(field p99_us "$(wrk_run "$SCALE_PORT" "$WORK/scale.lua")")")
    commits+=("$(field p99_us "$("$B/dossier_load" commit --port "$SCALE_PORT" --state "$WORK/sstate" --concurrency 8 --seconds "$SECS")")")
  done
  get_p99=$(printf '%s\n' "${gets[@]}" | median)
  commit_p99=$(printf '%s\n' "${commits[@]}" | median)
  first_get_p99=${first_get_p99:-$get_p99}
  first_commit_p99=${first_commit_p99:-$commit_p99}
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$SCALE_PID/status")
  db_mb=$(du -sm "$WORK/scale/db" | cut -f1)
  SCALE_ROWS+=("| $target | $(ms "$get_p99") | $(ratio "$get_p99" "$first_get_p99") | $(ms "$commit_p99") | $(ratio "$commit_p99" "$first_commit_p99") | $((rss / 1024)) | $db_mb | $(fmt "$fill_rate") |")
  log "  GET p99 $(ms "$get_p99") ms, commit p99 (c=8) $(ms "$commit_p99") ms, VmHWM $((rss / 1024)) MB"
done
stop_pid "$SCALE_PID"

# ---------------------------------------------------------------- GUDID import vs xmllint
# The 50,000-device GUDID release of the shared fixtures, as users upload it
# (a ZIP): our streaming import (inflate, parse, map every device) vs
# `unzip -p | xmllint --stream --noout` (inflate and parse only), wall time and
# peak RSS, interleaved.
GUDID_ZIP=${DOSSIER_SHARED:-$ROOT/../shared}/fixtures/openfda-gudid-xml/gudid_release_2016-08_50k_devices.zip
GUDID_ROW=""
GUDID_HTTP_ROW=""
if [[ -f $GUDID_ZIP ]] && command -v xmllint >/dev/null && [[ -x /usr/bin/time ]]; then
  log "GUDID 50k import (in process and over HTTP) vs unzip | xmllint --stream: $REPS × each"
  # Over HTTP as users import: the ZIP POSTed to …/imports, every NDJSON
  # line of the answer read by the client (curl | wc -l).
  start_dossierd "$WORK/imp"
  IMP_PID=$SRV_PID
  "$B/dossier_load" setup --port "$SRV_PORT" --data "$WORK/imp" --state "$WORK/istate" --dossiers 1 \
    --content-bytes 1024 >/dev/null
  IMP_URL="http://127.0.0.1:$SRV_PORT/v1/tenants/bench/imports?format=gudid-xml"
  IMP_TOKEN=$(sed -n 's/^token=//p' "$WORK/istate")
  for rep in $(seq 1 "$REPS"); do
    line=$("$B/dossier_import_bench" gudid-xml "$GUDID_ZIP")
    add gudid_s "$(field seconds "$line")"; add gudid_rss "$(field peak_rss_kb "$line")"
    GUDID_RECORDS=$(field records "$line")
    t0=$(date +%s.%N)
    lines=$(curl -sSf -H "Authorization: Bearer $IMP_TOKEN" -H 'Content-Type: application/zip' \
      --data-binary @"$GUDID_ZIP" "$IMP_URL" | wc -l)
    add gudid_http_s "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')"
    [[ $lines == "$GUDID_RECORDS" ]] || log "  HTTP import answered $lines lines for $GUDID_RECORDS devices"
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$WORK/xmllint.rss" bash -c 'unzip -p "$1" | xmllint --stream --noout -' _ "$GUDID_ZIP"
    add xmllint_s "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')"
    add xmllint_rss "$(tail -1 "$WORK/xmllint.rss")"
  done
  stop_pid "$IMP_PID"
  GUDID_HTTP_ROW="| GUDID release import over HTTP (POST …/imports, every NDJSON line read), s | $(fmt "$(med gudid_http_s)") | unzip \| xmllint --stream --noout $(fmt "$(med xmllint_s)") | $(ratio "$(med gudid_http_s)" "$(med xmllint_s)") |"
  GUDID_ROW="| GUDID release import ($GUDID_RECORDS devices, ZIP), s / peak RSS MB | $(fmt "$(med gudid_s)") / $(($(med gudid_rss) / 1024)) | unzip \| xmllint --stream --noout $(fmt "$(med xmllint_s)") / $(($(med xmllint_rss) / 1024)) | $(ratio "$(med gudid_s)" "$(med xmllint_s)") / $(ratio "$(med gudid_rss)" "$(med xmllint_rss)") |"
else
  log "GUDID import skipped: $GUDID_ZIP, xmllint or /usr/bin/time is missing"
fi

# ---------------------------------------------------------------- profile
PROFILE_TXT=""
if [[ $PROFILE == 1 ]] && command -v valgrind >/dev/null; then
  # perf needs hardware counters (`perf stat -e instructions true`); VMs often
  # lack them, and callgrind's instruction counts are stable anyway.
  log "profiling the commit path under callgrind (300 commits, concurrency 4)"
  start_dossierd "$WORK/prof" valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    --collect-atstart=no --toggle-collect='dossier::server::Api::Handle*'
  PROF_PID=$SRV_PID
  "$B/dossier_load" setup --port "$SRV_PORT" --data "$WORK/prof" --state "$WORK/pstate" --dossiers 4 --content-bytes 4096 >/dev/null
  "$B/dossier_load" commit --port "$SRV_PORT" --state "$WORK/pstate" --concurrency 4 --count 300 >/dev/null
  stop_pid "$PROF_PID"
  if [[ -s $WORK/callgrind.out ]]; then
    callgrind_annotate --inclusive=no "$WORK/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | head -15 >"$WORK/self.txt" || true
    callgrind_annotate --inclusive=yes "$WORK/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | head -40 >"$WORK/incl.txt" || true
    PROFILE_TXT=$WORK/self.txt
    # Kept beside the binaries for a closer look (callgrind_annotate-style lines).
    cp "$WORK/self.txt" "$B/callgrind-commit-self.txt"
    cp "$WORK/incl.txt" "$B/callgrind-commit-inclusive.txt"
  fi
fi

# ---------------------------------------------------------------- table
{
  echo "| figure | dossier | baseline | ratio |"
  echo "|---|---|---|---|"
  echo "| GET version content ($CONTENT_BYTES B JSON), wrk 2×64 keep-alive, req/s | $(fmt "$(med get_content)") | nginx static $(fmt "$(med nginx_content)") | $(ratio "$(med get_content)" "$(med nginx_content)") |"
  echo "| … p99 latency, ms | $(ms "$(med get_content_p99)") | nginx $(ms "$(med nginx_content_p99)") | $(ratio "$(med get_content_p99)" "$(med nginx_content_p99)") |"
  echo "| … server CPU per request, µs (lower is better; ratio = nginx / dossierd) | $(fmt "$(med get_content_cpu)") | nginx $(fmt "$(med nginx_content_cpu)") | $(ratio "$(med nginx_content_cpu)" "$(med get_content_cpu)") |"
  echo "| GET version metadata ($VERSION_BYTES B JSON), req/s | $(fmt "$(med get_version)") | nginx static $(fmt "$(med nginx_version)") | $(ratio "$(med get_version)" "$(med nginx_version)") |"
  echo "| … server CPU per request, µs (ratio = nginx / dossierd) | $(fmt "$(med get_version_cpu)") | nginx $(fmt "$(med nginx_version_cpu)") | $(ratio "$(med nginx_version_cpu)" "$(med get_version_cpu)") |"
  for c in 1 8 32; do
    echo "| durable signed commits/s, concurrency $c | $(fmt "$(med commit_$c)") | RocksDB sync puts ($VALUE_SIZE B) $(fmt "$(med rocks_$c)") | $(ratio "$(med commit_$c)" "$(med rocks_$c)") |"
    echo "| … p50 / p99 latency, ms | $(ms "$(med commit_${c}_p50)") / $(ms "$(med commit_${c}_p99)") | $(ms "$(med rocks_${c}_p50)") / $(ms "$(med rocks_${c}_p99)") | $(ratio "$(med commit_${c}_p50)" "$(med rocks_${c}_p50)") / $(ratio "$(med commit_${c}_p99)" "$(med rocks_${c}_p99)") |"
  done
  bundle_bound=$(awk -v v="$(med ossl_verify)" -v n="$BUNDLE_SIGNATURES" 'BEGIN { print v / n }')
  echo "| SDK bundle verifications/s ($BUNDLE_BYTES B bundle + 4 KB content, $BUNDLE_SIGNATURES Ed25519 signatures), 1 thread | $(fmt "$(med verify)") | openssl ed25519 verify / $BUNDLE_SIGNATURES $(fmt "$bundle_bound") | $(ratio "$(med verify)" "$bundle_bound") |"
  [[ ${#RELIANCE_ROWS[@]} -gt 0 ]] && printf '%s\n' "${RELIANCE_ROWS[@]}"
  echo "| statement sign/s (micro) | $(fmt "$sign_rate") | openssl ed25519 sign $(fmt "$(med ossl_sign)") | $(ratio "$sign_rate" "$(med ossl_sign)") |"
  echo "| statement verify/s (micro) | $(fmt "$verify_rate") | openssl ed25519 verify $(fmt "$(med ossl_verify)") | $(ratio "$verify_rate" "$(med ossl_verify)") |"
  echo "| SHA-256 of 1 KiB, MB/s (micro) | $(fmt "$(awk -v r="$sha_rate" 'BEGIN {print r / 1e6}')") | openssl speed sha256 $(fmt "$(awk -v r="$ossl_sha" 'BEGIN {print r / 1e6}')") | $(ratio "$sha_rate" "$ossl_sha") |"
  [[ -n $GUDID_ROW ]] && echo "$GUDID_ROW"
  [[ -n $GUDID_HTTP_ROW ]] && echo "$GUDID_HTTP_ROW"
  [[ ${#PG_ROWS[@]} -gt 0 ]] && printf '%s\n' "${PG_ROWS[@]}"
  echo "| peak RSS (VmHWM) of dossierd after the runs above ($MAIN_VERSIONS log entries), MB | $((MAIN_RSS / 1024)) | | |"
  echo
  echo "Scale (fresh server; GET = wrk 2×64 on random stored versions' content; commit = concurrency 8; ratios against the first row):"
  echo
  echo "| stored versions | GET p99 ms | × | commit p99 ms | × | VmHWM MB | RocksDB MB | fill commits/s |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${SCALE_ROWS[@]}"
  echo
  echo "Micro-benchmarks (Google Benchmark, CPU time per operation):"
  echo
  echo "| benchmark | ns/op | ops/s | note |"
  echo "|---|---|---|---|"
  awk -F, 'NR > 1 && $1 ~ /^"BM_/ { n = $1; gsub(/"/, "", n); t = $4; u = $5; gsub(/"/, "", u); if (u == "us") t *= 1e3; if (u == "ms") t *= 1e6; l = $NF; gsub(/"/, "", l); printf "| %s | %.0f | %.0f | %s |\n", n, t, 1e9 / t, l }' "$WORK/micro.csv"
} >"$WORK/table.md"

echo
cat "$WORK/table.md"
if [[ -n $PROFILE_TXT ]]; then
  echo
  echo "Commit path, callgrind self cost (Api::Handle and below):"
  cat "$PROFILE_TXT"
fi
elapsed=$(($(date +%s) - started_at))
echo
echo "bench: done in ${elapsed}s"

# ---------------------------------------------------------------- docs
if [[ -n $DOC ]]; then
  doc=$ROOT/$DOC
  {
    echo "<!-- bench:begin (generated by bench/run.sh; edit outside these markers) -->"
    echo "Machine: $MACHINE. Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Command: \`make bench\` (bench/run.sh, $REPS reps × ${SECS}s, medians; took ${elapsed}s)."
    echo
    cat "$WORK/table.md"
    if [[ -n $PROFILE_TXT ]]; then
      echo
      echo "Commit path, callgrind self cost (instructions inside Api::Handle, 300 commits):"
      echo
      echo '```'
      cat "$PROFILE_TXT"
      echo '```'
    fi
    echo "<!-- bench:end -->"
  } >"$WORK/generated.md"
  if [[ -f $doc ]] && grep -q '<!-- bench:begin' "$doc"; then
    awk -v gen="$WORK/generated.md" '
      /<!-- bench:begin/ { while ((getline line < gen) > 0) print line; skip = 1; next }
      /<!-- bench:end/ { skip = 0; next }
      !skip { print }' "$doc" >"$WORK/doc.md"
    cp "$WORK/doc.md" "$doc"
  else
    mkdir -p "$(dirname "$doc")"
    { echo "# Performance"; echo; cat "$WORK/generated.md"; } >"$doc"
  fi
  echo "bench: wrote $DOC"
fi
