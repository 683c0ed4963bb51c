#!/usr/bin/env bash
# The whole test suite (unit, cli, e2e, fuzz replays) again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer into build-hardening/. The e2e scripts run that build's desk binary.
# Any report ends the process (cmake/sanitizer_options.cpp) and fails its test; cmake/ubsan.supp
# holds the only suppressions. Extra arguments go to ctest.
#
# The build is clang's with DESK_FUZZ=ON, shared with scripts/fuzz.sh: one sanitized build serves
# the suite and the fuzz targets. Measured on 2 cores: gcc compiles desk's sources 3-5x slower
# with -fsanitize=address,undefined than clang does, which decided it (ARCHITECTURE.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/hardening-build.sh
start=$SECONDS
configure_hardening_build
cmake --build build-hardening -j"$(nproc)"
built=$SECONDS
cd build-hardening
# Scripts that generate a desk to compare answers on (t_index) make a smaller one here: every run
# of the sanitized desk is several times slower, and scale is the plain stage's job.
export DESK_E2E_TICKETS=400
# The scripts labelled text check what desk writes for people, shells and browsers (man pages,
# completion scripts, the benchmark's table, the report in Chromium): the plain stage runs them, a
# sanitized binary adds nothing.
ctest --output-on-failure -j"$(nproc)" -LE '^text$' "$@"
echo "desk: sanitized build $((built - start)) s, sanitized tests $((SECONDS - built)) s" >&2
