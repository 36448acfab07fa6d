# Entry points promised in API.md. Each target installs what is missing first.
BUILD_DIR ?= build
DATA_DIR ?= var/data
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# ccache: paths relative to the checkout so clones in other folders share the
# cache; precompiled headers need the sloppiness below.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: deps build test run bench fuzz fuzz-smoke fuzz-long format clean package package-check

deps:
	@tools/install-deps.sh build

$(BUILD_DIR)/build.ninja:
	@tools/install-deps.sh build
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The Debian package (cmake/Packaging.cmake): build/dossier-exchange_*.deb.
package: build
	cd $(BUILD_DIR) && cpack -G DEB

# Opt-in (minutes, needs root and Debian's mirror): the package installed into
# a clean Debian 12 root by mmdebstrap answers /readyz (tools/package-check.sh).
package-check: package
	tools/package-check.sh $(BUILD_DIR)/dossier-exchange_*.deb

run: build
	mkdir -p $(DATA_DIR)
	$(BUILD_DIR)/bin/dossierd serve --data $(DATA_DIR) --listen $(LISTEN)

bench:
	@tools/install-deps.sh bench
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DDOSSIER_BUILD_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)
	bench/run.sh $(BUILD_DIR)

# libFuzzer + ASan + UBSan (clang): each target for FUZZ_SECONDS.
fuzz:
	@tools/install-deps.sh fuzz
	fuzz/build.sh $(FUZZ_BUILD_DIR)
	fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

# What `make test` ran before the clang tree became opt-in: the clang/libFuzzer
# A campaign: every target at once for HOURS (decimals allowed), from the kept
# corpus; writes $(FUZZ_BUILD_DIR)/fuzz-out/long-report.md (fuzz/long.sh).
# FUZZ_RUNS=10000000 FUZZ_JOBS=2 FUZZ_NICE=19: stop each target after that many
# executions, two targets at a time, niced (the issue 20 campaign).
HOURS ?= 1
fuzz-long:
	@tools/install-deps.sh fuzz
	fuzz/build.sh $(FUZZ_BUILD_DIR)
	fuzz/long.sh $(FUZZ_BUILD_DIR) $(HOURS)

# build and 20 s of fuzzing per target (fuzz/ci.sh), without the other tests.
fuzz-smoke:
	@tools/install-deps.sh fuzz
	fuzz/ci.sh $(FUZZ_BUILD_DIR) 20

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
