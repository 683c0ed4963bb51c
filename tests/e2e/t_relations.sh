# Relations between tickets with the built binary: link --related (both tickets, one commit),
# --parent, --problem and --remove; new --problem; show and show --json on both sides;
# resolve --resolve-incidents (every file in one commit); list --problem; refusals that leave the
# desk exactly as it was; two clones linking the same ticket concurrently merge keeping both.
# The system git checks what landed after every write.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# landed ACTION FILES...: one commit since the snapshot, on the previous HEAD, touching exactly
# FILES, with Desk-Action ACTION and a Desk-Ticket trailer per file, the identity and DESK_NOW;
# clean tree; git fsck passes.
landed() {
  local action=$1 n files v
  shift
  n=$(git rev-list --count "$SNAP_HEAD..HEAD")
  [[ $n == 1 ]] || fail "expected exactly one new commit, got $n"
  [[ $(git rev-parse HEAD^) == "$SNAP_HEAD" ]] || fail "the new commit's parent is not the previous HEAD"
  files=$(git show --name-only --format= HEAD)
  [[ $files == "$(printf '%s\n' "$@" | sort)" ]] || fail "the commit touches '$files', expected '$*'"
  v=$(git log -1 --format='%(trailers:key=Desk-Action,valueonly)' | sed '/^$/d')
  [[ $v == "$action" ]] || fail "Desk-Action trailer is '$v', expected $action"
  v=$(git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)' | sed '/^$/d' | wc -l)
  [[ $v == $# ]] || fail "$v Desk-Ticket trailers for $# files"
  v=$(git log -1 --format='%an <%ae> %at')
  [[ $v == "$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL> $DESK_NOW_EPOCH" ]] || fail "author and date: '$v'"
  assert_clean
  git fsck --no-progress >/dev/null 2>&1 || fail "git fsck failed"
}

# as NAME: the next commands act as that person.
as() {
  export GIT_AUTHOR_NAME="Agent ${1^}" GIT_AUTHOR_EMAIL="$1@example.com"
  export GIT_COMMITTER_NAME="Agent ${1^}" GIT_COMMITTER_EMAIL="$1@example.com"
}

# refused CODE TEXT ARGS...: desk ARGS fails with CODE saying TEXT, and nothing changed.
refused() {
  local code=$1 text=$2
  shift 2
  snapshot
  run_desk "$@"
  expect_error "$code" "$text"
  assert_unchanged
}

case_related_is_written_on_both_tickets_in_one_commit() {
  new_desk "$TMP/related"
  new_ticket "VPN drops" --no-suggest
  A=$ID
  new_ticket "VPN slow" --no-suggest
  B=$ID
  as bo
  snapshot
  desk_ok link "${A:0:5}" --related "${B:0:5}"
  landed link "$(ticket_path "$A")" "$(ticket_path "$B")"
  [[ $(git log -1 --format=%s) == "link ${A:0:6} related ${B:0:6}: VPN drops" ]] || fail "subject: $(git log -1 --format=%s)"
  py '
import sys
a = tomllib.load(open(sys.argv[1], "rb")); b = tomllib.load(open(sys.argv[2], "rb"))
assert a["related"] == [sys.argv[4]] and b["related"] == [sys.argv[3]], (a.get("related"), b.get("related"))
for t, other in ((a, sys.argv[4]), (b, sys.argv[3])):
    e = t["history"][-1]
    assert (e["action"], e["to"], e["by"]) == ("link", "related/" + other, "Agent Bo <bo@example.com>"), e' \
    "$(ticket_path "$A")" "$(ticket_path "$B")" "$A" "$B"
  desk_ok show "$B" --no-suggest
  expect_out_contains "related    $A (new) VPN drops"
  desk_ok show "$A" --json
  py 'd = json.load(open(sys.argv[1])); assert d["related"] == [sys.argv[2]] and d["relations"]["related"] == [sys.argv[2]], d' "$OUT_FILE" "$B"

  refused 1 "already related" link "$B" --related "$A"
  refused 1 "cannot be related to itself" link "$A" --related "$A"
  refused 3 "no ticket matches 'zzzzz'" link "$A" --related zzzzz
  refused 3 "is not a ticket id" link "$A" --related "../../etc/passwd"

  as cy
  snapshot
  desk_ok link "$B" --related "$A" --remove
  landed unlink "$(ticket_path "$A")" "$(ticket_path "$B")"
  ! grep -q '^related' "$(ticket_path "$A")" "$(ticket_path "$B")" || fail "related left behind"
  refused 1 "are not related" link "$B" --related "$A" --remove
}

case_parent_and_children() {
  new_desk "$TMP/parent"
  new_ticket "Office move" --no-suggest
  P=$ID
  new_ticket "Move the printers" --no-suggest
  C=$ID
  new_ticket "Move printer 2" --no-suggest
  G=$ID
  snapshot
  desk_ok link "$C" --parent "$P"
  landed link "$(ticket_path "$C")"
  snapshot
  desk_ok link "$G" --parent "$C"
  landed link "$(ticket_path "$G")"
  desk_ok show "$C" --no-suggest
  expect_out_contains "parent     $P (new) Office move"
  expect_out_contains "child      $G (new) Move printer 2"
  desk_ok show "$P" --json
  py 'd = json.load(open(sys.argv[1])); assert d["relations"]["children"] == [sys.argv[2]] and "parent" not in d["relations"], d' "$OUT_FILE" "$C"
  refused 1 "would make a cycle" link "$P" --parent "$G"
  refused 1 "cannot be its own parent" link "$P" --parent "$P"
  refused 2 "one kind of link at a time" link "$P" --parent "$C" --problem "$G"
  snapshot
  desk_ok link "$G" --parent "$C" --remove
  landed unlink "$(ticket_path "$G")"
  refused 1 "has no parent" link "$G" --parent "$C" --remove
}

case_problem_and_its_incidents_resolve_in_one_commit() {
  new_desk "$TMP/problem"
  new_ticket "VPN concentrator leaks memory" --no-suggest --problem
  PR=$ID
  [[ $(git show HEAD:"$(ticket_path "$PR")" | grep '^type') == 'type = "problem"' ]] || fail "new --problem did not make a problem"
  new_ticket "VPN drops for Carol" --no-suggest
  I1=$ID
  new_ticket "VPN drops for Dan" --no-suggest
  I2=$ID
  new_ticket "VPN drops for Eve" --no-suggest
  I3=$ID
  new_ticket "Printer jam" --no-suggest
  NP=$ID
  refused 1 "is not a problem" link "$I1" --problem "$NP"
  for i in "$I1" "$I2" "$I3"; do
    snapshot
    desk_ok link "$i" --problem "${PR:0:6}"
    landed link "$(ticket_path "$i")"
  done
  desk_ok list --problem "$PR" --json
  py 'd = json.load(open(sys.argv[1])); assert sorted(t["id"] for t in d["tickets"]) == sorted(sys.argv[2:]), d' "$OUT_FILE" "$I1" "$I2" "$I3"
  desk_ok show "$PR" --json
  py 'd = json.load(open(sys.argv[1])); assert d["relations"]["incidents"] == sorted(sys.argv[2:]), d' "$OUT_FILE" "$I1" "$I2" "$I3"
  desk_ok show "$I1" --no-suggest
  expect_out_contains "problem    $PR (new) VPN concentrator leaks memory"

  as dee
  desk_ok resolve "$I3" -m "worked around"
  refused 1 "is not a problem" resolve "$NP" --resolve-incidents -m fix
  snapshot
  desk_ok resolve "$PR" --resolve-incidents -m "Firmware 4.2"
  landed resolve "$(ticket_path "$PR")" "$(ticket_path "$I1")" "$(ticket_path "$I2")"
  [[ $(git log -1 --format=%s) == "resolve ${PR:0:6} and 2 incidents: VPN concentrator leaks memory" ]] || fail "subject: $(git log -1 --format=%s)"
  py '
import sys
for p in sys.argv[1:4]:
    t = tomllib.load(open(p, "rb"))
    assert (t["status"], t["resolution"]) == ("resolved", "Firmware 4.2"), (p, t["status"], t.get("resolution"))
t = tomllib.load(open(sys.argv[4], "rb"))
assert t["resolution"] == "worked around", t' "$(ticket_path "$PR")" "$(ticket_path "$I1")" "$(ticket_path "$I2")" "$(ticket_path "$I3")"
  refused 1 "has no open incidents" resolve "$PR" --resolve-incidents -m again
}

case_resolving_a_problem_with_open_incidents_names_the_flag() {
  new_desk "$TMP/note"
  new_ticket "Mail queue stuck" --no-suggest --problem
  PR=$ID
  new_ticket "No mail for Carol" --no-suggest
  I1=$ID
  desk_ok link "$I1" --problem "$PR"
  snapshot
  desk_ok resolve "$PR" -m "Restarted the queue"
  landed resolve "$(ticket_path "$PR")"
  expect_err_contains "has 1 open incident"
  expect_err_contains "--resolve-incidents"
}

case_two_clones_linking_concurrently_merge_keeping_both() {
  W=$TMP/w
  mkdir -p "$W"
  new_desk "$W/seed"
  new_ticket "VPN drops" --no-suggest
  A=$ID
  new_ticket "VPN slow" --no-suggest
  B=$ID
  new_ticket "VPN down in Paris" --no-suggest
  C=$ID
  new_ticket "VPN concentrator" --no-suggest --problem
  PR=$ID
  git init -q --bare "$W/remote.git"
  git remote add origin "$W/remote.git"
  git push -q -u origin main
  git clone -q "$W/remote.git" "$W/x"
  git clone -q "$W/remote.git" "$W/y"
  cd "$W/x"
  as xena
  desk_ok link "$A" --related "$B"
  desk_ok link "$A" --problem "$PR"
  git push -q origin main
  cd "$W/y"
  as yann
  desk_ok link "$A" --related "$C"
  desk_ok link "$C" --parent "$B"
  desk_ok sync
  assert_clean
  [[ -z $(git ls-files -u) ]] || fail "conflicts left"
  py '
import sys
a = tomllib.load(open(sys.argv[1], "rb")); b = tomllib.load(open(sys.argv[2], "rb")); c = tomllib.load(open(sys.argv[3], "rb"))
A, B, C, P = sys.argv[4:8]
assert sorted(a["related"]) == sorted([B, C]), a["related"]
assert a["problem"] == P, a
assert b["related"] == [A] and c["related"] == [A] and c["parent"] == B, (b, c)' \
    "$(ticket_path "$A")" "$(ticket_path "$B")" "$(ticket_path "$C")" "$A" "$B" "$C" "$PR"
  git fsck --no-progress >/dev/null 2>&1 || fail "git fsck failed"
  desk_ok show "$A" --json
  py 'd = json.load(open(sys.argv[1])); assert sorted(d["relations"]["related"]) == sorted(sys.argv[2:4]) and d["relations"]["problem"] == sys.argv[4], d' "$OUT_FILE" "$B" "$C" "$PR"
  desk_ok fsck
}

run_all_cases
finish
