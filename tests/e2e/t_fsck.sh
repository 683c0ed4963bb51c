#!/usr/bin/env bash
# desk fsck: a sound desk passes; conflict markers (committed, or left in the working tree by a
# merge without desk's driver), broken TOML, a misplaced file and a duplicated history id are
# each reported with path (and line where there is one) and exit code 5; other tickets keep working.
source "$(dirname "$0")/lib.sh"

setup() {
  new_desk "$TMP/${FUNCNAME[1]}"
  new_ticket "First"; A=$ID
  new_ticket "Second"; B=$ID
}

case_sound_desk() {
  setup
  run_desk fsck
  expect_code 0
  expect_err_contains "sound"
  [ -z "$OUT" ] || fail "fsck printed problems for a sound desk: $OUT"
}

case_committed_conflict_markers() {
  setup
  f="tickets/${A:0:2}/$A.toml"
  printf '<<<<<<< ours\ntitle = "x"\n=======\ntitle = "y"\n>>>>>>> theirs\n' >> "$f"
  git add "$f" && git commit -qm "bad merge"
  run_desk fsck
  expect_code 5
  expect_out_contains "$f:"
  expect_out_contains "conflict marker"
  run_desk list
  expect_code 0
  expect_out_contains "Second"
  expect_err_contains "$f"
  run_desk fsck --json
  expect_code 5
  py 'import json,sys; d=json.loads(sys.argv[1]); assert d["problems"][0]["line"] > 0, d' "$OUT"
}

case_markers_in_working_tree() {
  setup
  f="tickets/${B:0:2}/$B.toml"
  printf '>>>>>>> theirs\n' >> "$f"
  run_desk fsck
  expect_code 5
  expect_out_contains "$f:"
  expect_out_contains "working tree"
}

case_broken_toml_and_misplaced_file() {
  setup
  mkdir -p tickets/zz
  printf 'id = "unterminated\n' > tickets/zz/zzzzzzzzzz.toml
  cp "tickets/${A:0:2}/$A.toml" "tickets/${B:0:2}/notaticket.toml"
  git add tickets && git commit -qm "damage"
  run_desk fsck
  expect_code 5
  expect_out_contains "tickets/zz/zzzzzzzzzz.toml:1:"
  expect_out_contains "notaticket.toml: not a ticket file name"
}

case_duplicate_history_id() {
  setup
  f="tickets/${A:0:2}/$A.toml"
  py 'import sys,re
p=sys.argv[1]; s=open(p).read()
first=s[s.index("[[history]]"):]
open(p,"w").write(s+"\n"+first)' "$f"
  git add "$f" && git commit -qm "dup"
  run_desk fsck
  expect_code 5
  expect_out_contains "appears twice"
}

run_all_cases
finish
