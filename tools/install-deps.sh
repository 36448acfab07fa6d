#!/usr/bin/env bash
# Installs the Debian 12 packages the build, tests and benchmarks need, when any
# is missing. Idempotent and quiet when everything is present.
# Usage: tools/install-deps.sh [build|bench|fuzz]
set -euo pipefail

packages=(
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-test1.81-dev
  libboost-program-options1.81-dev libprotobuf-dev protobuf-compiler librocksdb-dev libssl-dev
  libxml2-dev libxml2-utils libzip-dev zlib1g-dev cmake ninja-build ccache g++ make curl openssl
  # The web app's browser tests (tests/web) drive Debian's chromium.
  chromium fonts-dejavu-core
  # Redline PDFs (server/pdf_render.h) and their page images in tests and docs.
  wkhtmltopdf poppler-utils
  # The SDK's PKCS#11 signer: the standard header (p11-kit), and SoftHSM2 with
  # pkcs11-tool (opensc) to make the token client_signer_test signs on.
  libp11-kit-dev softhsm2 opensc
)
# --- PostgreSQL backend (storage/pg_store.h) -------------------------------
# libpq to build the PostgreSQL store; the PostgreSQL 15 server for its tests
# (tests/support/postgres.h runs initdb/postgres from /usr/lib/postgresql/15/bin
# as the "postgres" user the package creates, since PostgreSQL refuses root).
packages+=(libpq-dev postgresql-15 postgresql-client-15)
# --- end PostgreSQL backend -------------------------------------------------
# The web app (web/) is built by node and npm (npm ci from web/package-lock.json
# into the build tree). Debian's when none is installed: a NodeSource nodejs
# carries its own npm and conflicts with Debian's npm package.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-build}" == fuzz ]]; then
  # clang + libFuzzer/sanitizer runtimes for `make fuzz` and `make fuzz-smoke`.
  packages+=(clang libclang-rt-14-dev)
fi
if [[ "${1:-build}" == bench ]]; then
  packages+=(libbenchmark-dev rocksdb-tools wrk nginx-light valgrind iproute2 time unzip)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
