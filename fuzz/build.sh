#!/usr/bin/env bash
# fuzz/build.sh [BUILD_DIR] — configures and builds the libFuzzer targets with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer. Every library of the
# tree is instrumented (flags in CMAKE_CXX_FLAGS), asserts stay on (no NDEBUG).
# Environment: FUZZ_CXX (clang++), JOBS (2).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build-fuzz}
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
# -fno-sanitize=function: clang 14 + UBSan + C++20 coroutines fails to build
# otherwise ("Cannot represent a difference across sections").
FLAGS="-O1 -gline-tables-only -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link"
FLAGS+=" -fno-sanitize=function -fno-sanitize-recover=undefined"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++}" \
  -DCMAKE_CXX_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DDOSSIER_BUILD_TESTS=OFF -DDOSSIER_BUILD_FUZZ=ON -DDOSSIER_FUZZ_ENGINE=libfuzzer "${launcher[@]}" >/dev/null
cmake --build "$BUILD" --target dossier_fuzz_all -j "${JOBS:-2}"
