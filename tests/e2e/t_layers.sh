#!/usr/bin/env bash
# The boundary between the layers holds: core/ never reads the environment, the terminal, the
# standard streams or the system clock, and never includes CLI11 (ARCHITECTURE.md, "The rule
# between the layers"); cli/ never includes SQLite or libgit2's index API directly.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

case_core_takes_no_process_state() {
  local hits
  hits=$(grep -rnE 'getenv|secure_getenv|environ\b|std::cout|std::cerr|std::cin|system_clock::now|isatty|CLI/CLI\.hpp|current_path' \
    "$DESK_SOURCE_DIR/core" || true)
  [[ -z $hits ]] || fail "core/ reaches for process state: $hits"
}

case_the_index_is_core_business() {
  local hits
  hits=$(grep -rnE '#include <sqlite3\.h>|sqlite3_' "$DESK_SOURCE_DIR/cli" || true)
  [[ -z $hits ]] || fail "cli/ talks to SQLite itself: $hits"
}

case_the_checks_can_fail() {
  # The same grep finds a planted offender: the test is not vacuous.
  mkdir -p "$TMP/core"
  printf 'auto h = std::getenv("HOME");\n' >"$TMP/core/bad.cpp"
  grep -rqE 'getenv' "$TMP/core" || fail "the pattern misses a planted getenv"
}

run_all_cases
finish
