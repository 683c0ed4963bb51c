# One ticket through its whole life: init, new from a template, triage, assign, reply and
# internal note, escalate L1 -> L2 -> L3, de-escalate, wait/resume, checklist, resolve, close,
# reopen. After every mutation: exactly one commit touching only that ticket's file, with the
# trailers, the pinned identity and date, a clean tree, and a ticket file that parses as TOML.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ID_RE='^[0-9a-hjkmnp-tv-z]{10}$'  # Crockford base32, lowercase

# check_ticket ID PYTHON: the ticket file parses; `t` is the table, `h` its history, `last`
# the newest entry; the python asserts run on top of the checks every ticket must pass.
check_ticket() {
  py '
path, id, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "rb") as f:
    t = tomllib.load(f)
for k in ("format", "id", "title", "status", "history"):
    assert k in t, f"{path}: no {k}"
assert t["format"] == 1, t["format"]
assert t["id"] == id, (t["id"], id)
h = t["history"]
last = h[-1]
assert len(h) == n, f"{len(h)} history entries, expected {n}"
assert len({e["id"] for e in h}) == n, "history entry ids are not unique"
assert last["by"] == "Ada Agent <ada@example.com>", last["by"]
assert last["at"].isoformat() == "2026-11-23T09:00:00+00:00", last["at"]
'"$2" "$(ticket_path "$1")" "$1" "$HLEN"
}

# step ACTION PYTHON ARGS...: runs `desk ARGS` on $ID, expects one commit with Desk-Action ACTION
# and one more history entry, then runs the python asserts on the ticket.
step() {
  local action=$1 check=$2
  shift 2
  snapshot
  desk_ok "$@"
  assert_desk_commit "$ID" "$action"
  HLEN=$((HLEN + 1))
  check_ticket "$ID" "$check"
}

# --- init ---
run_desk init "$TMP/desk"
expect_code 0
[[ -z $OUT ]] || fail "init printed on stdout"
expect_err_contains "created a desk"
cd "$TMP/desk"
[[ $(git rev-list --count HEAD) == 1 ]] || fail "init made more than one commit"
[[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)') == init ]] || fail "init commit lacks Desk-Action: init"
[[ $(git log -1 --format='%an <%ae> %at') == "Ada Agent <ada@example.com> $DESK_NOW_EPOCH" ]] || fail "init commit identity/date"
for f in .desk/config.toml .gitattributes .desk/templates/password-reset.toml; do
  git cat-file -e "HEAD:$f" || fail "init did not commit $f"
done
assert_clean
desk_ok templates --json
py 'd = json.load(open(sys.argv[1])); names = [t["name"] for t in d["templates"]]
assert "password-reset" in names and "account-unlock" in names, names' "$OUT_FILE"

# --- new: stdout is exactly the id and a newline ---
snapshot
desk_ok new -t password-reset "Bob cannot sign in" -m "Locked out since Monday."
ID=$OUT
[[ $ID =~ $ID_RE ]] || fail "new printed '$OUT', not an id"
cmp -s "$OUT_FILE" <(printf '%s\n' "$ID") || fail "stdout of new is not exactly the id and a newline: $(od -c "$OUT_FILE" | head -3)"
expect_err_contains "new ${ID:0:6}"
assert_desk_commit "$ID" create
[[ $(git log -1 --format=%s) == "new ${ID:0:6}: Bob cannot sign in" ]] || fail "subject: $(git log -1 --format=%s)"
HLEN=1
check_ticket "$ID" '
assert t["title"] == "Bob cannot sign in" and t["status"] == "new", t
assert (t["tier"], t["priority"], t["type"], t["template"]) == ("L1", "P4", "service-request", "password-reset"), t
assert t["tags"] == ["account", "password"], t["tags"]
assert len(t["checklist"]) == 5 and not any(c["done"] for c in t["checklist"]), t["checklist"]
assert "Locked out since Monday." in t["description"], t["description"]
assert last["action"] == "create" and last["status"] == "new", last'

# A second ticket: explicit options win over the template; a third without a template gets
# the config defaults.
snapshot
desk_ok new -t account-unlock --priority P2 --tag vip "Carol locked out"
ID2=$OUT
assert_desk_commit "$ID2" create
HLEN=1 check_ticket "$ID2" 'assert (t["priority"], t["template"]) == ("P2", "account-unlock"), t
assert "vip" in t["tags"], t["tags"]'
snapshot
desk_ok new "Printer on fire"
ID3=$OUT
assert_desk_commit "$ID3" create
HLEN=1 check_ticket "$ID3" 'assert (t["tier"], t["priority"], t["type"], t["status"]) == ("L1", "P3", "incident", "new"), t
assert "template" not in t and "checklist" not in t, t'

# --- the lifecycle, addressed by a short prefix ---
P=${ID:0:4}
step triage 'assert (t["impact"], t["urgency"], t["priority"], t["status"]) == ("high", "medium", "P2", "open"), t
assert last["action"] == "triage", last' \
  triage "$P" --impact high --urgency medium
step assign 'assert t["assignee"] == "alice" and last["action"] == "assign" and last["to"] == "alice", last' \
  assign "$P" alice
step comment 'assert last["action"] == "comment" and last["text"] == "We are on it." and not last.get("internal", False), last' \
  comment "$P" -m "We are on it."
step comment 'assert last["action"] == "comment" and last["text"] == "Looks like an AD sync issue." and last["internal"] is True, last' \
  comment "$P" --internal -m "Looks like an AD sync issue."
step escalate 'assert t["tier"] == "L2" and (last["action"], last["from"], last["to"]) == ("escalate", "L1", "L2"), last
assert last["text"] == "Reset did not help; AD shows the account disabled.", last
assert not t.get("assignee"), "escalation should clear the assignee"' \
  escalate "$P" -m "Reset did not help; AD shows the account disabled."
[[ $(git log -1 --format=%s) == "escalate ${ID:0:6} L1 -> L2: Bob cannot sign in" ]] || fail "subject: $(git log -1 --format=%s)"
[[ $(git log -1 --format=%b) == *"Reset did not help"* ]] || fail "the hand-off note is not in the commit body"
step escalate 'assert t["tier"] == "L3" and (last["from"], last["to"]) == ("L2", "L3"), last' \
  escalate "$P" -m "Sync job fails for this OU; needs an engineer."
step deescalate 'assert t["tier"] == "L2" and (last["action"], last["from"], last["to"]) == ("deescalate", "L3", "L2"), last
assert last["text"] == "Fixed the OU filter; re-enable the account and reset.", last' \
  deescalate "$P" -m "Fixed the OU filter; re-enable the account and reset."
step wait 'assert (t["status"], t["waiting_on"]) == ("pending", "customer"), t
assert (last["action"], last["on"]) == ("wait", "customer"), last' \
  wait "$P" --on customer -m "Asked Bob to try again."
step resume 'assert t["status"] == "open" and not t.get("waiting_on"), t
assert last["action"] == "resume", last' \
  resume "$P" -m "Bob replied."
printf 'Bob confirms:\r\nit works.  \n\n' >"$TMP/reply.txt"
step comment 'assert last["text"] == "Bob confirms:\nit works.", repr(last["text"])' \
  comment "$P" -F - <"$TMP/reply.txt"
step check 'assert [c["done"] for c in t["checklist"]] == [True, False, False, False, False], t["checklist"]
assert (last["action"], last["step"]) == ("check", 1), last' \
  check "$P" 1
step resolve 'assert t["status"] == "resolved" and t["resolution"] == "Re-enabled and reset the password.", t
assert last["action"] == "resolve", last' \
  resolve "$P" -m "Re-enabled and reset the password."
step close 'assert (t["status"], t["csat"]) == ("closed", 5), t
assert (last["action"], last["csat"]) == ("close", 5), last' \
  close "$P" --csat 5
step reopen 'assert t["status"] == "open" and (last["action"], last["text"]) == ("reopen", "It happened again this morning."), last' \
  reopen "$P" -m "It happened again this morning."

# A mutation with --json describes the commit it made.
step comment 'pass' comment "$P" -m "Looking again." --json
py 'd = json.load(open(sys.argv[1]))
assert d["commit"] == sys.argv[2] and d["action"] == "comment" and d["ticket"]["id"] == sys.argv[3], d' \
  "$OUT_FILE" "$(git rev-parse HEAD)" "$ID"

# --- reading it back ---
desk_ok show "$P"
[[ $OUT == "$ID  Bob cannot sign in"* ]] || fail "show does not start with the id and title"
expect_out_contains "Checklist (1/5 done)"
expect_out_contains "escalated L1 -> L2"
expect_out_contains "It happened again this morning."
(cd "$TMP" && run_desk -C desk show "$P" && expect_code 0 && expect_out_contains "Bob cannot sign in") || fail "-C DIR did not work"
desk_ok show "${ID^^}"  # ids are typed in any case
expect_out_contains "$ID"

ACTIONS='["create", "triage", "assign", "comment", "comment", "escalate", "escalate", "deescalate", "wait", "resume", "comment", "check", "resolve", "close", "reopen", "comment"]'
desk_ok show "$P" --json
py 'd = json.load(open(sys.argv[1])); acts = json.loads(sys.argv[3])
assert d["desk_format"] == 2 and d["id"] == sys.argv[2], d
assert (d["status"], d["tier"], d["priority"], d["impact"], d["urgency"]) == ("open", "L2", "P2", "high", "medium"), d
assert [e["action"] for e in d["history"]] == acts, [e["action"] for e in d["history"]]
assert d["history"][4]["internal"] is True and d["history"][5]["text"].startswith("Reset did not help"), d["history"][4:6]
assert d["checklist"][0]["done"] is True and d["template"] == "password-reset", d
assert all(e["at"] == "2026-11-23T09:00:00Z" for e in d["history"]), [e["at"] for e in d["history"]]' \
  "$OUT_FILE" "$ID" "$ACTIONS"

desk_ok list --all --json
py 'd = json.load(open(sys.argv[1])); want = set(sys.argv[2:5])
assert d["desk_format"] == 2 and d["problems"] == [], d.get("problems")
ids = [t["id"] for t in d["tickets"]]
assert sorted(ids) == sorted(want), ids
by = {t["id"]: t for t in d["tickets"]}
assert by[sys.argv[2]]["status"] == "open" and by[sys.argv[3]]["priority"] == "P2" and by[sys.argv[4]]["title"] == "Printer on fire", by' \
  "$OUT_FILE" "$ID" "$ID2" "$ID3"

desk_ok list
for i in "$ID" "$ID2" "$ID3"; do expect_out_contains "${i:0:4}"; done
expect_out_contains "Printer on fire"

desk_ok log "$P" --json
py 'd = json.load(open(sys.argv[1])); acts = json.loads(sys.argv[3]); commits = sys.argv[4].split()
es = d["entries"]
assert d["desk_format"] == 2
assert [e["action"] for e in es] == list(reversed(acts)), [e["action"] for e in es]
assert [e["commit"] for e in es] == commits, "log commits differ from git log of the file"
for e in es:
    assert e["tickets"] == [sys.argv[2]] and e["author"] == {"name": "Ada Agent", "email": "ada@example.com"}, e
    assert e["at"] == "2026-11-23T09:00:00Z", e["at"]
assert es[0]["subject"].startswith("comment "), es[0]
assert "It happened again" in es[1]["body"], es[1]' \
  "$OUT_FILE" "$ID" "$ACTIONS" "$(git log --format=%H -- "$(ticket_path "$ID")")"

desk_ok log --json
py 'd = json.load(open(sys.argv[1]))
assert len(d["entries"]) == int(sys.argv[2]), (len(d["entries"]), sys.argv[2])
assert d["entries"][-1]["action"] == "init", d["entries"][-1]' "$OUT_FILE" "$(git rev-list --count HEAD)"

# Every ticket file parses; the repository is sound.
for f in tickets/*/*.toml; do
  py 'p = sys.argv[1]; t = tomllib.load(open(p, "rb"))
assert all(k in t for k in ("format", "id", "title", "status", "history")), p
assert p.endswith("/" + t["id"][:2] + "/" + t["id"] + ".toml"), (p, t["id"])' "$f"
done
[[ $(ls tickets/*/*.toml | wc -l) == 3 ]] || fail "expected 3 ticket files: $(ls tickets/*/*.toml)"
assert_clean
git fsck --strict >"$TMP/fsck" 2>&1 || fail "git fsck --strict failed: $(cat "$TMP/fsck")"

finish
