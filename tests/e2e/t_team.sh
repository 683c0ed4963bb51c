#!/usr/bin/env bash
# The team in config: desk team add/remove/list (one commit each, only their lines of the config
# touched), assignees resolved to people (name, email, Name <email>, unique prefix; unknown names
# refused with the team listed), `me`, a tier's owner and keep_assignee through escalate, the
# sweep and deescalate, and completion offering the team. Several identities; DESK_NOW moves.
source "$(dirname "$0")/lib.sh"

# The commit just made touched only .desk/config.toml, as Desk-Action team.
assert_config_commit() {
  local files v
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "expected one new commit"
  files=$(git show --name-only --format= HEAD)
  [[ $files == ".desk/config.toml" ]] || fail "the commit touches '$files'"
  v=$(git log -1 --format='%(trailers:key=Desk-Action,valueonly)')
  [[ $v == team ]] || fail "Desk-Action is '$v'"
  assert_clean
}

# team_of: the names `desk team --json` lists, space-separated.
team_of() {
  desk_ok team --json
  py 'print(" ".join(p["name"] for p in json.loads(sys.argv[1])["team"]))' "$OUT"
}

case_add_list_and_remove_in_one_commit_each() {
  new_desk "$TMP/${FUNCNAME[0]}"
  cp .desk/config.toml "$TMP/config.before"
  desk_ok team
  expect_err_contains "no team: assignees are free names"
  snapshot
  desk_ok team add bo --email Bo@Example.com --tier L1,L2
  assert_config_commit
  [[ $(git log -1 --format=%s) == "team add bo" ]] || fail "subject: $(git log -1 --format=%s)"
  # Only lines were added: the commented config is otherwise as it was.
  [[ -z $(git diff HEAD^ HEAD | grep '^-[^-]') ]] || fail "team add removed lines: $(git diff HEAD^ HEAD)"
  py 'c = tomllib.load(open(".desk/config.toml", "rb")); assert c["team"] == [{"name": "bo", "email": "bo@example.com", "tiers": ["L1", "L2"]}], c["team"]'
  desk_ok team add bea --email bea@example.com
  [[ $(team_of) == "bo bea" ]] || fail "team: $(team_of)"
  desk_ok team
  expect_out_contains "bo"
  expect_out_contains "bo@example.com"
  expect_out_contains "L1,L2"
  # Refused, and nothing changes: a name taken, an email taken, an unknown tier, a bad email.
  snapshot
  run_desk team add BO
  expect_error 1 "'BO' is already on the team"
  run_desk team add cy --email bea@example.com
  expect_error 1 "already the email of 'bea'"
  run_desk team add cy --tier L9
  expect_error 2 "unknown tier 'L9'"
  run_desk team add cy --email not-an-address
  expect_error 2 "must be a mail address"
  run_desk team add "$(printf 'cy\nx')"
  expect_error 2 "without <, >, @ or commas"
  run_desk team remove zed
  expect_error 3 "'zed' is not on the team" "the team: bo <bo@example.com>, bea <bea@example.com>"
  assert_unchanged
  desk_ok team remove bea
  assert_config_commit
  desk_ok team remove bo
  cmp -s .desk/config.toml "$TMP/config.before" || fail "add then remove did not give the config back: $(diff "$TMP/config.before" .desk/config.toml)"
  desk_ok fsck
}

case_assignees_are_people_of_the_team() {
  new_desk "$TMP/${FUNCNAME[0]}"
  new_ticket "Printer jam"; A=$ID
  # Before there is a team, any name goes.
  desk_ok assign "$A" whoever
  desk_ok team add bo --email bo.berg@example.com --tier L1
  desk_ok team add bea --email bea@example.com
  snapshot
  desk_ok assign "$A" "Bo Berg <BO.BERG@example.com>"
  assert_desk_commit "$A" assign
  grep -qx 'assignee = "bo"' "$(ticket_path "$A")" || fail "assignee not stored as bo: $(grep assignee "$(ticket_path "$A")")"
  snapshot
  run_desk assign "$A" zed
  expect_error 2 "'zed' is not on the team" "assign one of: bo <bo.berg@example.com>, bea <bea@example.com>"
  run_desk assign "$A" b
  expect_error 2 "'b' fits several people of the team: bo, bea"
  # Ada is not on the team: `me` cannot mean her.
  run_desk assign "$A" me
  expect_error 2 "you (Ada Agent <ada@example.com>) are not on the team" "desk team add NAME --email ada@example.com"
  run_desk new "Another" --assign zed
  expect_error 2 "'zed' is not on the team"
  assert_unchanged
  desk_ok team add ada --email ADA@example.com
  desk_ok assign "$A" me
  grep -qx 'assignee = "ada"' "$(ticket_path "$A")" || fail "me is not ada"
  new_ticket "Mailbox full" --assign bea@example.com; B=$ID
  grep -qx 'assignee = "bea"' "$(ticket_path "$B")" || fail "new --assign by email"
  # Filters take the same names, and me; a name no longer on the team is taken as typed.
  desk_ok list -a me --json
  py 'ids = [t["id"] for t in json.loads(sys.argv[1])["tickets"]]; assert ids == [sys.argv[2]], ids' "$OUT" "$A"
  desk_ok list -a bea@example.com --json
  py 'ids = [t["id"] for t in json.loads(sys.argv[1])["tickets"]]; assert ids == [sys.argv[2]], ids' "$OUT" "$B"
  desk_ok list -a whoever
  # Bea works with her own identity: me is her.
  GIT_AUTHOR_NAME="Bea" GIT_AUTHOR_EMAIL=bea@example.com GIT_COMMITTER_NAME=Bea GIT_COMMITTER_EMAIL=bea@example.com \
    desk_ok assign "$A" me
  grep -qx 'assignee = "bea"' "$(ticket_path "$A")" || fail "Bea's me is not bea"
}

case_tier_owner_and_keep_assignee_through_the_day() {
  new_desk "$TMP/${FUNCNAME[0]}"
  desk_ok team add bo --email bo@example.com --tier L1
  desk_ok team add dana --email dana@example.com --tier L2,L4
  # L2's queue owner is dana (by hand in the config, as a lead would).
  python3 - <<'PY'
import re
p = ".desk/config.toml"
s = open(p).read()
s = s.replace('title = "Technical support"\n', 'title = "Technical support"\nowner = "dana"\n', 1)
open(p, "w").write(s)
PY
  git commit -qam "L2 owned by dana"
  export DESK_NOW=2026-11-23T09:00:00Z
  new_ticket "VPN drops" --assign bo; A=$ID
  new_ticket "Printer offline"; B=$ID
  # An hour later the sweep moves both past L1's 30 minutes: dana holds them in L2.
  export DESK_NOW=2026-11-23T10:00:00Z
  desk_ok sweep
  desk_ok show "$A" --json
  py 't = json.loads(sys.argv[1]); assert (t["tier"], t["assignee"]["name"]) == ("L2", "dana"), (t["tier"], t["assignee"])' "$OUT"
  desk_ok show "$B" --json
  py 't = json.loads(sys.argv[1]); assert (t["tier"], t["assignee"]["name"]) == ("L2", "dana"), (t["tier"], t["assignee"])' "$OUT"
  # The vendor tier keeps whoever chases the vendor (keep_assignee in the shipped config).
  desk_ok escalate "$A" --to L4 --vendor acme-networks --case AC-1 -m "firmware bug"
  desk_ok show "$A" --json
  py 't = json.loads(sys.argv[1]); assert (t["tier"], t["assignee"]["name"]) == ("L4", "dana"), t["assignee"]' "$OUT"
  # Handed down with the fix to a named person; the history records the change of hands.
  desk_ok deescalate "$A" --to L1 --assign bo -m "vendor patched it"
  desk_ok show "$A" --json
  py 't = json.loads(sys.argv[1]); assert (t["tier"], t["assignee"]["name"]) == ("L1", "bo"), t["assignee"]' "$OUT"
  # Down to L1 (no owner, not kept) without --assign: let go, and said so.
  desk_ok escalate "$B" --to L3 -m "needs an engineer" --assign dana
  desk_ok deescalate "$B" --to L1 -m "config fixed"
  desk_ok show "$B" --json
  py 't = json.loads(sys.argv[1]); assert t["assignee"] is None, t["assignee"]; assert t["history"][-1]["changes"][-1]["field"] == "assignee", t["history"][-1]' "$OUT"
  # A new ticket filed at L2 gets its owner.
  new_ticket "Database slow" --tier L2; C=$ID
  grep -qx 'assignee = "dana"' "$(ticket_path "$C")" || fail "L2's owner did not take the new ticket"
  # The owner cannot leave the team while owning the tier.
  snapshot
  run_desk team remove dana
  expect_error 1 "dana owns tier L2"
  assert_unchanged
}

case_completion_offers_the_team() {
  new_desk "$TMP/${FUNCNAME[0]}"
  new_ticket "Printer jam" --assign "Old Timer"
  desk_ok team add bo --email bo@example.com --tier L1
  desk_ok team add bea
  run_desk __complete assignees
  [[ $OUT == $'bo\tbo@example.com, L1\nbea\t\nOld Timer\t' || $OUT == $'bo\tbo@example.com, L1\nbea\nOld Timer' ]] ||
    fail "assignees: $(printf '%q' "$OUT")"
  run_desk __complete team
  [[ $(cut -f1 <<<"$OUT" | tr '\n' ' ') == "bo bea " ]] || fail "team: $(printf '%q' "$OUT")"
  # The shells complete the team for team remove and --assign.
  grep -q "team" "$DESK_SOURCE_DIR/completions/desk.bash" || fail "bash completion lacks team"
}

run_all_cases
finish
