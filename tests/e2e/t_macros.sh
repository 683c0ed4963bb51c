#!/usr/bin/env bash
# Macros (canned replies): desk init writes the shipped ones to .desk/macros/; desk apply puts
# each on real tickets as one commit per run (one change per ticket), checked with the system git
# and tomllib; --dry-run changes nothing; a missing macro is exit 3, a broken one exit 1 with its
# path, line and column; desk macros lists them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${DESK_SOURCE_DIR:?set DESK_SOURCE_DIR to the source tree}"

CAROL="Carol Customer <carol@example.com>"

# fresh_desk: a new desk of the case's own ($TMP/CASE), and cd into it.
fresh_desk() { new_desk "$TMP/${FUNCNAME[1]}"; }

# check_ticket ID PYTHON: runs PYTHON with t = the ticket file of ID (tomllib), h = its history.
check_ticket() {
  py "
t = tomllib.load(open(sys.argv[1], 'rb'))
h = t.get('history', [])
$2" "$(ticket_path "$1")" "${@:3}"
}

case_init_writes_the_shipped_macros() {
  fresh_desk
  [[ $(git ls-tree --name-only HEAD .desk/macros/ | tr '\n' ' ') == \
    ".desk/macros/ask-for-logs.toml .desk/macros/known-issue.toml .desk/macros/password-reset-done.toml .desk/macros/waiting-on-vendor.toml " ]] ||
    fail "init wrote: $(git ls-tree --name-only HEAD .desk/macros/)"
  local f
  for f in "$DESK_SOURCE_DIR"/macros/*.toml; do
    cmp -s "$f" ".desk/macros/${f##*/}" || fail "${f##*/} differs from the shipped macro"
  done
  py '
import glob
for path in sorted(glob.glob(".desk/macros/*.toml")):
    m = tomllib.load(open(path, "rb"))
    assert m["title"] and m["description"] and m["reply"], (path, m)
' 
  desk_ok macros
  [[ $(wc -l <<<"$OUT") == 5 ]] || fail "desk macros printed: $OUT"
  expect_out_contains "Ask for logs"
  desk_ok macros --json
  py 'd = json.loads(sys.argv[1]); assert [m["name"] for m in d["macros"]] == ["ask-for-logs", "known-issue", "password-reset-done", "waiting-on-vendor"], d' "$OUT"
  assert_clean
}

case_ask_for_logs_replies_tags_and_waits_on_the_customer() {
  fresh_desk
  new_ticket "VPN drops every hour" --requester "$CAROL"
  snapshot
  desk_ok apply ask-for-logs "${ID:0:5}"
  assert_desk_commit "$ID" apply
  [[ $(git log -1 --format=%s) == "apply ask-for-logs to ${ID:0:6}: VPN drops every hour" ]] || fail "subject: $(git log -1 --format=%s)"
  [[ $(git log -1 --format=%b) == "Hello Carol,"* ]] || fail "body: $(git log -1 --format=%b)"
  check_ticket "$ID" '
assert t["status"] == "pending" and t["waiting_on"] == "customer", t
assert t["tags"] == ["logs-requested"], t["tags"]
assert [e["action"] for e in h] == ["create", "triage", "comment", "wait"], h
reply = h[2]
assert not reply.get("internal", False), reply
assert reply["text"].startswith("Hello Carol,\n\nto find out what goes wrong"), reply["text"]
assert reply["text"].endswith("\n\nAda Agent"), reply["text"]
assert "{" not in reply["text"] and "}" not in reply["text"], reply["text"]
assert all(e["by"] == "Ada Agent <ada@example.com>" for e in h[1:]), h
assert len({e["at"] for e in h[1:]}) == 1, h
assert h[3]["on"] == "customer" and h[3]["status"] == "pending", h[3]
'
  # The SLA: the reply was the first response, and waiting on the customer pauses the clocks.
  desk_ok show "$ID" --json
  py '
d = json.loads(sys.argv[1])
fr = [c for c in d["clocks"] if c["clock"] == "first_response"][0]
assert fr["state"] == "met", fr
' "$OUT"
}

case_password_reset_done_resolves_with_the_text() {
  fresh_desk
  new_ticket "Cannot sign in" --requester "$CAROL" --template password-reset
  snapshot
  desk_ok apply password-reset-done "$ID"
  assert_desk_commit "$ID" apply
  expect_err_contains "was resolved with 5 of 5 checklist steps not done"
  check_ticket "$ID" '
assert t["status"] == "resolved", t
assert t["resolution"].startswith("Hello Carol,\n\nyour password has been reset."), t["resolution"]
assert [e["action"] for e in h] == ["create", "resolve"], h
assert h[-1]["text"] == t["resolution"], h[-1]
'
  desk_ok close "$ID" --csat 5
  check_ticket "$ID" 'assert t["status"] == "closed" and t["csat"] == 5, t'
}

case_waiting_on_vendor_is_an_internal_note_and_a_wait() {
  fresh_desk
  new_ticket "Firewall drops packets"
  snapshot
  desk_ok apply waiting-on-vendor "$ID"
  assert_desk_commit "$ID" apply
  check_ticket "$ID" '
assert t["status"] == "pending" and t["waiting_on"] == "vendor", t
assert [e["action"] for e in h] == ["create", "comment", "wait"], h
assert h[1]["internal"] is True, h[1]
assert ("about ticket " + sys.argv[2] + ".") in h[1]["text"], h[1]["text"]
assert h[2]["on"] == "vendor", h[2]
' "$ID"
}

case_known_issue_on_two_tickets_is_one_commit() {
  fresh_desk
  new_ticket "Outlook crashes on start" --requester "$CAROL"
  local a=$ID
  new_ticket "Outlook crashes" --requester "dana@example.com" --tag outlook
  local b=$ID
  snapshot
  desk_ok apply known-issue "$a" "$b"
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "expected one commit"
  [[ $(git log -1 --format=%s) == "apply known-issue to 2 tickets: ${a:0:6}, ${b:0:6}" ]] || fail "subject: $(git log -1 --format=%s)"
  [[ $(git show --name-only --format= HEAD | sort) == "$(printf '%s\n' "$(ticket_path "$a")" "$(ticket_path "$b")" | sort)" ]] ||
    fail "the commit touches: $(git show --name-only --format= HEAD)"
  [[ $(git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)' | sed '/^$/d' | sort) == "$(printf '%s\n' "$a" "$b" | sort)" ]] ||
    fail "trailers: $(git log -1 --format=%B)"
  [[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)' | sed '/^$/d') == apply ]] || fail "action trailer"
  assert_clean
  check_ticket "$a" '
assert t["tags"] == ["known-issue"] and t["status"] == "open", t
assert h[-1]["action"] == "comment" and h[-1]["text"].startswith("Hello Carol,"), h[-1]
'
  check_ticket "$b" '
assert t["tags"] == ["outlook", "known-issue"], t["tags"]
assert h[-1]["text"].startswith("Hello there,"), h[-1]
'
}

case_ids_from_standard_input() {
  fresh_desk
  new_ticket "Printer jams"
  local a=$ID
  new_ticket "Printer offline"
  local b=$ID
  new_ticket "VPN drops"
  local c=$ID
  run_desk list --json
  printf '%s' "$OUT" | "$PY" -c 'import json,sys; [print(t["id"]) for t in json.load(sys.stdin)["tickets"] if "Printer" in t["title"]]' >"$TMP/ids"
  snapshot
  run_desk apply known-issue - <"$TMP/ids"
  expect_code 0
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "expected one commit"
  check_ticket "$a" 'assert "known-issue" in t["tags"], t'
  check_ticket "$b" 'assert "known-issue" in t["tags"], t'
  check_ticket "$c" 'assert "known-issue" not in t.get("tags", []), t'
}

case_all_or_nothing() {
  fresh_desk
  new_ticket "Printer jams"
  local a=$ID
  new_ticket "Printer offline"
  local b=$ID
  desk_ok resolve "$b" -m "Cable replaced"
  snapshot
  run_desk apply ask-for-logs "$a" "$b"
  expect_error 1 "${b:0:6}: macro 'ask-for-logs': cannot triage ticket ${b:0:6}: it is resolved" "no ticket was changed (all or nothing)"
  assert_unchanged
}

case_dry_run_changes_nothing() {
  fresh_desk
  new_ticket "VPN drops every hour" --requester "$CAROL"
  snapshot
  desk_ok apply ask-for-logs "$ID" --dry-run
  assert_unchanged
  expect_out_contains "  status    new -> pending (waiting on customer)"
  expect_out_contains "  tags      - -> logs-requested"
  expect_out_contains "      Hello Carol,"
  expect_out_contains "  + waiting on customer"
  expect_err_contains "dry run, nothing committed"
  desk_ok apply password-reset-done "$ID" --dry-run --json
  assert_unchanged
  py '
d = json.loads(sys.argv[1])
assert d["commit"] is None and d["dry_run"] is True and d["macro"] == "password-reset-done", d
assert d["ticket"]["status"] == "resolved", d["ticket"]
' "$OUT"
  check_ticket "$ID" 'assert t["status"] == "new" and len(h) == 1, t'
}

case_missing_macro_is_exit_3_listing_the_macros() {
  fresh_desk
  new_ticket "VPN drops"
  snapshot
  run_desk apply ask-for-log "$ID"
  expect_error 3 "no macro 'ask-for-log'" "use one of: ask-for-logs, known-issue, password-reset-done, waiting-on-vendor"
  run_desk apply ../config "$ID"
  expect_error 3 "no macro '../config'"
  git rm -q -r .desk/macros && git commit -q -m "no macros"
  snapshot
  run_desk apply ask-for-logs "$ID"
  expect_error 3 "no macro 'ask-for-logs'" "this desk has no macros in .desk/macros/"
  assert_unchanged
}

case_bad_macro_is_exit_1_with_path_line_and_column() {
  fresh_desk
  new_ticket "VPN drops"
  printf 'title = "To L9"\ntier = "L9"\nreply = "x"\ninternal = true\n' >.desk/macros/bad-tier.toml
  printf 'title = "Typo"\nreply = """\nHello {requester_nmae},\n"""\n' >.desk/macros/typo.toml
  printf 'title = "Broken\n' >.desk/macros/broken.toml
  git add .desk/macros && git commit -q -m "bad macros"
  snapshot
  run_desk apply bad-tier "$ID"
  expect_error 1 ".desk/macros/bad-tier.toml:2:8: unknown tier 'L9'" "fix the macro file and commit it"
  run_desk apply typo "$ID"
  expect_error 1 ".desk/macros/typo.toml:2:9: in 'reply': unknown placeholder {requester_nmae}"
  run_desk apply broken "$ID"
  expect_error 1 ".desk/macros/broken.toml:1:"
  assert_unchanged
  # The list shows the good ones and warns about the others; fsck reports each with its line.
  desk_ok macros
  expect_out_contains "known-issue"
  expect_err_contains "warning: .desk/macros/typo.toml:2:9:"
  run_desk fsck
  expect_code 5
  [[ "$OUT$ERR" == *".desk/macros/bad-tier.toml:2:8:"* && "$OUT$ERR" == *".desk/macros/typo.toml:2:9:"* ]] || fail "fsck did not report both"
}

case_mail_is_queued_for_the_reply_and_the_wait_but_never_for_a_note() {
  fresh_desk
  printf '\n[mail]\naddress = "help@example.com"\n' >>.desk/config.toml
  git commit -q -am "mail on"
  new_ticket "VPN drops" --requester "$CAROL"
  local a=$ID
  new_ticket "Firewall" --requester "$CAROL"
  local b=$ID
  desk_ok apply ask-for-logs "$a"
  desk_ok apply waiting-on-vendor "$b"
  check_ticket "$a" 'assert [(e["action"], e.get("notify", False)) for e in h[1:]] == [("triage", False), ("comment", True), ("wait", True)], h'
  check_ticket "$b" 'assert [(e["action"], e.get("notify", False)) for e in h[1:]] == [("comment", False), ("wait", False)], h'
}

case_the_users_other_work_is_left_alone() {
  fresh_desk
  new_ticket "VPN drops"
  echo "draft" >notes.txt
  git add notes.txt
  echo "more" >>notes.txt
  snapshot
  desk_ok apply known-issue "$ID"
  [[ $(git show --name-only --format= HEAD) == "$(ticket_path "$ID")" ]] || fail "the commit touches more than the ticket"
  [[ $(git status --porcelain) == "AM notes.txt" ]] || fail "git status: $(git status --porcelain)"
  [[ $(cat notes.txt) == $'draft\nmore' ]] || fail "notes.txt changed"
}

run_all_cases
finish
