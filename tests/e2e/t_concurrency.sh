# No lost update: desk processes writing at the same time, on the same ticket and on different
# ones, all land, each as exactly one commit, and the repository stays sound.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=30  # commands per worker
new_desk
new_ticket "Shared ticket"
X=$ID
new_ticket "Other ticket"
Y=$ID
base=$(git rev-parse HEAD)

# worker NAME ARGS...: runs `desk ARGS -m NAME-i` N times; logs "NAME i exit-code" per command.
# A hung desk is stopped by timeout (exit 124), so the wait below is bounded.
worker() {
  local name=$1 i rc
  shift
  for ((i = 1; i <= N; i++)); do
    rc=0
    timeout 30 "$DESK" -q "$@" -m "$name-$i" >>"$TMP/$name.out" 2>>"$TMP/$name.err" || rc=$?
    echo "$name $i $rc" >>"$TMP/$name.log"
  done
}

pids=()
worker a comment "$X" & pids+=($!)
worker b comment "$X" --internal & pids+=($!)
worker c comment "$Y" & pids+=($!)
worker d new "Created concurrently" & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || fail "worker $p exited with $?"; done

total=$((4 * N))
cat "$TMP"/[abcd].log >"$TMP/all.log"
[[ $(wc -l <"$TMP/all.log") == "$total" ]] || fail "expected $total commands logged, got $(wc -l <"$TMP/all.log")"
if awk '$3 != 0' "$TMP/all.log" | grep .; then
  fail "the commands above did not exit 0; stderr: $(cat "$TMP"/[abcd].err)"
fi
[[ $(git rev-list --count "$base..HEAD") == "$total" ]] || fail "expected $total new commits, got $(git rev-list --count "$base..HEAD")"
[[ -z $(git rev-list --merges "$base..HEAD") ]] || fail "desk made merge commits"
for rev in $(git rev-list "$base..HEAD"); do
  [[ $(git show --name-only --format= "$rev" | wc -l) == 1 ]] || fail "commit $rev touches more than one file"
done

# Every comment is in its ticket's history exactly once, each worker's in the order it made them.
py '
n = int(sys.argv[1])
def load(id):
    with open("tickets/%s/%s.toml" % (id[:2], id), "rb") as f:
        return tomllib.load(f)
x, y = load(sys.argv[2]), load(sys.argv[3])
for t in (x, y):
    ids = [e["id"] for e in t["history"]]
    assert len(ids) == len(set(ids)), "duplicate history entry ids"
def texts(t, prefix):
    return [e["text"] for e in t["history"] if e["action"] == "comment" and e["text"].startswith(prefix)]
for t, name in ((x, "a-"), (x, "b-"), (y, "c-")):
    got = texts(t, name)
    assert got == ["%s%d" % (name, i) for i in range(1, n + 1)], (name, got)
assert all(e.get("internal") for e in x["history"] if e.get("text", "").startswith("b-")), "b wrote internal notes"
assert len(x["history"]) == 2 * n + 1 and len(y["history"]) == n + 1, (len(x["history"]), len(y["history"]))
' "$N" "$X" "$Y"

# Every ticket created concurrently exists, with a distinct id.
mapfile -t created <"$TMP/d.out"
[[ ${#created[@]} == "$N" ]] || fail "expected $N new ids, got ${#created[@]}"
[[ $(printf '%s\n' "${created[@]}" | sort -u | wc -l) == "$N" ]] || fail "new ids collide"
for id in "${created[@]}"; do
  git cat-file -e "HEAD:$(ticket_path "$id")" || fail "ticket $id is not in HEAD"
done
desk_ok list --json
py 'd = json.load(open(sys.argv[1])); assert len(d["tickets"]) == int(sys.argv[2]) + 2 and d["problems"] == [], len(d["tickets"])' \
  "$OUT_FILE" "$N"

assert_clean
[[ -z $(git diff --cached --name-only) ]] || fail "the index differs from HEAD"
git fsck --strict >"$TMP/fsck" 2>&1 || fail "git fsck --strict failed: $(cat "$TMP/fsck")"

finish
