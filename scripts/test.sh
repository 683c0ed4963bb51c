#!/usr/bin/env bash
# README command 2: install dependencies, build, run every test (unit, cli, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
