# A randomized property test of team sync (invariant 4). Three clones of one desk make random
# changes (new, comment, escalate, deescalate, triage, assign, wait/resume, resolve/close/reopen)
# to random tickets, interleaved with random `desk sync`s and plain `git pull`s from one clone
# to another (criss-cross merges through the driver); a change invalid for the ticket's
# current state is refused (exit 1) and skipped. Then everyone syncs until nothing moves. The
# properties: all clones at one HEAD (the remote's), byte-identical tickets/, clean trees; every
# history entry any clone ever had is in the final desk; every file parses, has no conflict
# marker and is read by desk; git fsck is clean; and every merge git made of a ticket file is
# exactly what `desk merge-file` gives, in either order of the sides.
#
# The seed is printed; rerun one with DESK_SEED=N (and DESK_OPS=N for the number of operations).
# The seed fixes the operations, their clones, tickets, order and clock; ticket and entry ids are
# still random, so ties broken by id may differ between runs of one seed. The default seed makes
# criss-cross merges in which two lines recorded one conflict differently (the case
# case_criss_cross_keeps_every_merge_record of t_sync.sh pins that down).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SEED=${DESK_SEED:-3}
OPS=${DESK_OPS:-60}
[[ $SEED =~ ^[0-9]+$ && $OPS =~ ^[0-9]+$ ]] || { echo "DESK_SEED and DESK_OPS are numbers" >&2; exit 2; }
echo "seed $SEED, $OPS operations (rerun with DESK_SEED=$SEED DESK_OPS=$OPS)"
CLONES=(a b c)
W=$TMP/w
LOG=$TMP/ops.log
CMD_TIMEOUT=30

# The clock moves 0, 1 or 2 minutes per operation: equal times (ties) happen on purpose.
CLOCK=0
tick() {
  CLOCK=$((CLOCK + 60 * (RANDOM % 3)))
  DESK_NOW=$(date -u -d "@$((DESK_NOW_EPOCH + CLOCK))" +%Y-%m-%dT%H:%M:%SZ)
  export DESK_NOW
}

use() {
  cd "$W/$1"
  export GIT_AUTHOR_NAME="Agent ${1^}" GIT_AUTHOR_EMAIL="$1@example.com"
  export GIT_COMMITTER_NAME="Agent ${1^}" GIT_COMMITTER_EMAIL="$1@example.com"
}

# dk CLONE ARGS...: runs desk ARGS in CLONE (bounded in time), logs it; sets OUT, ERR, CODE.
dk() {
  local c=$1
  shift
  use "$c"
  LAST_CMD="[$c, DESK_NOW=$DESK_NOW] desk $(printf '%q ' "$@")"
  CODE=0
  timeout "$CMD_TIMEOUT" "$DESK" "$@" >"$OUT_FILE" 2>"$ERR_FILE" || CODE=$?
  OUT=$(<"$OUT_FILE")
  ERR=$(<"$ERR_FILE")
  echo "$LAST_CMD -> $CODE" >>"$LOG"
  [[ $CODE != 124 ]] || fail "desk did not finish within $CMD_TIMEOUT s"
}

# collect CLONE: records every (ticket, history entry) the clone has now, with where it was seen.
OPNO=0
collect() {
  py '
import os
root, out, where = sys.argv[1], sys.argv[2], sys.argv[3]
with open(out, "a") as f:
    for d, _, files in os.walk(os.path.join(root, "tickets")):
        for n in files:
            with open(os.path.join(d, n), "rb") as fh:
                t = tomllib.load(fh)
            for e in t["history"]:
                print(t["id"], e["id"], e["action"], where, file=f)
' "$W/$1" "$W/ids" "clone-$1@op$OPNO"
}

# after_op CLONE BEFORE: a refused change left HEAD and the tree alone; an accepted one made one
# commit; either way the tree is clean.
after_op() {
  local head
  head=$(git rev-parse HEAD)
  case $CODE in
    0) [[ $(git rev-list --count "$2..$head") == 1 && $(git rev-parse "$head^") == "$2" ]] ||
         fail "an accepted change did not make exactly one commit on top of HEAD" ;;
    1) [[ $ERR == "desk: "* ]] || fail "exit 1 without an error message"
       [[ $head == "$2" ]] || fail "a refused change moved HEAD" ;;
    2) # desk calls a change that changes nothing (triage to the current priority) a usage error
       [[ $ERR == *"change nothing"* ]] || fail "a usage error from a well-formed command"
       [[ $head == "$2" ]] || fail "a refused change moved HEAD" ;;
    *) fail "unexpected exit code $CODE" ;;
  esac
  [[ -z $(git status --porcelain) ]] || fail "the tree is not clean: $(git status --porcelain)"
}

# pick CLONE: sets T to a random ticket the clone has, chosen by creation order (so a seed
# replays the same choices although ids are random); empty when it has none.
TICKETS=()
pick() {
  local known=() t
  for t in "${TICKETS[@]}"; do
    [[ -f $W/$1/$(ticket_path "$t") ]] && known+=("$t")
  done
  T=
  ((${#known[@]})) && T=${known[RANDOM % ${#known[@]}]}
  return 0
}

# sync_clone CLONE: desk sync must always succeed here (one remote on disk, one writer at a time).
SYNCS=0
sync_clone() {
  tick
  dk "$1" sync
  expect_code 0
  [[ ! -e .git/MERGE_HEAD ]] || fail "sync left a merge in progress"
  [[ -z $(git status --porcelain) ]] || fail "sync left the tree dirty: $(git status --porcelain)"
  [[ $(git ls-remote origin refs/heads/main | cut -f1) == "$(git rev-parse HEAD)" ]] ||
    fail "after sync the remote is not at HEAD"
  SYNCS=$((SYNCS + 1))
  collect "$1"
}

# pull_peer CLONE PEER: a plain `git pull` from another clone, not through the remote (the merge
# driver path, and the criss-cross merges it leads to); it must merge without a conflict.
PULLS=0
pull_peer() {
  local out
  use "$1"
  echo "[$1] git pull --no-rebase --no-edit $2 main" >>"$LOG"
  out=$(git pull -q --no-rebase --no-edit "$W/$2" main 2>&1) || fail "git pull in $1 from $2 failed: $out
$(git status --short)"
  [[ -z $(git status --porcelain) ]] || fail "git pull left the tree dirty: $(git status --porcelain)"
  PULLS=$((PULLS + 1))
  collect "$1"
}

declare -A ACCEPTED=()
USERS=(alice bob carol)
WAIT_ON=(customer vendor)
random_op() {
  local ci=$((RANDOM % 3)) r=$((RANDOM % 28)) i=$1 before args=() c
  c=${CLONES[ci]}
  pick "$c"
  if ((r >= 26)); then
    pull_peer "$c" "${CLONES[(ci + 1 + RANDOM % 2) % 3]}"
    return
  elif ((r >= 23)); then
    sync_clone "$c"
    return
  fi
  [[ -n $T || $r -lt 3 ]] || r=0  # a clone with no tickets files one
  tick
  case $r in
    0 | 1 | 2) args=(new "T$i from $c" --tag "t$((RANDOM % 4))" --priority "P$((1 + RANDOM % 4))") ;;
    3 | 4 | 5) args=(comment "$T" -m "c$i by $c") ;;
    6) args=(comment "$T" --internal -m "note $i by $c") ;;
    7 | 8) args=(escalate "$T" -m "e$i by $c") ;;
    9) args=(deescalate "$T" -m "d$i by $c") ;;
    10 | 11) args=(triage "$T" --priority "P$((1 + RANDOM % 4))") ;;
    12 | 13) if ((RANDOM % 2)); then args=(triage "$T" --tag "t$((RANDOM % 4))"); else args=(triage "$T" --untag "t$((RANDOM % 4))"); fi ;;
    14 | 15) if ((RANDOM % 4)); then args=(assign "$T" "${USERS[RANDOM % 3]}"); else args=(assign "$T" --unassign); fi ;;
    16) args=(wait "$T" --on "${WAIT_ON[RANDOM % 2]}" -m "w$i by $c") ;;
    17) args=(resume "$T" -m "r$i by $c") ;;
    18 | 19) args=(resolve "$T" -m "fixed $i by $c") ;;
    20) args=(close "$T" --csat "$((1 + RANDOM % 5))") ;;
    21 | 22) args=(reopen "$T" -m "again $i by $c") ;;
  esac
  use "$c"
  before=$(git rev-parse HEAD)
  dk "$c" "${args[@]}"
  if [[ ${args[0]} == escalate && $CODE == 2 && $ERR == *"vendor"* ]]; then
    # The next tier up is the vendor tier: name a vendor and the case.
    dk "$c" "${args[@]}" --to L4 --vendor acme-networks --case "C-$i"
  fi
  after_op "$c" "$before"
  if ((CODE == 0)); then
    ACCEPTED[${args[0]}]=$((${ACCEPTED[${args[0]}]:-0} + 1))
    [[ ${args[0]} != new ]] || TICKETS+=("$OUT")
    collect "$c"
  fi
}

# Every merge commit git made: each ticket file that differs from both parents is exactly what
# desk merge-file gives for (base, parent 1, parent 2) and for (base, parent 2, parent 1).
check_merges() {
  py '
import os, subprocess, tempfile
desk, repo = sys.argv[1], sys.argv[2]
def git(*a):
    return subprocess.run(["git", "-C", repo, *a], capture_output=True, check=True).stdout
def blob(rev, path):
    p = subprocess.run(["git", "-C", repo, "show", f"{rev}:{path}"], capture_output=True)
    return p.stdout if p.returncode == 0 else b""
merges = git("rev-list", "--merges", "HEAD").decode().split()
assert merges, "no merge commit at all: the test made no concurrent changes"
checked, problems = 0, []
tmp = tempfile.mkdtemp()
for m in merges:
    p1, p2 = git("rev-list", "--parents", "-n1", m).decode().split()[1:3]
    bases = git("merge-base", "--all", p1, p2).decode().split()
    if len(bases) != 1:
        continue  # a criss-cross: git merged against a virtual base
    base = bases[0]
    files = git("diff", "--name-only", p1, m, "--", "tickets/").decode().split()
    for f in files:
        got, b, x, y = blob(m, f), blob(base, f), blob(p1, f), blob(p2, f)
        if got == x or got == y or not x or not y:
            continue  # taken from one side: git did not need the driver
        outs = []
        for ours, theirs in ((x, y), (y, x)):
            for name, data in (("base", b), ("ours", ours), ("theirs", theirs)):
                open(os.path.join(tmp, name), "wb").write(data)
            r = subprocess.run([desk, "merge-file", *(os.path.join(tmp, n) for n in ("base", "ours", "theirs")), f],
                               capture_output=True)
            if r.returncode != 0:
                problems.append(f"{m[:8]} {f}: merge-file exited {r.returncode}: {r.stderr.decode()}")
            outs.append(open(os.path.join(tmp, "ours"), "rb").read())
        if outs[0] != outs[1]:
            problems.append(f"{m[:8]} {f}: merge-file (base, P1, P2) and (base, P2, P1) differ")
        elif outs[0] != got:
            problems.append(f"{m[:8]} {f}: the committed merge is not what merge-file gives")
        checked += 1
assert not problems, "\n".join(problems)
print(f"checked {checked} driver merges in {len(merges)} merge commits")
' "$DESK" "$1"
}

case_random_operations_converge() {
  trap '[[ $? == 0 ]] || { echo "the operations, in order (seed $SEED):"; cat "$LOG"; } >&2' EXIT
  : >"$LOG"
  RANDOM=$SEED  # here, in the case's subshell: bash reseeds RANDOM in every subshell
  new_desk "$TMP/seed"
  new_ticket "Seed ticket one" --tag t0
  TICKETS+=("$ID")
  new_ticket "Seed ticket two"
  TICKETS+=("$ID")
  git init -q --bare "$TMP/remote.git"
  git remote add origin "$TMP/remote.git"
  git push -q -u origin main
  mkdir -p "$W"
  local c i
  for c in "${CLONES[@]}"; do
    git clone -q "$TMP/remote.git" "$W/$c"
    dk "$c" list
    expect_code 0
    [[ $(git config --get merge.desk.driver) == *" merge-file %O %A %B %P" ]] || fail "no merge driver registered in clone $c"
  done
  for ((i = 1; i <= OPS; i++)); do
    OPNO=$i
    echo "# op $i" >>"$LOG"
    random_op "$i"
  done
  OPNO=final
  # Converge: sync every clone, round after round, until all are at one commit.
  local round heads
  for ((round = 1; round <= 4; round++)); do
    for c in "${CLONES[@]}"; do sync_clone "$c"; done
    heads=$(for c in "${CLONES[@]}"; do git -C "$W/$c" rev-parse HEAD; done | sort -u | wc -l)
    ((heads == 1)) && break
  done
  LAST_CMD=
  ((heads == 1)) || fail "after $round rounds of syncs the clones are still at $heads different commits"
  echo "accepted: $(for k in "${!ACCEPTED[@]}"; do printf '%s=%s ' "$k" "${ACCEPTED[$k]}"; done| tr ' ' '\n' | sort | tr '\n' ' ')syncs=$SYNCS pulls=$PULLS, in $SECONDS s"
  local total=0
  for k in "${!ACCEPTED[@]}"; do total=$((total + ACCEPTED[$k])); done
  ((total >= OPS / 3)) || fail "only $total of $OPS operations were accepted: the test hardly changed anything"

  local head
  head=$(git -C "$W/a" rev-parse HEAD)
  [[ $(git -C "$TMP/remote.git" rev-parse main) == "$head" ]] || fail "the remote is not at the clones' HEAD"
  for c in "${CLONES[@]}"; do
    [[ -z $(git -C "$W/$c" status --porcelain) ]] || fail "clone $c is not clean"
    diff -r "$W/a/tickets" "$W/$c/tickets" >/dev/null || fail "tickets/ of a and $c differ"
    local out rc=0
    out=$(git -C "$W/$c" fsck --no-progress 2>&1) || rc=$?
    if ((rc != 0)) || grep -Eiq 'error|missing|broken|corrupt' <<<"$out"; then fail "git fsck in $c ($rc): $out"; fi
  done
  py '
import os, re
root = sys.argv[1]
tickets = set()
for d, _, files in os.walk(os.path.join(root, "tickets")):
    for name in files:
        p = os.path.join(d, name)
        raw = open(p, "rb").read().decode()
        for i, line in enumerate(raw.split("\n"), 1):
            assert not re.match(r"(<{7}|>{7}|\|{7})( |$)|={7}$", line), f"{p}:{i}: conflict marker {line!r}"
        t = tomllib.loads(raw)
        assert name == t["id"] + ".toml", p
        ids = [e["id"] for e in t["history"]]
        assert len(ids) == len(set(ids)), f"{p}: duplicate history entry ids"
        ats = [e["at"] for e in t["history"]]
        assert ats == sorted(ats), f"{p}: history out of time order"
        assert len(t.get("tags", [])) == len(set(t.get("tags", []))), (p, "duplicate tags", t["tags"])
        assert t["status"] in ("new", "open", "pending", "resolved", "closed"), (p, t["status"])
        tickets.add(t["id"])
missing = set(sys.argv[2:]) - tickets
assert not missing, f"tickets lost: {missing}"
' "$W/a" "${TICKETS[@]}"
  dk a list --all --json
  expect_code 0
  LAST_CMD=
  py 'd = json.load(open(sys.argv[1])); rows = d["tickets"] if isinstance(d, dict) else d
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])' "$OUT_FILE" "${#TICKETS[@]}"
  LAST_CMD=
  check_merges "$W/a"
  # Last: nothing any clone ever had is missing from the final desk.
  py '
import os
final = set()
for d, _, files in os.walk(os.path.join(sys.argv[1], "tickets")):
    for name in files:
        t = tomllib.load(open(os.path.join(d, name), "rb"))
        final |= {(t["id"], e["id"]) for e in t["history"]}
first = {}
for l in open(sys.argv[2]):
    if l.strip():
        tid, eid, action, where = l.split()
        first.setdefault((tid, eid), (action, where))
lost = sorted((k[0], k[1], *v) for k, v in first.items() if k not in final)
assert not lost, f"{len(lost)} history entries some clone had are not in the final desk (ticket, entry, action, first seen): {lost[:10]}"
' "$W/a" "$W/ids"
  ((SECONDS < 90)) || echo "note: the property test took $SECONDS s (budget 90 s)" >&2
}

run_all_cases
finish
