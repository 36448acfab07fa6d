#!/usr/bin/env bash
# fuzz/long.sh BUILD_DIR HOURS — a fuzzing campaign: every target of
# BUILD_DIR (built by fuzz/build.sh) at once, one libFuzzer process each
# (fuzz/run.sh with FUZZ_TARGETS=<one>), for HOURS (decimals allowed), each
# starting from the corpus the last run left in BUILD_DIR/fuzz-out/corpus.
# Writes BUILD_DIR/fuzz-out/long-report.md: per target the executions,
# executions per second, coverage, corpus entries before and after, and
# crashes. Exit status 1 when any target crashed. `make fuzz-long HOURS=N`.
# FUZZ_RUNS=N: each target also stops after N executions (a campaign of N per
# target, HOURS the cap). FUZZ_JOBS=K: at most K targets at once, the next
# starting when one ends (default: all at once). FUZZ_NICE=N: run them at
# that niceness, so builds on a shared machine keep priority. Niced, the
# per-input timeout is 120 s instead of run.sh's 10 s (FUZZ_TIMEOUT overrides):
# a process at nice 19 behind two builders gets under 1 % of a core, and two
# campaign runs died on "timeouts" of inputs that replay in 2 and 104 ms.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:?usage: fuzz/long.sh BUILD_DIR HOURS}
HOURS=${2:?usage: fuzz/long.sh BUILD_DIR HOURS}
SECS=$(awk -v h="$HOURS" 'BEGIN { s = int(h * 3600); print (s < 1 ? 1 : s) }')
OUT=$BUILD/fuzz-out
TARGETS=${FUZZ_TARGETS:-"http_request schema_content dsse log_proofs translate_import"}
REPORT=$OUT/long-report.md
count() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }

mkdir -p "$OUT"
rm -rf "$OUT/seeds"
"$BUILD/fuzz/dossier_fuzz_seeds" "$OUT/seeds" "$SRC" >/dev/null || exit 1
JOBS=${FUZZ_JOBS:-$(wc -w <<<"$TARGETS")}
if [[ ${FUZZ_NICE:-0} -gt 0 ]]; then export FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-120}; fi
declare -A before
echo "fuzz-long: $(wc -w <<<"$TARGETS") targets, $JOBS at a time, ${SECS}s${FUZZ_RUNS:+ or $FUZZ_RUNS executions} each; logs in $OUT/long-<target>.txt" >&2
for t in $TARGETS; do
  while [[ $(jobs -rp | wc -l) -ge $JOBS ]]; do wait -n; done
  before[$t]=$(count "$OUT/corpus/$t")
  rm -f "$OUT/long-$t.rc"
  (
    FUZZ_KEEP_SEEDS=1 FUZZ_TARGETS=$t nice -n "${FUZZ_NICE:-0}" "$SRC/fuzz/run.sh" "$BUILD" "$SECS" \
      >"$OUT/long-$t.txt" 2>&1
    echo $? >"$OUT/long-$t.rc"
  ) &
done
wait

crashed=()
{
  echo "# Fuzzing campaign"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${SECS}s${FUZZ_RUNS:+ or $FUZZ_RUNS executions} per target, $JOBS at a time:"
  echo "\`fuzz/long.sh $BUILD $HOURS\`."
  echo
  echo "| target | executions | exec/s | coverage | corpus before → after | result |"
  echo "|---|---|---|---|---|---|"
} >"$REPORT"
for t in $TARGETS; do
  rc=$(cat "$OUT/long-$t.rc" 2>/dev/null || echo 1)
  log=$OUT/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" 2>/dev/null | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" 2>/dev/null | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" 2>/dev/null | tail -1 | cut -d' ' -f2)
  result="no crash"
  if [[ $rc -ne 0 ]]; then
    crashed+=("$t")
    result="CRASHED: $(find "$OUT/artifacts/$t" -type f | wc -l) artifact(s) in $OUT/artifacts/$t"
  fi
  echo "| $t | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${before[$t]} → $(count "$OUT/corpus/$t") | $result |" >>"$REPORT"
done
cat "$REPORT"
if [[ ${#crashed[@]} -gt 0 ]]; then
  echo "fuzz-long: FAILED: ${crashed[*]}" >&2
  exit 1
fi
