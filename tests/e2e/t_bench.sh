#!/usr/bin/env bash
# The benchmark program keeps working: on a tiny desk it builds the desk with one import, times
# every operation with hyperfine beside its baselines (git by hand; Fossil's tickets when fossil
# is installed), and prints a table with a row per operation and baseline and numbers in every
# cell. It asserts nothing about speed (the machines are shared); bench/bench.py is where speed
# is read. Without hyperfine it says so and fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BENCH=$DESK_SOURCE_DIR/bench/bench.py

case_bench_prints_its_table() {
  command -v hyperfine >/dev/null || fail "hyperfine is not installed (scripts/deps.sh installs it)"
  local out fossil=0
  command -v fossil >/dev/null && fossil=1
  out=$(python3 "$BENCH" --desk "$DESK" --sizes 30 --runs 1 --changes 5 2>"$TMP/bench.err") ||
    fail "bench failed: $out $(cat "$TMP/bench.err")"
  py 'import re
lines, fossil = sys.argv[1].splitlines(), sys.argv[2] == "1"
assert lines[0].startswith("desk benchmark: 1 runs per operation"), lines[0]
assert lines[1].split() == ["tickets", "operation", "desk", "max", "RSS", "baseline", "baseline", "value",
                            "desk/baseline"], lines[1]
rows = {}
for l in lines[3:]:
    if not l.strip():
        break
    cells = re.split(r"\s{2,}", l.strip())
    assert len(cells) == 7, cells
    rows[(cells[1], cells[4])] = cells
F = lambda name: [name] if fossil else []
want = [("import (one commit)", "-"),
        ("new -q", "fossil ticket add" if fossil else "-"),
        ("new --suggest", "-"),
        ("comment", "git add + git commit"), *[("comment", b) for b in F("fossil ticket change")],
        ("escalate -m", "fossil ticket change" if fossil else "-"),
        ("triage --tag", "fossil ticket change" if fossil else "-"),
        ("show", "git show (one file)"), *[("show", b) for b in F("fossil ticket show")],
        ("show --suggest", "-"),
        ("list (open work)", "fossil open report" if fossil else "-"),
        ("list -p P1", "fossil open report, Immediate" if fossil else "-"),
        ("list --all --json", "fossil ticket show 0 (all)" if fossil else "-"),
        ("__complete ids \"\"", "git ls-files tickets"), ("__complete ids 1", "-"), ("__complete assignees", "-"),
        ("sweep --dry-run", "-"), ("stats", "-"), ("report --html", "-"),
        ("search printer crash", "git grep -l -i --all-match"), ("export --json -o", "-"),
        ("growth per comment (5), loose", "fossil ticket change" if fossil else "-"),
        ("growth per comment (5), packed", "fossil, after VACUUM" if fossil else "-"),
        ("list -n 1, first in a fresh clone", "list -n 1, warm index"),
        ("list -n 1, after git pull of 5 changes", "list -n 1, warm index")]
assert list(rows) == want, list(rows)
num = lambda s, units: re.fullmatch(r"[0-9.]+ (" + units + ")", s)
for (name, base), cells in rows.items():
    assert cells[0] == "30", cells
    growth = name.startswith("growth")
    assert num(cells[2], "B|KiB|MiB" if growth else "ms|s"), cells
    if growth:
        assert cells[3] == "-", cells
    else:
        assert num(cells[3], "MiB") and float(cells[3].split()[0]) > 0, cells
    if base == "-":
        assert cells[5] == "-" and cells[6] == "-", cells
    else:
        assert num(cells[5], "B|KiB|MiB" if growth else "ms|s"), cells
        assert re.fullmatch(r"[0-9.]+x", cells[6]) or (cells[5] == "0 B" and cells[6] == "-"), cells
if fossil:
    assert any(l.startswith("30 tickets: Fossil filled with 3") for l in lines), lines' "$out" "$fossil"
}

case_bench_without_hyperfine_says_so() {
  local code=0 err
  err=$(PATH=/nonexistent "$PY" "$BENCH" --desk "$DESK" --sizes 30 2>&1 >/dev/null) || code=$?
  [[ $code != 0 ]] || fail "bench without hyperfine exited 0"
  [[ $err == *"hyperfine is not installed"* ]] || fail "bench without hyperfine said: $err"
}

run_all_cases
finish
