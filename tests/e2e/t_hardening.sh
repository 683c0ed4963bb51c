# What a hostile tester found (issue 11), each fixed with a case that failed before: a sweep that
# one hand-edited ticket used to stop, a push refused by a server hook reported as "others keep
# pushing", DESK_NOW outside what git can record, a committed `tickets` symlink fsck called sound,
# an unknown tier without a line.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case_sweep_leaves_a_hand_edited_ticket_alone_and_sweeps_the_rest() {
  new_desk "$TMP/sweep"
  new_ticket "Edited by hand"
  local a=$ID
  new_ticket "Left to the sweep"
  local b=$ID
  echo "# a note of mine" >>"$(ticket_path "$a")"
  DESK_NOW=2026-11-23T11:00:00Z run_desk sweep --dry-run
  expect_code 0
  expect_err_contains "would leave $(ticket_path "$a") alone: it has uncommitted changes"
  expect_out_contains "would escalate $b"
  expect_out_lacks "$a"
  snapshot
  DESK_NOW=2026-11-23T11:00:00Z run_desk sweep --json
  expect_code 0
  expect_err_contains "left $(ticket_path "$a") alone"
  py 'd = json.load(open(sys.argv[1])); assert [e["id"] for e in d["escalated"]] == [sys.argv[2]], d; assert d["skipped"] == [sys.argv[3]], d' \
    "$OUT_FILE" "$b" "$(ticket_path "$a")"
  [[ $(git show --name-only --format= HEAD) == "$(ticket_path "$b")" ]] || fail "the sweep commit touches $(git show --name-only --format= HEAD)"
  grep -q '# a note of mine' "$(ticket_path "$a")" || fail "the hand edit is gone"
  [[ $(git status --porcelain) == " M $(ticket_path "$a")" ]] || fail "status: $(git status --porcelain)"
}

case_a_push_refused_by_a_hook_says_what_the_server_said() {
  git init -q --bare "$TMP/hooked.git"
  printf '#!/bin/sh\necho "policy: tickets need a reviewer" >&2\nexit 1\n' >"$TMP/hooked.git/hooks/pre-receive"
  chmod +x "$TMP/hooked.git/hooks/pre-receive"
  new_desk "$TMP/pusher"
  git remote add origin "$TMP/hooked.git"
  new_ticket "Needs review"
  local t0=$SECONDS
  run_desk sync
  expect_code 1
  expect_err_contains "the server said: policy: tickets need a reviewer"
  expect_err_lacks "others keep pushing"
  expect_err_contains "your commits are safe locally"
  ((SECONDS - t0 < 10)) || fail "took $((SECONDS - t0)) s: it retried a refusal that cannot change"
}

case_desk_now_outside_what_git_can_record_is_refused() {
  new_desk "$TMP/now"
  snapshot
  for when in 0001-01-01T00:00:00Z 1969-12-31T23:59:59Z 2106-02-07T06:28:16Z 9999-01-01T00:00:00Z; do
    DESK_NOW=$when run_desk new "Time travel"
    expect_code 2
    expect_err_contains "outside 1970-2106"
  done
  assert_unchanged
  DESK_NOW=2106-02-07T06:28:15Z run_desk new "Last second"
  expect_code 0
  [[ $(git log -1 --format=%at) == 4294967295 ]] || fail "commit time $(git log -1 --format=%at)"
}

case_fsck_reports_a_committed_tickets_symlink() {
  new_desk "$TMP/link"
  new_ticket "Hidden by a link"
  mkdir -p "$TMP/elsewhere"
  git mv tickets "$TMP/elsewhere/" 2>/dev/null || mv tickets "$TMP/elsewhere/"
  git rm -rq --cached tickets 2>/dev/null || true
  ln -s "$TMP/elsewhere/tickets" tickets
  git add tickets && git commit -qm "tickets as a link"
  run_desk fsck
  expect_code 5
  expect_out_contains "tickets: committed as a symbolic link instead of a directory"
}

case_fsck_names_the_line_of_an_unknown_tier() {
  new_desk "$TMP/tier"
  new_ticket "Odd tier"
  sed -i 's/^tier = "L1"$/tier = "L9"/' "$(ticket_path "$ID")"
  git commit -qam "hand edit"
  run_desk fsck
  expect_code 5
  local line
  line=$(grep -n '^tier = ' "$(ticket_path "$ID")" | cut -d: -f1)
  expect_out_contains "$(ticket_path "$ID"):$line: unknown tier 'L9'"
}

case_a_desk_written_by_a_newer_desk_is_refused_untouched() {
  new_desk "$TMP/newer"
  new_ticket "From the future"
  sed -i 's/^format = 1$/format = 2/' .desk/config.toml
  git commit -qam "a newer desk"
  snapshot
  for cmd in "list" "comment $ID -m hi" "sweep" "show $ID"; do
    # shellcheck disable=SC2086
    run_desk $cmd
    expect_code 1
    expect_err_contains "this desk is format 2, written by a newer desk"
    expect_err_contains "upgrade desk"
  done
  assert_unchanged
  # A ticket file of a newer format is refused the same way, and never rewritten.
  new_desk "$TMP/newer-ticket"
  new_ticket "Newer file"
  sed -i 's/^format = 1$/format = 2/' "$(ticket_path "$ID")"
  git commit -qam "a newer ticket"
  snapshot
  run_desk comment "$ID" -m hi
  expect_code 1
  expect_err_contains "upgrade desk"
  assert_unchanged
}

run_all_cases
finish
