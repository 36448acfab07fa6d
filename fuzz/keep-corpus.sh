#!/usr/bin/env bash
# fuzz/keep-corpus.sh BUILD_DIR [EXTRA_DIR...] — refreshes the minimised
# corpora kept in the repository (fuzz/corpus/<target>/): for each target of
# $FUZZ_TARGETS (default all), libFuzzer's -merge=1 picks, from the kept
# corpus, the corpus of the last run (BUILD_DIR/fuzz-out/corpus/<target>), the
# generated seeds and EXTRA_DIR/<target> for each EXTRA_DIR, the smallest set
# of inputs that keeps every feature (coverage edge and counter) any of them
# reaches, and that set replaces fuzz/corpus/<target>. Every fuzz run then
# starts where the last kept one ended (fuzz/run.sh reads these folders) and
# `make test` replays them (fuzz_<target>_replay). Inputs equal to a generated
# seed are left out (run.sh and make test generate those anyway), and
# KEEP_MAX_LEN (default 65536) bounds the inputs considered, to keep the
# folders small. Prints the size of each.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:?usage: fuzz/keep-corpus.sh BUILD_DIR [EXTRA_DIR...]}
shift
OUT=$BUILD/fuzz-out
TARGETS=${FUZZ_TARGETS:-"http_request schema_content dsse log_proofs translate_import"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
for t in $TARGETS; do
  inputs=()
  for d in "$SRC/fuzz/corpus/$t" "$OUT/corpus/$t" "$OUT/seeds/$t"; do [[ -d $d ]] && inputs+=("$d"); done
  for extra in "$@"; do [[ -d $extra/$t ]] && inputs+=("$extra/$t"); done
  options=()
  [[ -f $SRC/fuzz/$t.options ]] && mapfile -t options < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$SRC/fuzz/$t.options")
  merged=$(mktemp -d)
  "$BUILD/fuzz/fuzz_$t" -merge=1 -timeout=10 -rss_limit_mb=2560 -max_len="${KEEP_MAX_LEN:-65536}" "${options[@]}" \
    "$merged" "${inputs[@]}" >"$OUT/$t.merge.log" 2>&1 || {
    echo "keep-corpus: $t: merge failed, see $OUT/$t.merge.log" >&2
    rm -rf "$merged"
    exit 1
  }
  if [[ -d $OUT/seeds/$t ]]; then
    for seed in "$OUT/seeds/$t"/*; do rm -f "$merged/$(sha1sum <"$seed" | cut -d' ' -f1)"; done
  fi
  rm -rf "$SRC/fuzz/corpus/$t"
  mkdir -p "$SRC/fuzz/corpus"
  mv "$merged" "$SRC/fuzz/corpus/$t"
  chmod 755 "$SRC/fuzz/corpus/$t"
  echo "keep-corpus: $t: $(find "$SRC/fuzz/corpus/$t" -type f | wc -l) inputs, $(du -sh "$SRC/fuzz/corpus/$t" | cut -f1)"
done
