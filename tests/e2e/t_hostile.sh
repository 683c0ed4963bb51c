# Hostile input stays data: terminal control sequences are stored as given but never printed,
# path-like ids and names never reach outside the desk, and a ticket file with a wrong id, or a
# symlink, is reported while every other ticket keeps working.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# fresh_desk: each case gets its own desk ($TMP/NAME-OF-CASE), with two tickets: GOOD and T.
fresh_desk() {
  new_desk "$TMP/${FUNCNAME[1]}"
  new_ticket "Ordinary ticket"
  GOOD=$ID
  new_ticket "Target of hostile comments"
  T=$ID
}

# Bait outside the desk: a valid ticket file and a template that must never be read.
BAIT_ID=bbbbbbbbbb
ticket_toml() {  # ticket_toml ID TITLE: a minimal valid ticket file (TITLE is TOML string text)
  cat <<EOF
format = 1
id = "$1"
title = "$2"
status = "open"
tier = "L1"
priority = "P3"
type = "incident"
requester = "Mallory <mallory@example.com>"
created = 2026-11-23T08:00:00Z
updated = 2026-11-23T08:00:00Z

[[history]]
id = "hhhhhhhhhh"
at = 2026-11-23T08:00:00Z
by = "Mallory <mallory@example.com>"
action = "create"
to = "L1"
status = "open"
EOF
}
ticket_toml "$BAIT_ID" "BAIT-OUTSIDE" >"$TMP/bait.toml"
cp "$TMP/bait.toml" "$TMP/bait.before"
printf 'title = "BAIT-TEMPLATE"\ntype = "incident"\n' >"$TMP/bait-template.toml"
mkdir -p "$TMP/etc" && cp "$TMP/bait.toml" "$TMP/etc/passwd"

# no_control_bytes FILE WHAT: FILE holds no ESC, BEL, CR, C1 CSI or other C0 control byte.
no_control_bytes() {
  py 'data = open(sys.argv[1], "rb").read()
bad = sorted({hex(b) for b in data if (b < 0x20 and b not in (0x0a, 0x09)) or b == 0x7f})
assert not bad and b"\xc2\x9b" not in data, sys.argv[2] + " prints control bytes " + str(bad)' "$1" "$2"
}

case_escape_sequences_in_a_comment() {
  fresh_desk
  local text=$'red \e[31mRED\e[0m, link \e]8;;http://evil.example/\e\\click\e]8;;\e\\, bell\a, title \e]0;pwned\a, c1 \xc2\x9b2J, cr ok\rEVIL, end'
  snapshot
  desk_ok comment "$T" -m "$text"
  assert_desk_commit "$T" comment
  # Stored as given: the file is data, TOML-escaped.
  py 't = tomllib.load(open(sys.argv[1], "rb")); got = t["history"][-1]["text"]
assert "\x1b" in got and "\x07" in got, repr(got)
assert got == sys.argv[2], (got, sys.argv[2])' "$(ticket_path "$T")" "$text"
  py 'data = open(sys.argv[1], "rb").read(); assert b"\x1b" not in data and b"\x07" not in data, "raw control bytes in the TOML file"' \
    "$(ticket_path "$T")"
  # Printed without them, visible text kept.
  desk_ok show "$T"
  no_control_bytes "$OUT_FILE" "desk show"
  expect_out_contains "RED"
  expect_out_contains "click"
  expect_out_contains "end"
  run_desk --color always show "$T"
  expect_code 0
  py 'data = open(sys.argv[1], "rb").read()
assert b"\x1b[31m" not in data and b"\x1b]" not in data and b"\x07" not in data, "hostile sequences printed with --color always"' "$OUT_FILE"
  desk_ok log "$T"
  no_control_bytes "$OUT_FILE" "desk log"
  # JSON keeps the data, escaped.
  desk_ok show "$T" --json
  py 'data = open(sys.argv[1], "rb").read(); assert not [b for b in data if b < 0x20 and b != 0x0a], "raw C0 bytes in JSON"' "$OUT_FILE"
  py 'd = json.load(open(sys.argv[1])); assert d["history"][-1]["text"] == sys.argv[2], repr(d["history"][-1]["text"])' \
    "$OUT_FILE" "$text"
}

case_escape_sequences_in_a_pushed_ticket() {
  fresh_desk
  # Someone else's push: a ticket whose title, requester and tags carry escapes, and a commit
  # message with escapes that desk log shows.
  local id=cccccccccc
  mkdir -p tickets/cc
  ticket_toml "$id" '\u001b]0;pwned\u0007Evil \u001b[2Jtitle' | sed 's/^type = .*/&\ntags = ["\\u001b[5mblink"]/' >"tickets/cc/$id.toml"
  git add tickets/cc
  git commit -qm $'pushed \e[31mred\e[0m ticket' -m "Desk-Ticket: $id" -m "Desk-Action: comment"
  desk_ok list --all
  no_control_bytes "$OUT_FILE" "desk list"
  expect_out_contains "Evil title"
  desk_ok show "$id"
  no_control_bytes "$OUT_FILE" "desk show"
  expect_out_contains "Evil title"
  desk_ok log
  no_control_bytes "$OUT_FILE" "desk log"
  run_desk show $'\e[31mzz'
  expect_code 3
  no_control_bytes "$ERR_FILE" "an error message"
}

case_path_like_ids() {
  fresh_desk
  local id
  for id in '../../etc/passwd' '../bait' '../../bait' "$TMP/bait" '/etc/passwd' '..' '.' '' 'tickets/bb/bbbbbbbbbb' \
    "${GOOD:0:2}/../.." "$GOOD/" "$GOOD.toml" '%2e%2e%2fbait' $'bb\nbb' '~' "$(printf 'a%.0s' {1..300})"; do
    snapshot
    run_desk show "$id"
    [[ $CODE == 3 || $CODE == 2 ]] || fail "show '$id': exit $CODE, expected not found (3) or usage (2)"
    expect_out_lacks "BAIT"
    expect_err_lacks "BAIT"
    [[ -z $OUT ]] || fail "show '$id' printed on stdout"
    run_desk comment "$id" -m "hello"
    [[ $CODE == 3 || $CODE == 2 ]] || fail "comment '$id': exit $CODE"
    assert_unchanged
  done
  cmp -s "$TMP/bait.toml" "$TMP/bait.before" || fail "the bait outside the desk changed"
  run_desk show '../../etc/passwd'
  expect_error 3 "is not a ticket id"
}

case_path_like_template_names() {
  fresh_desk
  local name
  for name in '../../bait-template' '../../../bait-template' "$TMP/bait-template" '../templates/../../../bait-template'; do
    snapshot
    run_desk new -t "$name" "Hostile template"
    ((CODE != 0)) || fail "new -t '$name' succeeded"
    expect_err_lacks "BAIT"
    assert_unchanged
  done
}

case_ticket_file_with_a_mismatched_id() {
  fresh_desk
  # tickets/dd/dddddddddd.toml says it is eeeeeeeeee: reported, never written under another name.
  local path=tickets/dd/dddddddddd.toml
  mkdir -p tickets/dd
  ticket_toml eeeeeeeeee "Mismatched" >"$path"
  git add "$path" && git commit -qm "a file with the wrong id"
  desk_ok list --all
  expect_out_contains "Ordinary ticket"
  expect_err_contains "$path"
  expect_err_contains "does not match"
  desk_ok list --all --json
  py 'd = json.load(open(sys.argv[1]))
assert [p["path"] for p in d["problems"]] == [sys.argv[2]], d["problems"]
assert "eeeeeeeeee" not in [t["id"] for t in d["tickets"]] and "dddddddddd" not in [t["id"] for t in d["tickets"]], "the mismatched ticket is listed"' \
    "$OUT_FILE" "$path"
  snapshot
  run_desk comment dddddddddd -m "hello"
  [[ -z $(git ls-tree -r --name-only HEAD tickets/ee) && ! -e tickets/ee ]] || fail "desk wrote tickets/ee/eeeeeeeeee.toml for a file named dddddddddd"
  expect_error 1 "$path"
  assert_unchanged
  run_desk show dddddddddd
  expect_error 1 "$path"
  # The others keep working.
  snapshot
  desk_ok comment "$GOOD" -m "still fine"
  assert_desk_commit "$GOOD" comment
}

case_ticket_file_impersonating_another() {
  fresh_desk
  # tickets/ff/ffffffffff.toml claims to be $GOOD: a write must not replace $GOOD's file.
  local path=tickets/ff/ffffffffff.toml good_file
  good_file=$(ticket_path "$GOOD")
  cp "$good_file" "$TMP/good.before"
  mkdir -p tickets/ff
  ticket_toml "$GOOD" "Impostor" >"$path"
  git add "$path" && git commit -qm "an impostor"
  snapshot
  run_desk comment ffffffffff -m "hello"
  expect_error 1 "$path"
  assert_unchanged
  cmp -s "$good_file" "$TMP/good.before" || fail "$good_file was overwritten"
  desk_ok show "$GOOD"
  expect_out_contains "Ordinary ticket"
}

case_symlinked_ticket_file() {
  fresh_desk
  # A committed symlink in tickets/ pointing outside: never followed, for reading or writing.
  mkdir -p tickets/gg
  ln -s "$TMP/bait.toml" tickets/gg/gggggggggg.toml
  git add tickets/gg && git commit -qm "a symlink"
  run_desk list --all
  expect_code 0
  expect_out_lacks "BAIT"
  expect_out_contains "Ordinary ticket"
  snapshot
  run_desk show gggggggggg
  ((CODE != 0)) || fail "show of a symlinked ticket succeeded"
  expect_out_lacks "BAIT"
  run_desk comment gggggggggg -m "hello"
  ((CODE != 0)) || fail "comment on a symlinked ticket succeeded"
  assert_unchanged
  cmp -s "$TMP/bait.toml" "$TMP/bait.before" || fail "desk wrote through the symlink"
}

case_ticket_and_config_nested_without_end() {
  fresh_desk
  # 300,000 levels of [x.x.x...] (600 KB): toml++ builds that without limit, and tearing it down
  # overflowed the stack. Reported with its path, line and column; the other tickets keep working.
  local path=tickets/dd/dddddddddd.toml
  mkdir -p tickets/dd
  { ticket_toml dddddddddd "Deep"; "$PY" -c 'import sys; sys.stdout.write("[" + ".".join(["x"] * 300000) + "]\nk = 1\n")'; } >"$path"
  git add "$path" && git commit -qm "a ticket nested without end"
  desk_ok list --all
  expect_out_contains "Ordinary ticket"
  expect_err_contains "$path:19:129:"
  expect_err_contains "nested more than 64 levels deep"
  run_desk show dddddddddd
  expect_error 1 "$path:19:129:" "nested more than 64 levels deep"
  run_desk fsck
  expect_code 5
  expect_out_contains "$path:19:129:"
  snapshot
  desk_ok comment "$GOOD" -m "still fine"
  assert_desk_commit "$GOOD" comment
  # The same in the config: every command refuses with the place, nothing is written.
  "$PY" -c 'import sys; sys.stdout.write("x = " + "{ a = " * 200 + "1" + " }" * 200 + "\n")' >>.desk/config.toml
  git commit -qam "a config nested too deep"
  snapshot
  run_desk comment "$GOOD" -m "refused"
  expect_error 1 ".desk/config.toml:" "nested more than 64 levels deep"
  assert_unchanged
}

run_all_cases
finish
