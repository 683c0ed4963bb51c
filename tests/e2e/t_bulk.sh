#!/usr/bin/env bash
# Several tickets at once: every command that changes one ticket takes several ids, or - for ids
# on standard input; one commit touching each file with a Desk-Ticket trailer each; all or
# nothing; one id behaves as before. desk check takes several steps. resolve and close warn
# about checklist steps not done.
source "$(dirname "$0")/lib.sh"

setup() {
  new_desk "$TMP/${FUNCNAME[1]}"
  new_ticket "Printer jams"; A=$ID
  new_ticket "Printer offline"; B=$ID
  new_ticket "Printer toner"; C=$ID
}

# commit_tickets: the Desk-Ticket trailers of HEAD, sorted, space-separated.
commit_tickets() { git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)' | sed '/^$/d' | sort | tr '\n' ' '; }
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' '; }

case_assign_several_in_one_commit() {
  setup
  snapshot
  desk_ok assign "$A" "$B" "$C" bo
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "expected one commit"
  [[ $(commit_tickets) == "$(sorted "$A" "$B" "$C")" ]] || fail "trailers: $(commit_tickets)"
  [[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)' | sed '/^$/d') == assign ]] || fail "action trailer"
  [[ $(git log -1 --format=%s) == "assign 3 tickets: "* ]] || fail "subject: $(git log -1 --format=%s)"
  n=$(git show --name-only --format= HEAD | wc -l)
  [[ $n == 3 ]] || fail "the commit touches $n files"
  for id in "$A" "$B" "$C"; do
    grep -q '^assignee = "bo"$' "$(ticket_path "$id")" || fail "$id not assigned"
  done
  expect_err_contains "assign 3 tickets"
  assert_clean
}

case_one_id_is_as_before() {
  setup
  snapshot
  desk_ok assign "$A" bo
  assert_desk_commit "$A" assign
  [[ $(git log -1 --format=%s) == "assign ${A:0:6}"* ]] || fail "subject: $(git log -1 --format=%s)"
  desk_ok comment "$A" "$A" -m "named twice counts once"
  [[ $(grep -c 'named twice counts once' "$(ticket_path "$A")") == 1 ]] || fail "the comment landed twice"
}

case_ids_from_standard_input() {
  setup
  snapshot
  # what a pipeline from desk list --json looks like
  run_desk list --json
  printf '%s' "$OUT" | "$PY" -c 'import json,sys; [print(t["id"]) for t in json.load(sys.stdin)["tickets"] if "jams" in t["title"] or "toner" in t["title"]]' \
    >"$TMP/ids"
  printf '\n# a comment line\n' >>"$TMP/ids"
  run_desk comment - -m "We are on it" <"$TMP/ids"
  expect_code 0
  [[ $(commit_tickets) == "$(sorted "$A" "$C")" ]] || fail "trailers: $(commit_tickets)"
  grep -q "We are on it" "$(ticket_path "$A")" || fail "A lacks the comment"
  grep -q "We are on it" "$(ticket_path "$C")" || fail "C lacks the comment"
  grep -q "We are on it" "$(ticket_path "$B")" && fail "B got the comment"
  # desk list's table lines work too: the first word is the id
  printf '%s  P3  L1  open\n' "$B" >"$TMP/rows"
  run_desk triage - --tag printer <"$TMP/rows"
  expect_code 0
  grep -q '"printer"' "$(ticket_path "$B")" || fail "B not tagged"
}

case_stdin_gives_ids_or_text_not_both() {
  setup
  snapshot
  printf '%s\n' "$A" >"$TMP/ids"
  run_desk comment - -F - <"$TMP/ids"
  expect_error 2 "not both"
  : >"$TMP/empty"
  run_desk assign - bo <"$TMP/empty"
  expect_error 2 "no ticket ids on standard input"
  assert_unchanged
}

case_all_or_nothing() {
  setup
  desk_ok resolve "$B" -m "fixed"
  snapshot
  # B is resolved: escalating it is refused, so A and C are not escalated either
  run_desk escalate "$A" "$B" "$C" -m "needs L2"
  expect_code 1
  expect_err_contains "${B:0:6}"
  expect_err_contains "no ticket was changed"
  assert_unchanged
  # an unknown id among them
  run_desk assign "$A" zzzzzz bo
  expect_code 3
  expect_err_contains "zzzzzz"
  assert_unchanged
}

case_json_for_several() {
  setup
  desk_ok wait "$A" "$B" --on customer --json
  py 'import json,sys; d=json.loads(sys.argv[1])
assert d["action"] == "wait" and len(d["commit"]) == 40, d
assert sorted(t["id"] for t in d["tickets"]) == sorted(sys.argv[2:4]), d
assert all(t["status"] == "pending" for t in d["tickets"]), d' "$OUT" "$A" "$B"
  desk_ok resume "$A" "$B" --json
  py 'import json,sys; d=json.loads(sys.argv[1]); assert [t["status"] for t in d["tickets"]] == ["open", "open"], d' "$OUT"
}

case_check_several_steps_and_resolve_warns() {
  new_desk "$TMP/check"
  new_ticket "Reset for Kim" --template password-reset; A=$ID
  snapshot
  desk_ok check "$A" 1 2
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "expected one commit"
  [[ $(git log -1 --format=%s) == "check ${A:0:6} steps 1, 2"* ]] || fail "subject: $(git log -1 --format=%s)"
  [[ $(grep -c 'action = "check"' "$(ticket_path "$A")") == 2 ]] || fail "expected two check entries"
  snapshot
  run_desk check "$A" 3 9
  expect_error 2 "no step 9"
  assert_unchanged
  desk_ok resolve "$A" -m "Done on the phone"
  expect_err_contains "warning: ${A:0:6} was resolved with 3 of 5 checklist steps not done: 3 Issue a one-time password"
  expect_err_contains "5 Remind the user"
  desk_ok close "$A"
  expect_err_contains "was closed with 3 of 5 checklist steps not done"
}

case_me_is_the_git_identity() {
  setup
  desk_ok assign "$A" me
  grep -q "^assignee = \"$GIT_AUTHOR_NAME\"\$" "$(ticket_path "$A")" || fail "me was not the git user name"
  desk_ok assign "$B" "${GIT_AUTHOR_EMAIL%@*}"
  desk_ok assign "$C" someone-else
  run_desk list -a me
  expect_code 0
  expect_out_contains "Printer jams"
  expect_out_contains "Printer offline"
  expect_out_lacks "Printer toner"
  run_desk list -a @me --json
  py 'import json,sys; d=json.loads(sys.argv[1]); assert len(d["tickets"]) == 2, d' "$OUT"
  run_desk export --csv -a me
  expect_out_contains "Printer jams"
  expect_out_lacks "Printer toner"
}

case_escalate_can_name_who_takes_it() {
  setup
  desk_ok assign "$A" bo
  desk_ok escalate "$A" -m "needs network diagnostics" --assign kim
  grep -q '^assignee = "kim"$' "$(ticket_path "$A")" || fail "kim does not hold the escalated ticket"
  py 'import sys, tomllib
t = tomllib.load(open(sys.argv[1], "rb"))
e = t["history"][-1]
assert e["action"] == "escalate" and e["changes"] == [{"field": "assignee", "from": "bo", "to": "kim"}], e' "$(ticket_path "$A")"
  [[ $(git log -1 --format=%s) == *"-> L2, to kim"* ]] || fail "subject: $(git log -1 --format=%s)"
  desk_ok escalate "$B" "$C" -m "both to L2" --assign me
  grep -q '^assignee = "Ada Agent"$' "$(ticket_path "$C")" || fail "me did not take C"
  desk_ok escalate "$A" -m "to engineering"
  grep -q '^assignee' "$(ticket_path "$A")" && fail "without --assign the assignee is cleared"
  true
}

run_all_cases
finish
