#!/usr/bin/env bash
# The benchmark program keeps working: on a tiny desk it builds the desk with one import, runs
# every operation, and prints a table with a row per operation and numbers in every cell. It
# asserts nothing about speed (the machines are shared); bench/bench.py is where speed is read.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

case_bench_prints_its_table() {
  local out
  out=$(python3 "$DESK_SOURCE_DIR/bench/bench.py" --desk "$DESK" --sizes 30 --runs 1 2>&1) || fail "bench failed: $out"
  py 'import re
lines = sys.argv[1].splitlines()
assert lines[0].startswith("desk benchmark: 1 runs per operation"), lines[0]
rows = {}
for l in lines[3:]:
    cells = re.split(r"\s{2,}", l.strip())
    rows[cells[1]] = cells
want = ["import (one commit)", "new -q", "new --suggest", "comment", "show", "show --suggest", "list (open work)", "list --all --json",
        "sweep --dry-run", "stats", "report --html"]
assert list(rows) == want, list(rows)
for name, cells in rows.items():
    assert cells[0] == "30", cells
    assert re.fullmatch(r"[0-9.]+ (ms|s)", cells[2]), cells
    assert re.fullmatch(r"[0-9.]+ MiB", cells[3]) and float(cells[3].split()[0]) > 0, cells
for name in ("comment", "show", "list (open work)"):
    assert re.fullmatch(r"[0-9.]+x", rows[name][6]), rows[name]' "$out"
}

run_all_cases
finish
