# desk edit: the ticket file in $EDITOR, validated before it is committed. A broken edit is
# refused with path:line:column and kept as a draft that the next `desk edit` resumes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

new_desk
new_ticket "Dock not detected" -t hardware-fault
desk_ok triage "$ID" -p P2
F=$(ticket_path "$ID")

# editor NAME SHELL-TEXT: writes an editor script that gets the file as "$1".
editor() {
  printf '#!/bin/sh\nset -e\n%s\n' "$2" >"$TMP/$1"
  chmod +x "$TMP/$1"
}
editor retitle.sh 'sed -i "s/^title = .*/title = \"Dock replaced by a USB-C hub\"/" "$1"'
editor custom-key.sh 'sed -i -e "/^title = /a x_site = \"Building 4\"" -e "s/^title = .*/title = \"Dock in building 4\"/" "$1"'
editor break.sh 'sed -i -e "s/^title = .*/title = \"Draft title\"/" -e "0,/^status = /s/^status = \(.*\)$/status = \1 oops/" "$1"'
editor fix.sh 'sed -i "s/ oops$//" "$1"'
editor history.sh 'sed -i "0,/^action = \"create\"/s//action = \"comment\"/" "$1"; sed -i "s/^title = .*/title = \"History rewritten\"/" "$1"'
editor bad-status.sh 'sed -i "0,/^status = /s/^status = .*/status = \"bogus\"/" "$1"'
editor new-id.sh 'sed -i "s/^id = .*/id = \"zzzzzzzzzz\"/" "$1"'
editor race.sh '"$DESK" -q comment "'"$ID"'" -m "meanwhile" </dev/null; sed -i "s/^title = .*/title = \"Raced\"/" "$1"'
export DESK

# draft_from_hint: the kept draft's path, as the error's hint names it.
draft_from_hint() {
  DRAFT=$(sed -n 's/.*kept in \(.*\); run .*/\1/p' <<<"$ERR")
  [[ -n $DRAFT ]] || fail "the error does not say where the draft is kept"
  [[ -f $DRAFT ]] || fail "the draft $DRAFT is not there"
}

# --- no editor ---
snapshot
run_desk edit "$ID"
expect_error 2 "no editor"
assert_unchanged

# --- an unchanged file commits nothing ---
snapshot
EDITOR=true run_desk edit "$ID"
expect_code 0
expect_err_contains "no changes"
assert_unchanged

# --- a valid edit: one commit, Desk-Action edit ---
snapshot
EDITOR=$TMP/retitle.sh run_desk edit "${ID:0:4}"
expect_code 0
assert_desk_commit "$ID" edit
[[ $(git log -1 --format=%s) == "edit ${ID:0:6} (title): Dock replaced by a USB-C hub" ]] || fail "subject: $(git log -1 --format=%s)"
py 't = tomllib.load(open(sys.argv[1], "rb")); last = t["history"][-1]
assert t["title"] == "Dock replaced by a USB-C hub", t["title"]
assert last["action"] == "edit" and [c["field"] for c in last["changes"]] == ["title"], last
assert last["changes"][0]["from"] == "Dock not detected", last' "$F"

# --- keys desk does not know are kept ---
snapshot
EDITOR=$TMP/custom-key.sh run_desk edit "$ID"
expect_code 0
assert_desk_commit "$ID" edit
py 't = tomllib.load(open(sys.argv[1], "rb")); assert t.get("x_site") == "Building 4", t' "$F"
desk_ok comment "$ID" -m "Rewritten by desk."
py 't = tomllib.load(open(sys.argv[1], "rb")); assert t.get("x_site") == "Building 4", "desk dropped x_site"' "$F"

# --- a broken edit: refused with path:line:column, nothing committed, the draft kept ---
line=$(grep -n -m1 '^status = ' "$F" | cut -d: -f1)
snapshot
EDITOR=$TMP/break.sh run_desk edit "$ID"
expect_error 1
[[ $ERR =~ edit-$ID\.toml:$line:[0-9]+ ]] || fail "the error does not name the draft with line $line and a column"
assert_unchanged
draft_from_hint
grep -q 'Draft title' "$DRAFT" || fail "the draft lost the edit"

# --- the next edit resumes from the kept draft ---
snapshot
EDITOR=$TMP/fix.sh run_desk edit "$ID"
expect_code 0
expect_err_contains "resuming"
assert_desk_commit "$ID" edit
py 't = tomllib.load(open(sys.argv[1], "rb")); assert t["title"] == "Draft title", t["title"]' "$F"
[[ ! -e $DRAFT ]] || fail "the draft is still there after the commit"

# --- the history is append-only ---
snapshot
EDITOR=$TMP/history.sh run_desk edit "$ID"
expect_error 1 "append-only"
assert_unchanged
draft_from_hint
rm -f "$DRAFT" "$DRAFT.base"  # start over

# --- other invalid edits ---
snapshot
EDITOR=$TMP/bad-status.sh run_desk edit "$ID"
expect_error 1 "unknown status 'bogus'"
assert_unchanged
draft_from_hint
rm -f "$DRAFT" "$DRAFT.base"
snapshot
EDITOR=$TMP/new-id.sh run_desk edit "$ID"
expect_error 1 "the id changed"
assert_unchanged
[[ ! -e tickets/zz ]] || fail "an edit of the id wrote tickets/zz"
draft_from_hint
rm -f "$DRAFT" "$DRAFT.base"

# --- the editor fails: nothing committed ---
snapshot
EDITOR=false run_desk edit "$ID"
expect_error 1 "editor"
assert_unchanged
draft_from_hint
rm -f "$DRAFT" "$DRAFT.base"

# --- someone else changes the ticket while it is being edited: no lost update ---
snapshot
EDITOR=$TMP/race.sh run_desk edit "$ID"
expect_error 1 "changed while you were editing"
[[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "expected only the concurrent comment to land"
[[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)') == comment ]] || fail "the last commit is not the comment"
py 't = tomllib.load(open(sys.argv[1], "rb"))
assert t["title"] == "Draft title" and t["history"][-1]["text"] == "meanwhile", t' "$F"
draft_from_hint
grep -q 'title = "Raced"' "$DRAFT" || fail "the draft lost the edit"
assert_clean

git fsck --strict >"$TMP/fsck" 2>&1 || fail "git fsck --strict failed: $(cat "$TMP/fsck")"
finish
