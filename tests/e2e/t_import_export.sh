# desk export and desk import: a JSON round trip into a fresh desk is byte for byte; GitHub
# issues and help-desk CSVs import in one commit; a re-import changes nothing; a bad record is
# reported with its line and nothing is imported.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# import_commit N: since the snapshot exactly one commit landed, Desk-Action import, touching
# exactly N ticket files and naming each in a Desk-Ticket trailer; the tree is clean, git fsck is happy.
import_commit() {
  local n files tickets
  n=$(git rev-list --count "$SNAP_HEAD..HEAD")
  [[ $n == 1 ]] || fail "expected exactly one new commit, got $n"
  [[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)') == import ]] || fail "Desk-Action is not import"
  files=$(git show --name-only --format= HEAD | sort)
  [[ $(wc -l <<<"$files") == "$1" ]] || fail "the commit touches $(wc -l <<<"$files") files, expected $1: $files"
  grep -qv '^tickets/' <<<"$files" && fail "the commit touches files outside tickets/: $files"
  tickets=$(git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)' | sed '/^$/d' | sort)
  [[ $tickets == "$(sed 's|.*/||; s|\.toml$||' <<<"$files")" ]] || fail "Desk-Ticket trailers '$tickets' do not match the files"
  assert_clean
  git fsck --no-progress >/dev/null 2>&1 || fail "git fsck failed"
}

# A source desk with tickets in every state, a checklist, escalations and unknown keys.
new_desk "$TMP/src"
new_ticket "VPN drops every hour" -m $'Since Monday.\nOn the "guest" Wi-Fi too.' --tag vpn --tag "remote work"
VPN=$ID
desk_ok escalate "$VPN" -m "needs the VPN logs"
desk_ok wait "$VPN" --on customer -m "send the logs"
new_ticket "Reset password for Bob" -t password-reset --requester "Bob <bob@example.com>"
PW=$ID
desk_ok check "$PW" 1
desk_ok resolve "$PW" -m "reset, told Bob"
desk_ok close "$PW" --csat 5
new_ticket "Printer on floor 3 jams" -p P1
PR=$ID
# Keys desk does not know, of several TOML kinds, added by hand; a desk write makes the file canonical.
sed -i '/^title = /a x_site = "Building 4"\nx_seen = 2026-11-01T10:00:00Z\nx_count = 3\nx_ratio = 1.0\nx_day = 2026-11-02' "$(ticket_path "$PR")"
git commit -qam "hand edit"
desk_ok comment "$PR" -m $'Tried a new drum.\n\nStill jams.'
SRC=$PWD

case_json_round_trip_is_byte_for_byte() {
  cd "$SRC"
  desk_ok export --json
  printf '%s\n' "$OUT" >"$TMP/all.json"
  py 'd = json.load(open(sys.argv[1])); assert d["desk_format"] == 2 and len(d["tickets"]) == 3, d' "$TMP/all.json"
  new_desk "$TMP/copy"
  snapshot
  desk_ok import "$TMP/all.json"
  import_commit 3
  [[ $(sort <<<"$OUT") == "$(printf '%s\n' "$VPN" "$PW" "$PR" | sort)" ]] || fail "stdout does not list the imported ids"
  diff -r "$SRC/tickets" tickets >&2 || fail "the imported ticket files differ from the source desk's"
  # Exporting the copy gives the same JSON.
  desk_ok export --json
  [[ $OUT == "$(<"$TMP/all.json")" ]] || fail "the copy exports different JSON"
}

case_reimport_changes_nothing() {
  cd "$SRC"
  desk_ok export --json -o "$TMP/again.json"
  expect_err_contains "exported 3 tickets"
  new_desk "$TMP/again"
  desk_ok import "$TMP/again.json"
  snapshot
  desk_ok import "$TMP/again.json"
  expect_err_contains "nothing to import (0 new, 3 unchanged, 0 kept)"
  [[ -z $OUT ]] || fail "a no-op import printed ids"
  assert_unchanged
  # A ticket changed in the desk since is kept, not overwritten, and still no commit.
  desk_ok comment "$VPN" -m "local change"
  snapshot
  desk_ok import "$TMP/again.json"
  expect_err_contains "kept the desk's version: $VPN"
  assert_unchanged
  # --json says the same to scripts: no commit, one kept, two unchanged.
  desk_ok import --json "$TMP/again.json"
  assert_unchanged
  py 'd = json.loads(sys.argv[1])
assert d["desk_format"] == 2 and d["commit"] is None and d["action"] == "import" and d["dry_run"] is False, d
assert d["format"] == "json" and d["added"] == [] and d["kept"] == [sys.argv[2]] and len(d["unchanged"]) == 2, d' "$OUT" "$VPN"
  # Into an empty desk: the commit it made and the ids it added.
  new_desk "$TMP/again-json"
  desk_ok import --json "$TMP/again.json"
  py 'import subprocess
d = json.loads(sys.argv[1])
head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
assert d["commit"] == head and len(d["added"]) == 3 and d["unchanged"] == [] and d["kept"] == [], d' "$OUT"
}

case_export_filters_and_csv() {
  cd "$SRC"
  desk_ok export --json --status closed
  py 'd = json.loads(sys.argv[1]); assert [t["id"] for t in d["tickets"]] == [sys.argv[2]], d' "$OUT" "$PW"
  desk_ok export --csv --tag vpn
  py 'import csv, io
rows = list(csv.DictReader(io.StringIO(sys.argv[1], newline="")))
assert len(rows) == 1, rows
r = rows[0]
assert r["id"] == sys.argv[2] and r["status"] == "pending" and r["tags"] == "vpn,remote work", r
assert r["description"] == "Since Monday.\nOn the \"guest\" Wi-Fi too.", repr(r["description"])' "$OUT" "$VPN"
  run_desk export
  expect_error 2 "needs a format"
  run_desk export --json --csv
  expect_code 2
  run_desk export --json --status done
  expect_error 2 "unknown status 'done'"
}

cat >"$TMP/issues.json" <<'EOF'
[
  {
    "assignees": [{"id": "MDQ6", "login": "octocat", "name": "Mona"}],
    "body": "The login page returns 500.\r\n\r\nSteps: open /login",
    "closedAt": "2026-10-03T08:00:00Z",
    "comments": [
      {"author": {"login": "hubot"}, "authorAssociation": "MEMBER", "body": "Cannot reproduce", "createdAt": "2026-10-02T09:00:00Z"},
      {"author": {"login": "octocat"}, "authorAssociation": "OWNER", "body": "Fixed in #13", "createdAt": "2026-10-03T07:59:00Z"}
    ],
    "createdAt": "2026-10-01T12:00:00Z",
    "labels": [{"id": "LA_1", "name": "bug", "description": "", "color": "d73a4a"}],
    "number": 12,
    "state": "CLOSED",
    "title": "Login page 500s"
  },
  {
    "assignees": [],
    "body": "",
    "closedAt": null,
    "comments": [],
    "createdAt": "2026-10-05T12:00:00Z",
    "labels": [],
    "number": 14,
    "state": "OPEN",
    "title": "Dark mode"
  }
]
EOF
sed 's/"Dark mode"/"Dark mode \\u001b[31m"/' "$TMP/issues.json" >"$TMP/hostile.json"

case_github_import() {
  new_desk "$TMP/gh"
  snapshot
  run_desk import "$TMP/hostile.json"
  expect_error 1 "hostile.json:16: issue #14: the title contains control characters" "1 bad record" "nothing was imported"
  assert_unchanged
  desk_ok import "$TMP/issues.json"
  import_commit 2
  expect_err_contains "import 2 tickets from issues.json (github)"
  local id
  id=$(head -1 <<<"$OUT")
  py 't = tomllib.load(open(sys.argv[1], "rb"))
assert t["title"] == "Login page 500s" and t["status"] == "closed", t
assert t["github_number"] == 12 and t["tags"] == ["bug"] and t["assignee"] == "octocat", t
assert t["description"] == "The login page returns 500.\r\n\r\nSteps: open /login", repr(t["description"])
assert [h["action"] for h in t["history"]] == ["create", "comment", "comment", "close"], t["history"]
assert t["history"][1]["by"] == "hubot" and t["history"][2]["text"] == "Fixed in #13", t["history"]' "$(ticket_path "$id")"
  desk_ok list --status closed
  expect_out_contains "Login page 500s"
  snapshot
  desk_ok import --format github "$TMP/issues.json"
  expect_err_contains "nothing to import"
  assert_unchanged
}

printf '%s\r\n' 'Ticket #,Subject,Details,State,Priority,Opened,Site' \
  '1001,Printer jammed,"Paper stuck,' 'again and ""again""",Open,P3,2026-11-01T10:00:00Z,B4' \
  '1002,VPN down,,Closed,P1,2026-11-02T10:00:00Z,HQ' \
  '1003,New laptop,,New,P4,,HQ' >"$TMP/helpdesk.csv"

case_csv_import_with_mapping() {
  new_desk "$TMP/csv"
  snapshot
  run_desk import "$TMP/helpdesk.csv" --map "Subject=title"
  expect_code 0
  expect_err_contains "skipping columns 'Ticket #', 'Details', 'State', 'Opened', 'Site'"
  new_desk "$TMP/csv2"
  snapshot
  desk_ok import "$TMP/helpdesk.csv" --map "Ticket #=key" --map Subject=title --map Details=description \
    --map State=status --map Opened=created --map Site=x_site
  import_commit 3
  local first
  first=$(head -1 <<<"$OUT")
  py 't = tomllib.load(open(sys.argv[1], "rb"))
assert t["title"] == "Printer jammed" and t["status"] == "open" and t["priority"] == "P3", t
assert t["description"] == "Paper stuck,\r\nagain and \"again\"", repr(t["description"])  # CRLF inside quotes is data
assert t["source_key"] == "1001" and t["x_site"] == "B4", t' "$(ticket_path "$first")"
  snapshot
  desk_ok import "$TMP/helpdesk.csv" --map "Ticket #=key" --map Subject=title --map Details=description \
    --map State=status --map Opened=created --map Site=x_site
  expect_err_contains "nothing to import"
  assert_unchanged
}

case_bad_csv_row_imports_nothing() {
  new_desk "$TMP/bad"
  printf '%s\n' 'title,description,priority' 'Fine,"two' 'lines",P3' 'Unknown priority,,P9' 'Also fine,,P2' >"$TMP/bad.csv"
  snapshot
  run_desk import "$TMP/bad.csv"
  expect_error 1 "bad.csv:4: unknown priority 'P9'" "1 bad record in $TMP/bad.csv; nothing was imported"
  assert_unchanged
  [[ ! -d tickets ]] || [[ -z $(ls tickets) ]] || fail "tickets were written"
  printf '%s\n' 'title' '"never closed' >"$TMP/open.csv"
  run_desk import "$TMP/open.csv"
  expect_error 1 "open.csv:2: a quoted field is not closed"
  assert_unchanged
}

case_import_from_stdin_and_usage_errors() {
  new_desk "$TMP/stdin"
  snapshot
  run_desk import - <"$TMP/issues.json"
  expect_code 0
  import_commit 2
  run_desk import --format yaml "$TMP/issues.json"
  expect_error 2 "unknown format 'yaml'"
  run_desk import --map Subject "$TMP/helpdesk.csv"
  expect_error 2 "is not COLUMN=FIELD"
  run_desk import --map Nope=title "$TMP/helpdesk.csv"
  expect_error 2 "the CSV has no column 'Nope'"
  run_desk import "$TMP/missing.json"
  expect_error 3 "cannot read"
  printf '{"tickets": [\n  {,}\n]}\n' >"$TMP/broken.json"
  run_desk import "$TMP/broken.json"
  expect_error 1 "broken.json: not valid JSON" "line 2"
}

# Untrusted input nested without end (60 KB, 30,000 levels): a clear error, no crash (a deep
# value inside a ticket overflowed the stack), nothing committed.
case_deeply_nested_json_is_refused() {
  new_desk "$TMP/deep"
  snapshot
  local n=30000
  "$PY" -c 'import sys; n = int(sys.argv[1]); sys.stdout.write("{\"tickets\": [{\"x\": " + "[" * n + "]" * n + "}]}")' "$n" >"$TMP/deep.json"
  run_desk import "$TMP/deep.json"
  expect_error 1 "deep.json: the JSON is nested more than 256 levels deep (line 1, column 273)" "not a desk or GitHub export"
  assert_unchanged
  [[ $(git log --oneline | wc -l) == 1 ]] || fail "git log changed"
  "$PY" -c 'import sys; n = int(sys.argv[1]); sys.stdout.write("[" * n + "]" * n)' "$n" >"$TMP/deep.json"
  run_desk import "$TMP/deep.json"
  expect_error 1 "deep.json: the JSON is nested more than 256 levels deep (line 1, column 257)"
  assert_unchanged
  "$PY" -c 'import sys; n = int(sys.argv[1]); sys.stdout.write("[{\"number\": 1, \"body\": " + "{\"a\": " * n + "1" + "}" * n + "}]")' "$n" >"$TMP/deep.json"
  run_desk import --format github - <"$TMP/deep.json"
  expect_error 1 "<stdin>: the JSON is nested more than 256 levels deep"
  assert_unchanged
  # 256 levels are read (and refused for what they are, not for their depth).
  "$PY" -c 'import sys; sys.stdout.write("[" * 256 + "]" * 256)' >"$TMP/deep.json"
  run_desk import "$TMP/deep.json"
  expect_error 1 "tickets[0]: not a JSON object"
  expect_err_lacks "nested"
  assert_unchanged
  # Deep inside one ticket of desk's own format: that record is refused, nothing is imported.
  "$PY" -c 'import json, sys
v = 0
for _ in range(100): v = {"k": v}
json.dump({"desk_format": 1, "tickets": [{"id": "7kq2x9abcd", "title": "t", "status": "new",
  "created": {"toml:date-time": "2026-11-01T10:00:00Z"}, "x_deep": v}]}, sys.stdout)' >"$TMP/deep-ticket.json"
  run_desk import "$TMP/deep-ticket.json"
  expect_error 1 "tickets[0]: " "nested more than 64 levels deep" "nothing was imported"
  assert_unchanged
}

run_all_cases
finish
