# Every refusal: its message, its exit code (0 ok, 1 error, 2 usage, 3 not found), nothing on
# stdout, and the desk exactly as it was (HEAD and `git status`). Each case is independent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

new_desk
new_ticket "VPN drops every hour"
OPEN=$ID  # open, at L1
desk_ok triage "$OPEN" --impact medium --urgency medium
new_ticket "Laptop fan noise"
RESOLVED=$ID
desk_ok resolve "$RESOLVED" -m "Cleaned the fan."
new_ticket "Old request"
CLOSED=$ID
desk_ok resolve "$CLOSED" -m "Done."
desk_ok close "$CLOSED"
new_ticket "Needs the network vendor"
VENDOR=$ID
new_ticket "Hand-edited ticket"
EDITED=$ID
# Tickets until two ids share their first character (32 characters: at most 33 tickets).
declare -A first=()
for i in "$OPEN" "$RESOLVED" "$CLOSED" "$VENDOR" "$EDITED"; do first[${i:0:1}]=$i; done
AMB_A= AMB_B=
n=0
while [[ -z $AMB_A ]] && ((n++ < 40)); do
  new_ticket "Filler $n"
  if [[ -n ${first[${ID:0:1}]:-} ]]; then AMB_A=${first[${ID:0:1}]} AMB_B=$ID; else first[${ID:0:1}]=$ID; fi
done
[[ -n $AMB_A ]] || fail "no two ids share a first character after 40 tickets"
assert_clean

# refuse CODE TEXT... -- ARGS...: desk ARGS fails with CODE and each TEXT, and changes nothing.
refuse() {
  local code=$1 texts=()
  shift
  while [[ $1 != -- ]]; do texts+=("$1"); shift; done
  shift
  snapshot
  run_desk "$@"
  expect_error "$code" "${texts[@]}"
  assert_unchanged
}

# --- where desk runs ---
case_not_a_desk_plain_dir() {
  mkdir -p "$TMP/plain" && cd "$TMP/plain"
  run_desk list
  expect_error 1 "not a desk" "desk init"
  run_desk new "A ticket"
  expect_error 1 "not a desk"
  [[ ! -e .git && -z $(ls -A) ]] || fail "desk wrote into a plain directory"
  cd "$TMP/desk"
  refuse 1 "not a desk" -- -C "$TMP/plain" show "$OPEN"
}
case_not_a_desk_git_repo() {
  git init -q "$TMP/repo" && cd "$TMP/repo"
  echo hello >README && git add README && git commit -qm "first"
  for args in "list" "show $OPEN" "new Title"; do
    refuse 1 "not a desk" ".desk/config.toml" -- $args
  done
}
case_init_existing_desk() {
  refuse 1 "already has a desk" -- init
  cd "$TMP"
  run_desk init "$TMP/desk"
  expect_error 1 "already has a desk"
  cd "$TMP/desk"
  assert_unchanged
}

# --- ids ---
case_unknown_id() {
  refuse 3 "no ticket matches 'zzzzzz'" -- show zzzzzz
  refuse 3 "no ticket matches 'zzzzzz'" -- comment zzzzzz -m "hello"
}
case_ambiguous_prefix() {
  local p=${AMB_A:0:1}
  refuse 1 "ticket '$p' is ambiguous" "$AMB_A" "$AMB_B" -- show "$p"
  refuse 1 "is ambiguous" "$AMB_A" "$AMB_B" -- comment "$p" -m "which one?"
  desk_ok show "${AMB_A:0:6}"  # a longer prefix is unique again
  expect_out_contains "$AMB_A"
}

# --- unknown names: a value outside its allowed set on the command line is a usage error (2),
# as `list --status bogus` and `wait --on bogus` already are; a missing template is not found (3).
case_unknown_tier() { refuse 2 "unknown tier 'L9'" "L1, L2" -- escalate "$OPEN" --to L9 -m "up"; }
case_unknown_tier_in_list() { refuse 2 "unknown tier 'L9'" -- list --tier L9; }
case_unknown_priority() { refuse 2 "unknown priority 'P9'" "P1" -- new --priority P9 "A title"; }
case_unknown_status() { refuse 2 "unknown status 'bogus'" "resolved" -- list --status bogus; }
case_unknown_wait_on() { refuse 2 "bogus" -- wait "$OPEN" --on bogus; }
case_unknown_template() { refuse 3 "no template 'nope'" "password-reset" -- new --template nope "A title"; }
case_unknown_impact() { refuse 2 "unknown impact 'enormous'" "high" -- triage "$OPEN" --impact enormous; }
case_unknown_type() { refuse 2 "unknown type 'bogus'" "incident" -- new --type bogus "A title"; }
case_unknown_sort_field() { refuse 2 "cannot sort by 'bogus'" -- list --sort bogus; }
case_unknown_vendor() { refuse 2 "unknown vendor 'nobody'" "acme-networks" -- escalate "$VENDOR" --to L4 --vendor nobody --case C-9 -m "up"; }
case_unknown_command() {
  refuse 2 "'frobnicate' is not a desk command" -- frobnicate
  refuse 2 "'escalte' is not a desk command" "did you mean: escalate" -- escalte "$OPEN"
  refuse 2 "--bogus" -- list --bogus
}

# --- tiers ---
case_vendor_tier() {
  refuse 2 "needs the vendor" "--vendor" -- escalate "$VENDOR" --to L4 -m "their router"
  refuse 2 "needs the vendor" -- escalate "$VENDOR" --to L4 --vendor acme-networks -m "their router"
  snapshot
  desk_ok escalate "$VENDOR" --to L4 --vendor acme-networks --case C-1 -m "Their router firmware."
  assert_desk_commit "$VENDOR" escalate
  py 't = tomllib.load(open(sys.argv[1], "rb"))
assert (t["tier"], t["vendor"], t["vendor_case"]) == ("L4", "acme-networks", "C-1"), t' "$(ticket_path "$VENDOR")"
  refuse 1 "already at the top tier L4" -- escalate "$VENDOR" -m "higher?"
  refuse 1 "L4" -- escalate "$VENDOR" --to L4 --vendor acme-networks --case C-2 -m "again"
}
case_deescalate_below_lowest() {
  refuse 1 "lowest tier" -- deescalate "$OPEN" -m "down"
  refuse 1 "L0 does not take tickets" -- deescalate "$OPEN" --to L0 -m "down"
}

# --- mandatory texts (stdin is not a terminal here, so there is no editor to ask) ---
case_missing_handoff_note() {
  refuse 2 "is required" -- escalate "$OPEN"
  refuse 2 "is required" -- escalate "$OPEN" -m "   "
  refuse 2 "is required" -- escalate "$OPEN" -F -
}
case_missing_resolution() { refuse 2 "is required" -- resolve "$OPEN"; }
case_missing_reopen_reason() { refuse 2 "is required" -- reopen "$RESOLVED"; }
case_missing_comment() { refuse 2 "is required" -- comment "$OPEN"; }
case_bad_text_options() {
  refuse 2 "cannot be used together" -- comment "$OPEN" -m "a" -F "$TMP/x"
  refuse 2 "cannot read" -- comment "$OPEN" -F "$TMP/does-not-exist"
}

# --- transitions ---
case_close_open_ticket() { refuse 1 "cannot close" "not resolved" -- close "$OPEN"; }
case_close_closed_ticket() { refuse 1 "already closed" -- close "$CLOSED"; }
case_resume_not_waiting() { refuse 1 "cannot resume" "not waiting" -- resume "$OPEN"; }
case_reopen_open_ticket() { refuse 1 "cannot reopen" -- reopen "$OPEN" -m "again"; }
case_resolve_closed_ticket() { refuse 1 "cannot resolve" "closed" -- resolve "$CLOSED" -m "again"; }
case_csat_out_of_range() {
  refuse 2 "between 1 and 5" -- close "$RESOLVED" --csat 7
  refuse 2 "between 1 and 5" -- close "$RESOLVED" --csat 0
}

# --- environment ---
case_no_identity() {
  unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
  export HOME=$TMP/empty-home XDG_CONFIG_HOME=$TMP/empty-home/.config
  mkdir -p "$HOME"
  refuse 1 "no git identity" "user.name" -- comment "$OPEN" -m "who am I?"
  refuse 1 "user.name" -- new "Anonymous ticket"
  cd "$TMP"
  run_desk init "$TMP/anon-desk"
  expect_error 1 "user.name"
  [[ ! -e $TMP/anon-desk/.desk ]] || fail "init without an identity created a desk"
}
case_identity_from_git_config() {
  unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
  export HOME=$TMP/cfg-home XDG_CONFIG_HOME=$TMP/cfg-home/.config
  mkdir -p "$HOME"
  git config --global user.name "Gil Config"
  git config --global user.email gil@example.com
  new_desk "$TMP/gil-desk"
  new_ticket "Configured identity"
  [[ $(git log -1 --format='%an <%ae>|%cn <%ce>') == "Gil Config <gil@example.com>|Gil Config <gil@example.com>" ]] ||
    fail "commit identity is $(git log -1 --format='%an <%ae>|%cn <%ce>')"
}
case_bad_desk_now() { DESK_NOW=yesterday refuse 2 "DESK_NOW" "RFC 3339" -- comment "$OPEN" -m "when?"; }

# --- the user's own edits and broken files ---
case_uncommitted_hand_edit() {
  local f
  f=$(ticket_path "$EDITED")
  echo '# my note, not yet committed' >>"$f"
  cp "$f" "$TMP/edited.copy"
  refuse 1 "$f has uncommitted changes" -- comment "$EDITED" -m "hello"
  cmp -s "$f" "$TMP/edited.copy" || fail "the hand edit was changed"
  git add "$f"  # staged, not committed: still the user's
  refuse 1 "uncommitted changes" -- comment "$EDITED" -m "hello"
  cmp -s "$f" "$TMP/edited.copy" || fail "the staged hand edit was changed"
  [[ -n $(git diff --cached --name-only -- "$f") ]] || fail "the staged hand edit is no longer staged"
  git reset -q -- "$f" && git checkout -q -- "$f"
}
case_malformed_ticket_file() {
  new_desk "$TMP/broken-desk"
  new_ticket "Healthy ticket"
  local good=$ID
  new_ticket "Soon broken"
  local bad=$ID f
  f=$(ticket_path "$bad")
  local line
  line=$(grep -n '^title = ' "$f" | cut -d: -f1)
  sed -i 's/^title = .*/title = = "broken/' "$f"
  git commit -qam "a bad hand edit"
  desk_ok list --all
  expect_out_contains "Healthy ticket"
  expect_out_contains "${good:0:4}"
  [[ $ERR =~ $f:$line:[0-9]+ ]] || fail "list does not report $f:$line:COLUMN on stderr"
  desk_ok list --all --json
  py 'd = json.load(open(sys.argv[1]))
assert [t["id"] for t in d["tickets"]] == [sys.argv[2]], d["tickets"]
assert [p["path"] for p in d["problems"]] == [sys.argv[3]], d["problems"]' "$OUT_FILE" "$good" "$f"
  snapshot
  run_desk show "$bad"
  expect_error 1
  [[ $ERR =~ $f:$line:[0-9]+ ]] || fail "show does not report $f:$line:COLUMN"
  refuse 1 "$f:$line:" -- comment "$bad" -m "hello"
  snapshot
  desk_ok comment "$good" -m "still works"
  assert_desk_commit "$good" comment
}

# --- titles ---
case_bad_titles() {
  refuse 1 "the title is empty" -- new ""
  refuse 1 "the title is empty" -- new "   "
  refuse 1 "control characters" -- new $'bad\x1btitle'
  [[ $ERR != *$'\x1b'* ]] || fail "the error message echoes the escape character"
  refuse 1 "line break" -- new $'two\nlines'
}

run_all_cases
assert_clean
finish
