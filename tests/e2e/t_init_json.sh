#!/usr/bin/env bash
# desk init --json: what it did, on stdout, checked against what the system git sees; without
# --json stdout stays empty and the report goes to stderr.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case_init_json_reports_path_branch_commit_and_files() {
  run_desk init --json "$TMP/json-desk"
  expect_code 0
  expect_err_contains "created a desk in $TMP/json-desk"
  cd "$TMP/json-desk"
  git ls-tree -r --name-only HEAD >"$TMP/tree"
  py '
d = json.loads(sys.argv[1])
assert d["desk_format"] == 2, d
assert d["path"] == sys.argv[2], d["path"]
assert d["branch"] == "main", d["branch"]
assert d["commit"] == sys.argv[3], (d["commit"], sys.argv[3])
assert d["action"] == "init", d
tree = open(sys.argv[4]).read().split()
assert sorted(d["files"]) == sorted(tree), (d["files"], tree)
assert ".desk/config.toml" in d["files"] and ".gitattributes" in d["files"], d["files"]
assert sum(f.startswith(".desk/templates/") for f in d["files"]) == 7, d["files"]
' "$OUT" "$TMP/json-desk" "$(git rev-parse HEAD)" "$TMP/tree"
  assert_clean
}

case_init_json_in_an_existing_repository_keeps_its_branch() {
  git init -q -b trunk "$TMP/existing"
  cd "$TMP/existing"
  printf '*.log -diff\n' >.gitattributes
  git add .gitattributes && git commit -qm "start"
  run_desk init --json
  expect_code 0
  py '
d = json.loads(sys.argv[1])
assert d["branch"] == "trunk", d["branch"]
assert d["commit"] == sys.argv[2], d
assert ".gitattributes" in d["files"], d["files"]
' "$OUT" "$(git rev-parse HEAD)"
  [[ $(git rev-list --count HEAD) == 2 ]] || fail "expected the user's commit and init's"
}

case_init_without_json_prints_nothing_on_stdout() {
  run_desk init "$TMP/plain-desk"
  expect_code 0
  [[ -z $OUT ]] || fail "init printed on stdout without --json"
  expect_err_contains "created a desk in $TMP/plain-desk (commit "
}

case_refused_init_with_json_prints_nothing_on_stdout() {
  new_desk "$TMP/twice"
  run_desk init --json "$TMP/twice"
  expect_error 1 "already has a desk"
}

run_all_cases
finish
