# The knowledge base and ticket links with the built binary: kb new/edit/show/list/search/link,
# link --duplicate-of, close --duplicate-of, resolve --kb, suggestions, stats and fsck. After
# every write the system git checks: exactly one new commit on the previous HEAD, touching
# exactly the expected files, with the trailers; a clean tree; `git fsck` happy.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# landed ACTION FILES...: one commit since the snapshot, touching exactly FILES, with Desk-Action
# ACTION, the pinned identity and date; clean tree; git fsck passes.
landed() {
  local action=$1 n files v
  shift
  n=$(git rev-list --count "$SNAP_HEAD..HEAD")
  [[ $n == 1 ]] || fail "expected exactly one new commit, got $n"
  [[ $(git rev-parse HEAD^) == "$SNAP_HEAD" ]] || fail "the new commit's parent is not the previous HEAD"
  files=$(git show --name-only --format= HEAD)
  [[ $files == "$(printf '%s\n' "$@" | sort)" ]] || fail "the commit touches '$files', expected '$*'"
  v=$(git log -1 --format='%(trailers:key=Desk-Action,valueonly)')
  [[ $v == "$action" ]] || fail "Desk-Action trailer is '$v', expected $action"
  v=$(git log -1 --format='%an <%ae> %at')
  [[ $v == "Ada Agent <ada@example.com> $DESK_NOW_EPOCH" ]] || fail "author and date: '$v'"
  assert_clean
  git fsck --no-progress >/dev/null 2>&1 || fail "git fsck failed"
}

trailer() { git log -1 --format="%(trailers:key=$1,valueonly)" | sed '/^$/d'; }

new_desk

case_kb_new_and_list() {
  snapshot
  desk_ok kb new "Reset the VPN client" --tag vpn --tier L1 -m "Quit the client, install firmware 4.2."
  [[ $OUT == reset-the-vpn-client ]] || fail "kb new printed '$OUT'"
  landed kb-new kb/reset-the-vpn-client.md
  [[ $(trailer Desk-Article) == reset-the-vpn-client ]] || fail "Desk-Article trailer"
  [[ $(git log -1 --format=%s) == "kb new reset-the-vpn-client: Reset the VPN client" ]] || fail "subject: $(git log -1 --format=%s)"
  py '
text = open("kb/reset-the-vpn-client.md", encoding="utf-8").read()
assert text.startswith("+++\n"), text
front, body = text[4:].split("+++\n", 1)
t = tomllib.loads(front)
assert (t["title"], t["tags"], t["tiers"], t["status"]) == ("Reset the VPN client", ["vpn"], ["L1"], "published"), t
assert body == "\nQuit the client, install firmware 4.2.\n", repr(body)'

  snapshot
  printf 'Open tray 2.\nRemove the paper.\n' >"$TMP/jam.md"
  desk_ok kb new "Clear a printer jam" --tag printer -F "$TMP/jam.md"
  landed kb-new kb/clear-a-printer-jam.md
  snapshot
  desk_ok kb new "Password portal" --slug forgot-password --draft -F - <<<"Use the self-service portal."
  landed kb-new kb/forgot-password.md

  desk_ok kb list --json
  py 'd = json.load(open(sys.argv[1])); assert [a["slug"] for a in d["articles"]] == ["clear-a-printer-jam", "reset-the-vpn-client"], d' "$OUT_FILE"
  desk_ok kb list --all --json
  py 'd = json.load(open(sys.argv[1])); assert len(d["articles"]) == 3 and d["desk_format"] == 2, d' "$OUT_FILE"
  desk_ok kb list --drafts
  expect_out_contains forgot-password
  expect_out_lacks printer
}

case_kb_search_ranks() {
  desk_ok kb search printer jam --json
  py 'd = json.load(open(sys.argv[1])); r = d["results"]
assert r[0]["slug"] == "clear-a-printer-jam" and r[0]["score"] > 0, r' "$OUT_FILE"
  desk_ok kb search portal
  [[ -z $OUT ]] || fail "a draft was found without --all: $OUT"
  desk_ok kb search portal --all
  expect_out_contains forgot-password
  run_desk kb search the
  expect_error 2 "has no words to look for"
}

case_kb_refusals_change_nothing() {
  snapshot
  run_desk kb new "Reset the VPN client" -m "again"
  expect_error 1 "an article 'reset-the-vpn-client' already exists" "hint: edit it with"
  run_desk kb new "Escape" --slug ../../escape -m "x"
  expect_error 1 "invalid article slug '../../escape'"
  run_desk kb new "No text"
  expect_error 2 "the article text is required"
  run_desk kb show nope
  expect_error 3 "no article 'nope'"
  run_desk kb edit nope --publish
  expect_error 3 "no article 'nope'"
  [[ ! -e $TMP/escape.md && ! -e ../escape.md ]] || fail "a file was written outside the desk"
  assert_unchanged
}

case_kb_edit() {
  snapshot
  desk_ok kb edit forgot-password --publish --tag account --title "Forgotten password"
  landed kb-edit kb/forgot-password.md
  desk_ok kb show forgot-password --json
  py 'd = json.load(open(sys.argv[1]))
assert (d["title"], d["status"], d["tags"]) == ("Forgotten password", "published", ["account"]), d' "$OUT_FILE"
  # With an editor (a script): the file is validated before the commit.
  cat >"$TMP/editor.sh" <<'EOF'
#!/bin/sh
sed -i 's/Open tray 2./Open tray 2 and lift the cover./' "$1"
EOF
  chmod +x "$TMP/editor.sh"
  snapshot
  EDITOR=$TMP/editor.sh desk_ok kb edit clear-a-printer-jam
  landed kb-edit kb/clear-a-printer-jam.md
  grep -q "lift the cover" kb/clear-a-printer-jam.md || fail "the edit did not land"
  printf '#!/bin/sh\nprintf "+++\\ntitle = 7\\n+++\\n" >"$1"\n' >"$TMP/bad-editor.sh"
  chmod +x "$TMP/bad-editor.sh"
  snapshot
  EDITOR=$TMP/bad-editor.sh run_desk kb edit clear-a-printer-jam
  expect_error 1 "is not valid" "title must be a string"
  assert_unchanged
  rm -f .git/desk/kb-clear-a-printer-jam.md .git/desk/kb-clear-a-printer-jam.md.base
}

case_links_and_duplicates() {
  new_ticket "VPN drops every hour" --no-suggest -m "Since Monday."
  A=$ID
  new_ticket "VPN drops again" --no-suggest
  B=$ID
  snapshot
  desk_ok link "$A" kb/reset-the-vpn-client
  landed link "$(ticket_path "$A")"
  [[ $(trailer Desk-Ticket) == "$A" ]] || fail "Desk-Ticket trailer"
  snapshot
  desk_ok kb link clear-a-printer-jam "$A"
  landed link "$(ticket_path "$A")"
  snapshot
  desk_ok link "$A" kb/clear-a-printer-jam --remove
  landed unlink "$(ticket_path "$A")"
  py 't = tomllib.load(open(sys.argv[1], "rb")); assert t["kb"] == ["reset-the-vpn-client"], t["kb"]
assert [e["to"] for e in t["history"] if e["action"] in ("link", "unlink")] == ["kb/reset-the-vpn-client", "kb/clear-a-printer-jam", "kb/clear-a-printer-jam"]' \
    "$(ticket_path "$A")"
  desk_ok kb show reset-the-vpn-client --json
  py 'd = json.load(open(sys.argv[1])); assert [t["id"] for t in d["linked_tickets"]] == [sys.argv[2]], d' "$OUT_FILE" "$A"

  snapshot
  run_desk link "$A" kb/missing
  expect_error 3 "no article 'missing'"
  run_desk link "$A" --duplicate-of "$A"
  expect_error 1 "cannot be a duplicate of itself"
  run_desk close "$B" --duplicate-of zzzzzz
  expect_error 3 "no ticket matches 'zzzzzz'"
  assert_unchanged

  snapshot
  desk_ok close "$B" --duplicate-of "${A:0:5}"
  landed close "$(ticket_path "$B")"
  py 't = tomllib.load(open(sys.argv[1], "rb"))
assert (t["status"], t["duplicate_of"], t["resolution"]) == ("closed", sys.argv[2], "duplicate of " + sys.argv[2]), t
assert [e["action"] for e in t["history"]] == ["create", "link", "close"], t["history"]' "$(ticket_path "$B")" "$A"
  snapshot
  run_desk link "$A" --duplicate-of "$B"
  expect_error 1 "would make a cycle"
  assert_unchanged
}

case_resolve_kb() {
  new_ticket "Outlook is slow" --no-suggest --tag email -m "Outlook hangs when the VPN is on."
  C=$ID
  desk_ok escalate "$C" -m "Rebuilt the profile; still slow."
  snapshot
  desk_ok resolve "$C" --kb -m "Split tunnel for the mail servers."
  landed resolve "$(ticket_path "$C")" kb/outlook-is-slow.md
  [[ $(trailer Desk-Article) == outlook-is-slow && $(trailer Desk-Ticket) == "$C" ]] || fail "trailers: $(git log -1 --format=%B)"
  py '
text = open("kb/outlook-is-slow.md", encoding="utf-8").read()
front, body = text[4:].split("+++\n", 1)
a = tomllib.loads(front)
assert (a["status"], a["tickets"], a["tiers"], a["tags"]) == ("draft", [sys.argv[1]], ["L1"], ["email"]), a
assert "## Symptom\n\nOutlook hangs" in body and "Escalated L1 -> L2: Rebuilt the profile" in body, body
assert "## Resolution\n\nSplit tunnel for the mail servers." in body, body
t = tomllib.load(open(sys.argv[2], "rb"))
assert (t["status"], t["kb"]) == ("resolved", ["outlook-is-slow"]), t' "$C" "$(ticket_path "$C")"
}

case_suggestions() {
  # Off a terminal suggestions are asked for (they read every open ticket).
  desk_ok new "Toner low on floor 3" -m "The paper tray is fine"
  [[ $ERR != *"related articles"* ]] || fail "new suggested off a terminal without --suggest: $ERR"
  snapshot
  desk_ok new "Printer jam on floor 2" -m "The paper is stuck in tray 2" --suggest
  ID=$OUT
  [[ $ID =~ ^[0-9a-z]{10}$ ]] || fail "stdout of new is not just the id: $OUT"
  expect_err_contains "related articles"
  expect_err_contains "kb/clear-a-printer-jam"
  assert_desk_commit "$ID" create
  desk_ok new "Printer jam again" -m "Paper stuck in tray 2" --json --suggest
  py 'd = json.load(open(sys.argv[1])); s = d["suggestions"]
assert s["articles"][0]["slug"] == "clear-a-printer-jam", s
assert s["tickets"][0]["id"] == sys.argv[2], s' "$OUT_FILE" "$ID"
  desk_ok show "$ID" --suggest
  expect_out_contains "Suggestions"
  desk_ok -q new "Printer jam thrice"
  [[ -z $ERR ]] || fail "-q printed: $ERR"
}

case_stats_and_fsck() {
  desk_ok stats --json
  py 'd = json.load(open(sys.argv[1])); t = d["total"]
assert t["kb_link"] == {"count": 1, "resolved": 1, "rate": 1.0}, t["kb_link"]
assert t["duplicates"] == 1, t["duplicates"]' "$OUT_FILE"
  desk_ok fsck
  printf '+++\ntitle = "x"\n+++\n' >kb/Not_A_Slug.md
  git add kb/Not_A_Slug.md && git commit -qm "a bad name"
  run_desk fsck
  expect_code 5
  [[ "$OUT$ERR" == *"kb/Not_A_Slug.md: not an article file name"* ]] || fail "fsck: $OUT$ERR"
  git rm -q kb/Not_A_Slug.md && git commit -qm "remove it"
}

# Every long option `--help` lists for the kb subcommands and for link is in their man pages,
# and the pages pass groff's and mandoc's checks.
case_man_pages_match_help() {
  local page sub opt text
  check_page() {  # PAGE ARGS...: the options of `desk ARGS --help` appear in man/PAGE
    page=$DESK_SOURCE_DIR/man/$1
    shift
    text=$(sed 's/\\-/-/g' "$page")
    for opt in $("$DESK" "$@" --help | awk '/^Options:/{f=1;next} f&&!NF{f=0} f' | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
      case $opt in --help | --help-all) continue ;; esac
      grep -qF -- "$opt" <<<"$text" || fail "man/${page##*/} does not mention $opt of 'desk $*'"
    done
  }
  for sub in new edit show list search link; do check_page desk-kb.1 kb "$sub"; done
  check_page desk-link.1 link
  for page in desk-kb.1 desk-link.1; do
    if command -v groff >/dev/null; then
      [[ -z $(groff -man -ww -z "$DESK_SOURCE_DIR/man/$page" 2>&1) ]] || fail "groff warns on $page"
    fi
    if command -v mandoc >/dev/null; then
      [[ -z $(mandoc -Tlint "$DESK_SOURCE_DIR/man/$page" 2>&1) ]] || fail "mandoc -Tlint complains on $page"
    fi
  done
}

run_all_cases
finish
