#!/usr/bin/env bash
# README command 2: install dependencies, build, run every test (unit, cli, e2e, fuzz replays).
# With CI=true (as .ci/run runs it) or DESK_HARDENING=1 it goes on to the hardening stages:
#   scripts/sanitize.sh  the whole suite again under ASan + UBSan (build-hardening/, clang)
#   scripts/fuzz.sh      every libFuzzer target for 20 s from its seed corpus (the same build)
# Extra arguments go to ctest (both suites). Each stage reports its wall time on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
scripts/deps.sh
scripts/build.sh
t1=$SECONDS
(cd build && ctest --output-on-failure -j"$(nproc)" "$@")
t2=$SECONDS
echo "desk: build $((t1 - t0)) s, tests $((t2 - t1)) s" >&2
if [ "${CI:-}" = "true" ] || [ "${DESK_HARDENING:-}" = "1" ]; then
  scripts/sanitize.sh "$@"
  scripts/fuzz.sh
  echo "desk: all stages $((SECONDS - t0)) s" >&2
fi
