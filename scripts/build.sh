#!/usr/bin/env bash
# Configures and builds desk into build/ (warnings are errors under CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDESK_WERROR=$werror >/dev/null
cmake --build build -j"$(nproc)"
