# The user's own work in the same repository survives desk commands: staged changes stay staged,
# unstaged stay unstaged, untracked files stay, and none of it lands in a desk commit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

new_desk
mkdir -p notes
echo "# Team notes" >README.md
printf 'line 1\nline 2\n' >notes/plan.txt
printf 'both\n' >notes/mixed.txt
echo "to be deleted" >old.txt
git add README.md notes old.txt
git commit -qm "the team's own files"
new_ticket "Mail quota exceeded"
A=$ID
new_ticket "Wi-Fi in room 4"
B=$ID

# The user's work in progress, of every kind.
echo "STAGED-EDIT" >>README.md && git add README.md           # staged modification
echo "UNSTAGED-EDIT" >>notes/plan.txt                         # unstaged modification
echo "STAGED-PART" >>notes/mixed.txt && git add notes/mixed.txt
echo "UNSTAGED-PART" >>notes/mixed.txt                        # staged and unstaged in one file
echo "STAGED-NEW" >new.txt && git add new.txt                 # staged new file
git rm -q old.txt                                             # staged deletion
echo "UNTRACKED" >scratch.txt                                 # untracked
mkdir -p tickets/zz && echo "UNTRACKED-IN-TICKETS" >tickets/zz/notes.txt  # untracked, under tickets/

git diff --cached --binary >"$TMP/cached.before"
git diff --binary >"$TMP/worktree.before"
# -uall: each untracked file by name. Without it tickets/zz/ shows as one untracked directory
# until a desk command files a ticket whose id starts with zz (1 run in 1024), and then as its file.
git status --porcelain -uall >"$TMP/status.before"
sha256sum scratch.txt tickets/zz/notes.txt README.md notes/plan.txt notes/mixed.txt new.txt >"$TMP/sums.before"
base=$(git rev-parse HEAD)

# Several desk commands, one of them from a subdirectory: each makes exactly one commit, of one
# ticket file.
steps=0
step() {
  local action=$1 files
  shift
  snapshot
  desk_ok "$@"
  steps=$((steps + 1))
  n=$(git rev-list --count "$SNAP_HEAD..HEAD")
  [[ $n == 1 ]] || fail "made $n commits"
  [[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)') == "$action" ]] || fail "Desk-Action is not $action"
  files=$(git show --name-only --format= HEAD)
  [[ $files =~ ^tickets/[0-9a-z]{2}/[0-9a-z]{10}\.toml$ ]] || fail "committed '$files'"
}
step create new -t hardware-fault "Broken dock"
step comment comment "$A" -m "Checking the quota."
step triage triage "$A" -p P2 --tag mail
step assign assign "$B" bob
step escalate escalate "$A" -m "Quota is set by the mail team."
cd notes
step comment comment "$B" --internal -m "AP 4 reboots at night."
cd ..
step resolve resolve "$B" -m "Replaced the access point."
step close close "$B" --csat 4

[[ $(git rev-list --count "$base..HEAD") == "$steps" ]] || fail "expected $steps desk commits"
git diff --cached --binary | cmp -s - "$TMP/cached.before" || fail "the staged changes differ: $(git diff --cached --stat)"
git diff --binary | cmp -s - "$TMP/worktree.before" || fail "the unstaged changes differ: $(git diff --stat)"
git status --porcelain -uall | cmp -s - "$TMP/status.before" || fail "git status differs: $(git status --porcelain -uall)"
sha256sum -c --quiet "$TMP/sums.before" || fail "a file of the user's changed"

# Nothing of the user's work is in any desk commit.
touched=$(git log --format= --name-only "$base..HEAD" | sort -u)
if grep -v '^tickets/[0-9a-z][0-9a-z]/[0-9a-z]\{10\}\.toml$' <<<"$touched"; then fail "desk commits touch the files above"; fi
for rev in $(git rev-list "$base..HEAD"); do
  if git grep -q -e STAGED -e UNSTAGED -e UNTRACKED "$rev" --; then fail "commit $rev contains the user's work"; fi
  git cat-file -e "$rev:old.txt" 2>/dev/null || fail "commit $rev dropped old.txt, whose deletion is only staged"
done

git fsck --strict >"$TMP/fsck" 2>&1 || fail "git fsck --strict failed: $(cat "$TMP/fsck")"

# The user commits their staged work, and only that, as if desk had never run.
git commit -qm "the user's commit"
[[ $(git show --name-only --format= HEAD | sort | tr '\n' ' ') == "README.md new.txt notes/mixed.txt old.txt " ]] ||
  fail "the user's commit holds: $(git show --name-only --format= HEAD)"
git diff --binary | cmp -s - "$TMP/worktree.before" || fail "the unstaged changes differ after the user's commit"

finish
