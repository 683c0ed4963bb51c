#!/usr/bin/env bash
# Config and templates merge key by key through desk's driver: edits to different keys on two
# clones merge (comments kept); the same key changed differently is a clear conflict naming the
# file and key, and desk sync leaves the clone exactly as it was.
source "$(dirname "$0")/lib.sh"

two_clones() {
  git init -q --bare -b main "$TMP/$1.git"
  new_desk "$TMP/$1-a"
  git remote add origin "$TMP/$1.git"
  desk_ok sync
  git branch -q -u origin/main
  git clone -q "$TMP/$1.git" "$TMP/$1-b"
  (cd "$TMP/$1-b" && "$DESK" list >/dev/null 2>&1)  # any desk command registers the driver
}

case_different_keys_merge() {
  two_clones diff
  sed -i 's/^name = "Help desk"/name = "Ada desk"/' .desk/config.toml
  git commit -qam "rename the desk"
  desk_ok sync
  cd "$TMP/diff-b"
  sed -i 's/^default_priority = "P3"/default_priority = "P4"/' .desk/config.toml
  sed -i 's/^priority = "P4"/priority = "P3"/' .desk/templates/password-reset.toml
  git commit -qam "defaults"
  desk_ok sync
  grep -q '^name = "Ada desk"' .desk/config.toml || fail "the other clone's rename is missing"
  grep -q '^default_priority = "P4"' .desk/config.toml || fail "our change is missing"
  grep -q '^# desk configuration' .desk/config.toml || fail "comments were lost"
  grep -q '^priority = "P3"' .desk/templates/password-reset.toml || fail "template change lost"
  desk_ok new "still works" --template password-reset
  assert_clean
}

case_same_key_conflict_is_named_and_nothing_changes() {
  two_clones same
  sed -i 's/^default_type = "incident"/default_type = "question"/' .desk/config.toml
  git commit -qam "questions"
  desk_ok sync
  cd "$TMP/same-b"
  sed -i 's/^default_type = "incident"/default_type = "change"/' .desk/config.toml
  git commit -qam "changes"
  snapshot
  run_desk sync
  expect_code 1
  expect_err_contains ".desk/config.toml"
  expect_err_contains "default_type"
  assert_unchanged
  [ ! -f .git/MERGE_HEAD ] || fail "a merge was left in progress"
}

run_all_cases
finish
