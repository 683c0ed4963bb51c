#!/usr/bin/env bash
# desk migrate: an older desk (config without `format`, hand-edited ticket files) is brought to
# the current format in one commit that keeps every ticket's content; a current desk needs
# nothing; a desk with a broken ticket or uncommitted edits is refused and left exactly as it
# was; a newer desk is refused by every command with "upgrade desk".
source "$(dirname "$0")/lib.sh"

# An "older desk": the config loses its format line, one ticket is re-written by hand in
# non-canonical (but valid) TOML, committed with plain git.
setup_old() {
  new_desk "$TMP/${FUNCNAME[1]}"
  new_ticket "First"; A=$ID
  new_ticket "Second"; B=$ID
  desk_ok comment "$A" -m "a reply"
  sed -i '/^format = /d' .desk/config.toml
  FA=$(ticket_path "$A")
  py 'import sys
p=sys.argv[1]; s=open(p).read()
# the same data, hand-written: a comment, other spacing, keys moved
s = "# edited by hand\n" + s.replace(" = ", "=")
open(p,"w").write(s)' "$FA"
  git add -A && git commit -qm "an older desk"
}

case_migrates_old_desk_in_one_commit() {
  setup_old
  git show HEAD:.desk/config.toml | grep -q '^format' && fail "setup: config still has format"
  before_a=$("$DESK" show "$A" --json | py 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d, sort_keys=True))')
  snapshot
  run_desk migrate --dry-run
  expect_code 0
  expect_out_contains "would set .desk/config.toml: format = 1"
  expect_out_contains "would rewrite $FA in canonical form"
  expect_out_lacks "$(ticket_path "$B")"
  assert_unchanged
  desk_ok migrate
  expect_out_contains "set .desk/config.toml: format = 1"
  expect_err_contains "migrate: committed"
  n=$(git rev-list --count "$SNAP_HEAD..HEAD")
  [[ $n == 1 ]] || fail "expected one commit, got $n"
  files=$(git show --name-only --format= HEAD | sort | tr '\n' ' ')
  [[ $files == ".desk/config.toml $FA " ]] || fail "the commit touches '$files'"
  [[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)') == migrate ]] || fail "no migrate trailer"
  git show HEAD:.desk/config.toml | grep -qx 'format = 1' || fail "config has no format line"
  # the rest of the hand-written config is kept: its first comment line is still the first line
  [[ $(git show HEAD:.desk/config.toml | head -1) == "# desk configuration."* ]] || fail "the config's leading comment moved"
  git show HEAD:"$FA" | grep -q "edited by hand" && fail "the ticket was not rewritten"
  after_a=$("$DESK" show "$A" --json | py 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d, sort_keys=True))')
  [[ $before_a == "$after_a" ]] || fail "the ticket's content changed: $before_a vs $after_a"
  assert_clean
  desk_ok fsck
  # twice is safe: nothing to do, no commit
  snapshot
  desk_ok migrate
  expect_err_contains "nothing to do"
  assert_unchanged
  run_desk migrate --json
  expect_code 0
  py 'import json,sys; d=json.loads(sys.argv[1]); assert d["commit"] is None and d["files"] == [] and d["from_format"] == 1 and d["to_format"] == 1, d' "$OUT"
}

case_json_report() {
  setup_old
  desk_ok migrate --json
  py 'import json,sys; d=json.loads(sys.argv[1])
assert d["from_format"] is None and d["to_format"] == 1 and d["config_changed"] is True, d
assert d["tickets_checked"] == 2 and len(d["commit"]) == 40, d
assert sorted(d["files"]) == sorted([".desk/config.toml", sys.argv[2]]), d' "$OUT" "$FA"
}

case_broken_ticket_refuses() {
  setup_old
  printf 'title = \n' >> "$(ticket_path "$B")"
  git commit -qam "broken"
  snapshot
  run_desk migrate
  expect_error 1 "$(ticket_path "$B"):" "not migrated" "desk fsck"
  assert_unchanged
}

case_uncommitted_edit_refuses() {
  setup_old
  printf '# mine\n' >> "$FA"
  snapshot
  run_desk migrate
  expect_code 1
  expect_err_contains "$FA"
  assert_unchanged
  grep -q '# mine' "$FA" || fail "the user's edit was lost"
}

case_newer_desk_is_refused() {
  new_desk "$TMP/newer"
  new_ticket "First"
  sed -i 's/^format = 1$/format = 2/' .desk/config.toml
  git commit -qam "from the future"
  snapshot
  for cmd in "list" "migrate" "show $ID" "comment $ID -m x"; do
    # shellcheck disable=SC2086
    run_desk $cmd
    expect_error 1 "format 2" "upgrade desk"
  done
  assert_unchanged
}

run_all_cases
finish
