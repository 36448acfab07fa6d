#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR [SECONDS] — runs every libFuzzer target of BUILD_DIR
# (built by fuzz/build.sh) for SECONDS each (default $FUZZ_SECONDS, else 60),
# or until FUZZ_RUNS executions when that is set (whichever comes first),
# with fuzz/<target>.dict and the flags in fuzz/<target>.options when present:
# first the saved crash regressions (fuzz/regressions/<target>/), then fuzzing
# from the corpus of the last run in BUILD_DIR/fuzz-out/corpus (where new
# inputs go), the minimised corpus kept in the repository (fuzz/corpus/, see
# fuzz/keep-corpus.sh) and the generated seeds.
# FUZZ_TIMEOUT=N: the seconds one input may take before libFuzzer reports it
# as a hang (default 10).
# Crashing inputs land in BUILD_DIR/fuzz-out/artifacts/<target>/; copy one to
# fuzz/regressions/<target>/ to make it a regression test. Exit status 1 when
# any target crashed.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS]}
SECS=${2:-${FUZZ_SECONDS:-60}}
OUT=$BUILD/fuzz-out
TARGETS=${FUZZ_TARGETS:-"http_request schema_content dsse log_proofs translate_import"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# FUZZ_KEEP_SEEDS=1: the seeds are already there (fuzz/long.sh runs one
# run.sh per target at once and makes them first).
if [[ -z ${FUZZ_KEEP_SEEDS:-} ]]; then
  rm -rf "$OUT/seeds"
  "$BUILD/fuzz/dossier_fuzz_seeds" "$OUT/seeds" "$SRC" >/dev/null || exit 1
fi
failed=()
summary=()
for t in $TARGETS; do
  bin=$BUILD/fuzz/fuzz_$t
  mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t"
  log=$OUT/$t.log
  # Fixed bugs must not crash again; known (unfixed, reported) ones are only reported.
  mapfile -t regressions < <(find "$SRC/fuzz/regressions/$t" -maxdepth 1 -type f ! -name '.*' 2>/dev/null)
  if [[ ${#regressions[@]} -gt 0 ]]; then
    if ! "$bin" "${regressions[@]}" >"$OUT/$t.regressions.log" 2>&1; then
      echo "fuzz: $t: a saved regression crashes again; see $OUT/$t.regressions.log" >&2
      tail -30 "$OUT/$t.regressions.log" >&2
      failed+=("$t (regression)")
      continue
    fi
  fi
  while IFS= read -r known; do
    if "$bin" "$known" >/dev/null 2>&1; then
      echo "fuzz: $t: FIXED: $known no longer crashes; move it out of known/" >&2
    else
      echo "fuzz: $t: known issue still reproduces: $known" >&2
    fi
  done < <(find "$SRC/fuzz/regressions/$t/known" -type f 2>/dev/null)
  dict=()
  [[ -f $SRC/fuzz/$t.dict ]] && dict=(-dict="$SRC/fuzz/$t.dict")
  # fuzz/<target>.options: more libFuzzer flags for that target, one a line ('#' starts a comment).
  options=()
  [[ -f $SRC/fuzz/$t.options ]] && mapfile -t options < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$SRC/fuzz/$t.options")
  runs=()
  [[ -n ${FUZZ_RUNS:-} ]] && runs=(-runs="$FUZZ_RUNS")
  kept=()
  [[ -d $SRC/fuzz/corpus/$t ]] && kept=("$SRC/fuzz/corpus/$t")
  echo "fuzz: $t for ${SECS}s${FUZZ_RUNS:+ or $FUZZ_RUNS executions}" >&2
  "$bin" -max_total_time="$SECS" "${runs[@]}" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2560 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$t/" "${dict[@]}" "${options[@]}" "$OUT/corpus/$t" "${kept[@]}" "$OUT/seeds/$t" \
    >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  summary+=("$t: ${execs:-?} runs, ${cov:-cov ?}, exit $rc")
  if [[ $rc -ne 0 ]]; then
    failed+=("$t")
    echo "fuzz: $t CRASHED (exit $rc); artifacts in $OUT/artifacts/$t/" >&2
    grep -E 'ERROR|INVARIANT|runtime error|SUMMARY|#[0-9]+ 0x' "$log" | head -40 >&2
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no crashes"
