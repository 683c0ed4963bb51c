#!/usr/bin/env bash
# desk packs what it writes: libgit2 leaves every object loose, so after a command that committed
# desk starts `git gc --auto` in the background (git's own threshold, gc.auto); the command does
# not wait for it, and the repository stays valid.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# A git on PATH that logs its arguments, then runs the real git.
shim_git() {
  local real
  real=$(command -v git)
  mkdir -p "$TMP/shim"
  printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$TMP/git.log" "$real" >"$TMP/shim/git"
  chmod +x "$TMP/shim/git"
  export PATH="$TMP/shim:$PATH"
  : >"$TMP/git.log"
}

# wait_for_log TEXT: the shim logged TEXT within 5 seconds.
wait_for_log() {
  local i
  for i in $(seq 1 50); do
    grep -qx -- "$1" "$TMP/git.log" && return 0
    sleep 0.1
  done
  return 1
}

case_a_commit_starts_git_gc_auto_in_the_background() {
  new_desk "$TMP/d1"
  new_ticket "Printer jams"
  shim_git
  desk_ok comment "$ID" -m "note"
  wait_for_log "gc --auto --quiet" || fail "no 'git gc --auto --quiet' after a commit; git saw: $(cat "$TMP/git.log")"
}

case_reads_start_no_packing() {
  new_desk "$TMP/d2"
  new_ticket "Printer jams"
  shim_git
  desk_ok list
  desk_ok show "$ID"
  desk_ok stats
  sleep 0.5
  ! grep -q "gc" "$TMP/git.log" || fail "a read started git gc: $(cat "$TMP/git.log")"
}

case_packing_leaves_a_valid_repository() {
  new_desk "$TMP/d3"
  new_ticket "Printer jams"
  local i
  for i in $(seq 1 10); do desk_ok comment "$ID" -m "note $i"; done
  # What the background job does once the threshold is passed, run here to its end.
  git gc --quiet
  [[ $(git count-objects -v | sed -n 's/^packs: //p') -ge 1 ]] || fail "nothing was packed"
  git fsck --no-dangling >/dev/null 2>&1 || fail "git fsck failed after packing"
  desk_ok comment "$ID" -m "after packing"
  desk_ok show "$ID"
  expect_out_contains "after packing"
}

run_all_cases
finish
