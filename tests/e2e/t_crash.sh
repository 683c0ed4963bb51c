# A desk killed at each step of a change (DESK_TEST_CRASH makes it SIGKILL itself there) never
# leaves a trap: while it is dead, git's index stays locked so a user's `git commit` cannot commit
# a stale index; the next desk command, read or write, finishes the change or drops it; afterwards
# HEAD, git's index and the working tree agree and both fscks are clean.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# consistent: index and working tree match HEAD, no lock or journal or temporary file is left.
consistent() {
  assert_clean
  [[ ! -e .git/index.lock ]] || fail ".git/index.lock is left behind"
  [[ ! -e .git/desk-journal ]] || fail ".git/desk-journal is left behind"
  [[ -z $(find . -name '*.desk-tmp') ]] || fail "temporary files left: $(find . -name '*.desk-tmp')"
  git fsck --strict --no-dangling >/dev/null 2>&1 || fail "git fsck: $(git fsck --strict --no-dangling 2>&1)"
  desk_ok fsck
}

# crash_at POINT: files a ticket, then comments on it with desk killed at POINT; sets BEFORE.
crash_at() {
  new_desk "$(mktemp -u -d "$TMP/desk-$1-XXXXXX")"
  new_ticket "Printer jams"
  BEFORE=$(git rev-parse HEAD)
  run_desk_env DESK_TEST_CRASH="$1" comment "$ID" -m "killed at $1"
  expect_code 137
}

run_desk_env() {
  LAST_CMD="env $1 desk ${*:2}"
  CODE=0
  { env "$1" "$DESK" "${@:2}" >"$OUT_FILE" 2>"$ERR_FILE"; } 2>/dev/null || CODE=$?
  OUT=$(<"$OUT_FILE")
  ERR=$(<"$ERR_FILE")
}

# Killed before the journal was complete: nothing landed; the next command releases git's lock.
for point in locked objects; do
  eval "case_killed_before_the_journal_$point() {
    crash_at $point
    [[ -e .git/index.lock ]] || fail 'the dead desk should still hold git index.lock'
    desk_ok list
    expect_err_lacks 'finished'
    [[ \$(git rev-parse HEAD) == \$BEFORE ]] || fail 'HEAD moved'
    consistent
    desk_ok comment \"\$ID\" -m again
    consistent
  }"
done

# Killed after the journal, before or after the branch moved (the working tree and the index
# change first, the branch last): the user's git commit is refused (the lock is still there)
# rather than committing a half-made change or reverting it; the next desk command finishes it,
# moving the branch if the dead desk had not.
for point in journal worktree index ref; do
  eval "case_killed_after_the_journal_$point() {
    crash_at $point
    local new=\$(sed -n 's/^new //p' .git/desk-journal)
    [[ -n \$new ]] || fail 'no new commit in the journal'
    if [[ $point == ref ]]; then
      [[ \$(git rev-parse HEAD) == \$new ]] || fail 'the branch should have moved before the kill'
    else
      [[ \$(git rev-parse HEAD) == \$BEFORE ]] || fail 'the branch should not have moved before the kill'
    fi
    echo notes >notes.txt
    if git add notes.txt 2>/dev/null && git commit -qm notes 2>/dev/null; then fail 'a git commit ran over the interrupted change'; fi
    desk_ok show \"\$ID\"
    expect_err_contains \"finished desk's interrupted change\"
    expect_out_contains 'killed at $point'
    [[ \$(git rev-parse HEAD) == \$new ]] || fail 'HEAD is not the interrupted change'
    [[ \$(git rev-parse HEAD~1) == \$BEFORE ]] || fail 'the change is not one commit on the old HEAD'
    rm notes.txt
    consistent
    git show HEAD:\$(ticket_path \$ID) | grep -q 'killed at $point' || fail 'the comment is not in HEAD'
    # Now the user's own commit works and keeps desk's change.
    echo notes >notes.txt && git add notes.txt && git commit -qm notes
    git show HEAD:\$(ticket_path \$ID) | grep -q 'killed at $point' || fail 'the user commit reverted the comment'
    assert_clean
  }"
done

# Killed inside the ref update (libgit2 had created the branch's lock file, empty or holding the
# new commit): the lock is recognised as the dead desk's and removed; the change is finished.
case_killed_inside_the_ref_update() {
  for content in empty new; do
    crash_at journal
    local new
    new=$(sed -n 's/^new //p' .git/desk-journal)
    if [[ $content == empty ]]; then : >.git/refs/heads/main.lock; else echo "$new" >.git/refs/heads/main.lock; fi
    desk_ok comment "$ID" -m "after the kill"
    expect_err_contains "finished desk's interrupted change"
    [[ $(git rev-list --count "$BEFORE..HEAD") == 2 ]] || fail "expected the finished change and the new one ($content lock)"
    [[ $(git rev-parse HEAD~1) == "$new" ]] || fail "the interrupted change is not HEAD~1 ($content lock)"
    [[ ! -e .git/refs/heads/main.lock ]] || fail "the branch lock is left ($content)"
    consistent
  done
}

# A write command after a kill finishes the old change first, then makes its own.
case_a_write_after_a_kill_finishes_first() {
  crash_at ref
  desk_ok comment "$ID" -m "next"
  expect_err_contains "finished desk's interrupted change"
  [[ $(git rev-list --count "$BEFORE..HEAD") == 2 ]] || fail "expected both comments as two commits"
  consistent
}

# The user edited the ticket file after the kill: desk finishes the index but keeps the edit.
case_a_user_edit_after_the_kill_is_kept() {
  crash_at worktree
  echo "# my own edit" >>"$(ticket_path "$ID")"
  desk_ok list
  grep -q '# my own edit' "$(ticket_path "$ID")" || fail "the user's edit was overwritten"
  [[ $(git status --porcelain) == " M $(ticket_path "$ID")" ]] || fail "status: $(git status --porcelain)"
  git diff | grep -q '^+# my own edit' || fail "git diff does not show the user's edit"
  [[ $(git diff | grep -c '^[-+][^-+]') == 1 ]] || fail "the diff should be the edit alone: $(git diff)"
}

# The lock was removed by hand and the user committed the stale index over desk's change: desk
# cannot tell intent, so it says what happened and how to restore it, and fsck reports it.
case_a_change_undone_by_a_stale_commit_is_reported() {
  crash_at journal
  rm .git/index.lock
  git commit -qm "stale index" --allow-empty
  [[ $(git rev-parse HEAD~1) == "$BEFORE" ]] || fail "expected the user's commit on the old HEAD"
  run_desk list
  expect_code 0
  expect_err_contains "was undone by a later commit"
  expect_err_contains "git checkout "
  [[ -e .git/desk-journal.undone ]] || fail "the journal should be kept for fsck"
  run_desk fsck
  expect_code 5
  expect_out_contains "desk-journal.undone: desk's change"
  expect_out_contains "git checkout "
}

# Stale locks of git's that no desk left are named, with how to remove them; nothing changes.
case_a_stale_index_lock_is_named() {
  new_desk "$TMP/desk-lock"
  new_ticket "Printer jams"
  : >.git/index.lock
  snapshot
  run_desk comment "$ID" -m hi
  expect_code 1
  expect_err_contains "git's index is locked"
  expect_err_contains "rm $PWD/.git/index.lock"
  [[ $(git rev-parse HEAD) == "$SNAP_HEAD" ]] || fail "HEAD moved"
  rm .git/index.lock
}

case_a_stale_branch_lock_is_named() {
  new_desk "$TMP/desk-reflock"
  new_ticket "Printer jams"
  : >.git/refs/heads/main.lock
  snapshot
  local t0=$SECONDS
  run_desk comment "$ID" -m hi
  expect_code 1
  expect_err_contains "the branch is locked"
  expect_err_contains "refs/heads/main.lock"
  expect_err_lacks "kept moving"
  ((SECONDS - t0 < 9)) || fail "took $((SECONDS - t0)) s to give up"
  rm .git/refs/heads/main.lock
  assert_unchanged
  desk_ok comment "$ID" -m hi
  consistent
}

run_all_cases
finish
