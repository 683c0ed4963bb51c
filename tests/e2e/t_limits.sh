# Size limits (desk-ticket(5), LIMITS): a text over 1 MiB, a ticket file over 4 MiB, more than
# 10,000 history entries and unknown keys nested deeper than 16 levels are refused with a clear
# error and the desk as it was, or reported as problems when they arrive in a push, while every
# other ticket keeps working; and a ticket of dotted keys no longer grows when desk rewrites it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MiB=$((1 << 20))

fresh_desk() {
  new_desk "$TMP/${FUNCNAME[1]}"
  new_ticket "Ordinary ticket"
  GOOD=$ID
  new_ticket "Target"
  T=$ID
}

# timed_desk ARGS...: run_desk under /usr/bin/time; sets RSS_KB (peak resident set) and SECS.
timed_desk() {
  LAST_CMD="desk $(printf '%q ' "$@")"
  CODE=0
  /usr/bin/time -f '%M %e' -o "$TMP/time" timeout 60 "$DESK" "$@" >"$OUT_FILE" 2>"$ERR_FILE" || CODE=$?
  OUT=$(<"$OUT_FILE")
  ERR=$(<"$ERR_FILE")
  read -r RSS_KB SECS < <(tail -n 1 "$TMP/time")
}

# commit_file PATH: commits a file written by hand, as a push would bring it.
commit_file() {
  git add "$1" && git commit -qm "by hand: $1"
}

case_comment_from_dev_zero_fails_fast_in_bounded_memory() {
  fresh_desk
  snapshot
  timed_desk comment "$T" -F /dev/zero
  expect_error 1 "over 1.0 MiB" "hint:"
  ((RSS_KB < 100000)) || fail "desk comment -F /dev/zero peaked at $RSS_KB KB (limit 100 MB)"
  [[ ${SECS%.*} -lt 5 ]] || fail "desk comment -F /dev/zero took $SECS s"
  echo "     comment -F /dev/zero: exit $CODE, peak RSS $RSS_KB KB, $SECS s"
  assert_unchanged
  timed_desk comment "$T" -F - </dev/zero
  expect_error 1 "over 1.0 MiB"
  ((RSS_KB < 100000)) || fail "desk comment -F - </dev/zero peaked at $RSS_KB KB"
  assert_unchanged
  timed_desk new "From zero" -F /dev/zero
  expect_error 1 "over 1.0 MiB"
  ((RSS_KB < 100000)) || fail "desk new -F /dev/zero peaked at $RSS_KB KB"
  timed_desk kb new "Zero article" -F /dev/zero
  expect_error 1 "over 1.0 MiB"
  ((RSS_KB < 100000)) || fail "desk kb new -F /dev/zero peaked at $RSS_KB KB"
  assert_unchanged
}

case_a_text_may_be_one_mebibyte() {
  fresh_desk
  head -c $((MiB - 1)) /dev/zero | tr '\0' 'a' >"$TMP/max.txt"
  printf 'b' >>"$TMP/max.txt"
  cp "$TMP/max.txt" "$TMP/over.txt"
  printf 'c' >>"$TMP/over.txt"
  local cmd
  for cmd in "comment $T" "comment $T --internal" "escalate $T" "resolve $T"; do
    snapshot
    # shellcheck disable=SC2086
    run_desk $cmd -F "$TMP/over.txt"
    expect_error 1 "over 1.0 MiB"
    assert_unchanged
  done
  snapshot
  desk_ok comment "$T" -F "$TMP/max.txt"
  assert_desk_commit "$T" comment
  py 't = tomllib.load(open(sys.argv[1], "rb")); assert len(t["history"][-1]["text"]) == 1 << 20' "$(ticket_path "$T")"
}

case_a_ticket_file_may_be_four_mebibytes() {
  fresh_desk
  head -c $((MiB - 100)) /dev/zero | tr '\0' 'x' >"$TMP/big.txt"
  local i
  for i in 1 2 3; do desk_ok comment "$T" -F "$TMP/big.txt"; done
  snapshot
  run_desk comment "$T" -F "$TMP/big.txt"
  expect_error 1 "$(ticket_path "$T") would be" "over the 4.0 MiB a ticket or article file may be" "hint:"
  assert_unchanged
  desk_ok comment "$T" -m "a short one still fits"
}

case_an_oversized_ticket_file_is_a_problem_not_a_crash() {
  fresh_desk
  local id=aaaaaaaaaa path=tickets/aa/aaaaaaaaaa.toml
  mkdir -p tickets/aa
  py 'open(sys.argv[1], "w").write("""format = 1
id = "aaaaaaaaaa"
title = "Huge"
status = "open"
created = 2026-11-23T08:00:00Z
description = "%s"

[[history]]
id = "hhhhhhhhhh"
at = 2026-11-23T08:00:00Z
by = "M <m@example.com>"
action = "create"
""" % ("x" * (5 << 20)))' "$path"
  commit_file "$path"
  timed_desk list --all
  expect_code 0
  expect_out_contains "Ordinary ticket"
  expect_err_contains "$path: the file is 5.0 MiB, over the 4.0 MiB"
  ((RSS_KB < 100000)) || fail "list --all with a 5 MiB ticket peaked at $RSS_KB KB"
  run_desk show "$id"
  expect_error 1 "$path: the file is 5.0 MiB"
  snapshot
  run_desk comment "$id" -m "hello"
  expect_error 1 "$path: the file is 5.0 MiB"
  assert_unchanged
  run_desk fsck
  expect_code 5
  expect_out_contains "$path: the file is 5.0 MiB"
  desk_ok export --json
  expect_err_contains "not exported: $path"
  desk_ok comment "$GOOD" -m "the others keep working"
}

case_a_dotted_key_ticket_stays_small() {
  fresh_desk
  # Many chains of dotted keys 15 levels deep (within the limit) with long names: a header at
  # every level would repeat each path 15 times.
  local path size_before size_after
  path=$(ticket_path "$T")
  py 'path = sys.argv[1]
text = open(path).read()
head, sep, rest = text.partition("\n[")
seg = ".".join("segment%02d" % i for i in range(14))
keys = "".join("x%03d.%s.leaf = %d\n" % (i, seg, i) for i in range(140))
open(path, "w").write(head.rstrip("\n") + "\n" + keys + sep + rest)' "$path"
  commit_file "$path"
  size_before=$(stat -c %s "$path")
  ((size_before > 20000)) || fail "the hand-made ticket is only $size_before bytes"
  desk_ok comment "$T" -m "one comment"
  size_after=$(stat -c %s "$path")
  echo "     dotted keys: $size_before bytes by hand, $size_after bytes after a comment"
  ((size_after < size_before * 3 / 2)) || fail "the ticket grew from $size_before to $size_after bytes after one comment"
  py 't = tomllib.load(open(sys.argv[1], "rb"))
node = t["x007"]
for i in range(14): node = node["segment%02d" % i]
assert node["leaf"] == 7, node' "$path"
  timed_desk list --all
  expect_code 0
  expect_out_contains "Target"
  # Rewriting it again changes nothing above the history: the form is canonical.
  cp "$path" "$TMP/once"
  desk_ok comment "$T" -m "another"
  py 'a = open(sys.argv[1]).read().split("\n[[history]]")[0]; b = open(sys.argv[2]).read().split("\n[[history]]")[0]
assert a == b, "the keys were rewritten differently the second time"' "$TMP/once" "$path"
}

case_thousands_deep_dotted_keys_are_a_problem() {
  fresh_desk
  # A 20 KB ticket whose one key is 10,000 levels deep: it once became a 100 MB file after one
  # comment. Now it is a problem, reported with its path, and nothing else slows down.
  local path
  path=$(ticket_path "$T")
  py 'path = sys.argv[1]
text = open(path).read()
head, sep, rest = text.partition("\n[")
open(path, "w").write(head.rstrip("\n") + "\n" + ".".join(["a"] * 10000) + " = 1\n" + sep + rest)' "$path"
  commit_file "$path"
  timed_desk list --all
  expect_code 0
  expect_out_contains "Ordinary ticket"
  expect_err_contains "$path"
  expect_err_contains "levels deep"
  [[ ${SECS%.*} -lt 3 ]] || fail "list --all took $SECS s"
  echo "     10,000-deep dotted key: list --all in $SECS s, peak RSS $RSS_KB KB"
  snapshot
  timed_desk comment "$T" -m "hello"
  expect_error 1 "$path" "levels deep"
  assert_unchanged
  [[ $(stat -c %s "$path") -lt 30000 ]] || fail "the file grew"
  run_desk fsck
  expect_code 5
  expect_out_contains "levels deep"
}

case_unknown_keys_nest_at_most_sixteen_levels() {
  fresh_desk
  local path
  path=$(ticket_path "$T")
  cp "$path" "$TMP/orig"
  # 16 levels: kept; 17: a problem. Inline tables and arrays count as levels too.
  py 'path, src = sys.argv[1], sys.argv[2]
text = open(src).read()
head, sep, rest = text.partition("\n[")
open(path, "w").write(head.rstrip("\n") + "\nx." + ".".join(["k"] * 16) + " = 1\n" + sep + rest)' "$path" "$TMP/orig"
  commit_file "$path"
  desk_ok comment "$T" -m "16 levels are fine"
  desk_ok fsck
  py 'path, src = sys.argv[1], sys.argv[2]
text = open(src).read()
head, sep, rest = text.partition("\n[")
open(path, "w").write(head.rstrip("\n") + "\ny = " + "[" * 17 + "1" + "]" * 17 + "\n" + sep + rest)' "$path" "$path"
  commit_file "$path"
  run_desk fsck
  expect_code 5
  expect_out_contains "y nests tables or arrays more than 16 levels deep"
}

case_history_has_room_for_ten_thousand_entries() {
  fresh_desk
  local path
  path=$(ticket_path "$T")
  # Fill the ticket's history by hand up to the limit.
  py 'path = sys.argv[1]
text = open(path).read().rstrip("\n")
n = len(text.split("[[history]]")) - 1
entries = "".join("\n\n[[history]]\nid = \"%s\"\nat = 2026-11-23T08:30:00Z\nby = \"Bo <bo@example.com>\"\naction = \"comment\"\ninternal = true\ntext = \"note %d\"" % ("n%09d" % i, i) for i in range(10000 - n))
open(path, "w").write(text + entries + "\n")' "$path"
  commit_file "$path"
  desk_ok fsck
  snapshot
  run_desk comment "$T" -m "one too many"
  expect_error 1 "10000 history entries" "resolve or close it"
  assert_unchanged
  run_desk assign "$T" bo
  expect_error 1 "10000 history entries"
  assert_unchanged
  # It can still be finished.
  desk_ok resolve "$T" -m "done"
  desk_ok close "$T"
  run_desk fsck
  expect_code 5
  expect_out_contains "10002 history entries, over the 10000"
  desk_ok list --all
  expect_out_contains "Target"
}

case_import_refuses_records_over_the_limits() {
  fresh_desk
  head -c $((MiB + 1)) /dev/zero | tr '\0' 'x' >"$TMP/long.txt"
  py 'import csv
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["title", "description"])
w.writerow(["fine", "short"])
w.writerow(["too long", open(sys.argv[1]).read()])' "$TMP/long.txt" "$TMP/long.csv"
  snapshot
  run_desk import "$TMP/long.csv"
  expect_error 1 "long.csv:3: the description is over 1.0 MiB" "nothing was imported"
  assert_unchanged
}

run_all_cases
finish
