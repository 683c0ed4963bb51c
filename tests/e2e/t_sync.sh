# Team sync (invariant 4): clones of one desk change the same and different tickets at once and
# share them through a bare repository (on disk, and over git:// from a git daemon started here),
# with `desk sync` and with a plain `git pull` + `git push` through the merge driver that desk
# registers in every clone. After the last round every clone is at the same commit, with the same
# ticket files, holding every history entry any clone ever recorded; nothing is left dirty or
# half-merged, and git fsck is clean. A remote that cannot be reached changes nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REAL_GIT=$(command -v git)
DESK_REAL=$(readlink -f "$DESK")

# The git daemon of case_git_daemon, stopped by its PID when the script ends however it ends.
stop_daemon() {
  local pid
  for f in "$TMP"/*/daemon.pid; do
    [[ -f $f ]] || continue
    pid=$(<"$f")
    kill "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}
sync_on_exit() {
  local rc=$?
  trap - ERR
  set +e
  stop_daemon
  (exit "$rc")
  on_exit
}
trap sync_on_exit EXIT

# --- helpers -----------------------------------------------------------------------------------

# tick: moves the pinned clock one minute on, so every change has its own time.
CLOCK=0
tick() {
  CLOCK=$((CLOCK + 60))
  DESK_NOW=$(date -u -d "@$((DESK_NOW_EPOCH + CLOCK))" +%Y-%m-%dT%H:%M:%SZ)
  export DESK_NOW
}

# use CLONE: work in $W/CLONE as that clone's user (git identity pinned per clone).
use() {
  cd "$W/$1"
  export GIT_AUTHOR_NAME="Agent ${1^}" GIT_AUTHOR_EMAIL="$1@example.com"
  export GIT_COMMITTER_NAME="Agent ${1^}" GIT_COMMITTER_EMAIL="$1@example.com"
}

# world: a fresh workspace $W with a desk of two tickets (X and Y) pushed to the bare repository
# $W/remote.git.
world() {
  W=$TMP/w$RANDOM$RANDOM
  mkdir -p "$W"
  new_desk "$W/seed"
  new_ticket "VPN drops every hour" --tag vpn --tag network
  X=$ID
  new_ticket "Printer on floor 3" --tag printer
  Y=$ID
  git init -q --bare "$W/remote.git"
  git remote add origin "$W/remote.git"
  git push -q -u origin main
}

# clone NAME [URL]: git clone (of $W/remote.git by default), then one desk command, which
# registers the merge driver in the clone.
clone() {
  git clone -q "${2:-$W/remote.git}" "$W/$1"
  use "$1"
  desk_ok list
}

# sync_clone CLONE: `desk sync --json` in CLONE succeeds and prints the documented object; SYNC is that
# object (JSON text). Checks merged/pushed against what happened to HEAD and the remote.
sync_clone() {
  use "$1"
  tick
  local before
  before=$(git rev-parse HEAD)
  desk_ok sync --json
  SYNC=$OUT
  local remote remote_head
  remote=$(jget remote)
  remote_head=$(git ls-remote "$remote" "refs/heads/$(jget branch)" | cut -f1)
  py '
d = json.loads(sys.argv[1])
head, before, remote_head = sys.argv[2], sys.argv[3], sys.argv[4]
assert d["desk_format"] == 2, d
assert isinstance(d["remote"], str) and isinstance(d["branch"], str), d
for k in ("incoming", "outgoing"):
    assert isinstance(d[k], int) and not isinstance(d[k], bool) and d[k] >= 0, (k, d)
assert isinstance(d["pushed"], bool), d
assert d["merged"] is None or d["merged"] == head, ("merged is not the new HEAD", d, head)
if d["incoming"] == 0:
    assert d["merged"] is None and head == before, ("nothing came in, yet", d)
assert d["pushed"] == (d["outgoing"] > 0), d
assert remote_head == head, ("after sync the remote branch is not HEAD", remote_head, head)
' "$SYNC" "$(git rev-parse HEAD)" "$before" "$remote_head"
  assert_clean
  [[ ! -e .git/MERGE_HEAD ]] || fail "sync left a merge in progress"
}

# jget KEY: a field of the last sync's JSON.
jget() { py 'v = json.loads(sys.argv[1])[sys.argv[2]]; print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$SYNC" "$1"; }

# collect CLONE...: records (ticket id, history entry id) of every entry in the clones' tickets in
# $W/ids, so a final check can prove none of them was lost later.
collect() {
  local c
  for c in "$@"; do
    py '
import os
root, out = sys.argv[1], sys.argv[2]
with open(out, "a") as f:
    for d, _, files in os.walk(os.path.join(root, "tickets")):
        for n in files:
            with open(os.path.join(d, n), "rb") as fh:
                t = tomllib.load(fh)
            for e in t["history"]:
                print(t["id"], e["id"], e["action"], file=f)
' "$W/$c" "$W/ids"
  done
}

# check_desk DIR: every ticket file parses, has no conflict marker, unique entry ids in time
# order; and desk itself reads every ticket.
check_desk() {
  py '
import os, re
root = sys.argv[1]
n = 0
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
        n += 1
assert n > 0, "no tickets"
' "$1"
  run_desk -C "$1" list --all --json
  expect_code 0
  py '
import os
d = json.load(open(sys.argv[1]))
rows = d["tickets"] if isinstance(d, dict) else d
n = sum(len(f) for _, _, f in os.walk(os.path.join(sys.argv[2], "tickets")))
assert len(rows) == n, f"desk list --all shows {len(rows)} tickets, the tree has {n}"' "$OUT_FILE" "$1"
}

# fsck_clean DIR: git fsck finds nothing wrong.
fsck_clean() {
  local out rc=0
  out=$(git -C "$1" fsck --no-progress 2>&1) || rc=$?
  ((rc == 0)) || fail "git fsck in $1 failed ($rc): $out"
  ! grep -Eiq 'error|missing|broken|corrupt|bad ' <<<"$out" || fail "git fsck in $1: $out"
}

# converged CLONE...: all clones at one HEAD, which is the remote's main; byte-identical
# tickets/ trees; clean; every recorded entry present; files sound; fsck clean.
converged() {
  local first=$1 c head
  head=$(git -C "$W/$first" rev-parse HEAD)
  for c in "$@"; do
    [[ $(git -C "$W/$c" rev-parse HEAD) == "$head" ]] ||
      fail "clone $c is at $(git -C "$W/$c" log -1 --format='%h %s'), clone $first at $(git -C "$W/$first" log -1 --format='%h %s')"
    [[ -z $(git -C "$W/$c" status --porcelain) ]] || fail "clone $c is not clean: $(git -C "$W/$c" status --porcelain)"
    diff -r "$W/$first/tickets" "$W/$c/tickets" >/dev/null || fail "tickets/ of $first and $c differ: $(diff -r "$W/$first/tickets" "$W/$c/tickets" | head -20 || true)"
    fsck_clean "$W/$c"
  done
  [[ $(git -C "$W/remote.git" rev-parse main 2>/dev/null || git -C "$W/srv/remote.git" rev-parse main) == "$head" ]] ||
    fail "the remote's main is not the clones' HEAD"
  check_desk "$W/$first"
  collect "$first"
  py '
import os
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
final = set()
for d, _, files in os.walk(os.path.join(sys.argv[2], "tickets")):
    for n in files:
        t = tomllib.load(open(os.path.join(d, n), "rb"))
        final |= {(t["id"], e["id"]) for e in t["history"]}
lost = sorted({(l[0], l[1], l[2]) for l in lines if (l[0], l[1]) not in final})
assert not lost, f"{len(lost)} history entries were lost: {lost[:10]}"
' "$W/ids" "$W/$first"
}

# ticket_py CLONE ID PYTHON: runs the python asserts on the ticket `t` (history `h`) in CLONE.
ticket_py() { py 't = tomllib.load(open(sys.argv[1], "rb")); h = t["history"]
'"$3" "$W/$1/$(ticket_path "$2")"; }

# --- cases ----------------------------------------------------------------------------------------

case_clones_register_the_merge_driver() {
  world
  git clone -q "$W/remote.git" "$W/a"
  use a
  [[ -z $(git config --local --get merge.desk.driver || true) ]] || fail "a fresh clone already has a driver?"
  [[ $(git check-attr merge -- "$(ticket_path "$X")") == *": merge: desk" ]] ||
    fail ".gitattributes does not route ticket files to desk: $(git check-attr merge -- "$(ticket_path "$X")")"
  desk_ok list
  local drv
  drv=$(git config --local --get merge.desk.driver) || fail "desk list did not register merge.desk.driver"
  [[ -n $(git config --local --get merge.desk.name) ]] || fail "no merge.desk.name"
  [[ $drv == *" merge-file %O %A %B %P" ]] || fail "merge.desk.driver is '$drv'"
  [[ $drv == *"$DESK_REAL"* || $drv == *"$DESK"* ]] || fail "merge.desk.driver '$drv' does not name the desk binary $DESK_REAL"
  [[ ${drv%% merge-file*} =~ ^\'?/ ]] || fail "merge.desk.driver '$drv' is not an absolute path"
  # The registration is idempotent: another command leaves .git/config as it is.
  cp .git/config "$W/config.before"
  desk_ok list
  cmp -s .git/config "$W/config.before" || fail "a second desk command rewrote .git/config: $(diff "$W/config.before" .git/config || true)"
  # desk init registers it too.
  new_desk "$W/fresh"
  [[ $(git config --local --get merge.desk.driver) == *" merge-file %O %A %B %P" ]] || fail "desk init did not register the driver"
}

case_two_clones_same_ticket() {
  world
  clone a
  clone b
  use a
  tick
  desk_ok comment "$X" -m "From A: restarted the client."
  use b
  tick
  desk_ok escalate "$X" -m "From B: the concentrator drops sessions; needs L2."
  collect a b
  sync_clone a
  [[ $(jget incoming) == 0 && $(jget outgoing) == 1 && $(jget pushed) == true && $(jget merged) == null ]] ||
    fail "A's sync: $SYNC"
  [[ $(jget remote) == origin && $(jget branch) == main ]] || fail "A's sync: $SYNC"
  # B's sync: fetch A's commit, merge (ticket X changed on both sides), push both.
  sync_clone b
  [[ $(jget incoming) == 1 && $(jget outgoing) == 2 && $(jget pushed) == true ]] || fail "B's sync: $SYNC"
  [[ $(jget merged) == "$(git rev-parse HEAD)" ]] || fail "B's sync did not report its merge commit: $SYNC"
  [[ $(git rev-list --parents -n1 HEAD | wc -w) == 3 ]] || fail "B's HEAD is not a merge commit"
  expect_err_contains "origin"
  ticket_py b "$X" '
texts = [e.get("text") for e in h]
assert "From A: restarted the client." in texts and "From B: the concentrator drops sessions; needs L2." in texts, texts
assert t["tier"] == "L2", t["tier"]'
  sync_clone a
  [[ $(jget incoming) == 2 && $(jget outgoing) == 0 && $(jget pushed) == false ]] || fail "A's second sync: $SYNC"
  # Nothing left to do: a sync is a no-op.
  sync_clone b
  [[ $(jget incoming) == 0 && $(jget outgoing) == 0 && $(jget pushed) == false ]] || fail "an idle sync: $SYNC"
  converged a b
}

case_three_clones_same_and_different_tickets() {
  world
  clone a
  clone b
  clone c
  use a; tick
  desk_ok comment "$X" -m "A1 on X"
  desk_ok triage "$X" --priority P2 --tag a-tag --untag network
  new_ticket "A's new ticket"; A_NEW=$ID
  use b; tick
  desk_ok comment "$X" -m "B1 on X"
  desk_ok triage "$X" --priority P1 --tag b-tag
  desk_ok assign "$Y" bob
  use c; tick
  desk_ok escalate "$X" -m "C escalates X"
  desk_ok comment "$Y" -m "C1 on Y"
  new_ticket "C's new ticket"; C_NEW=$ID
  collect a b c
  sync_clone c
  use a; tick
  desk_ok comment "$Y" -m "A2 on Y, not yet synced"
  collect a
  sync_clone b
  sync_clone a
  sync_clone c
  use c; tick
  desk_ok assign "$X" carol
  desk_ok comment "$A_NEW" -m "C on A's ticket"
  collect c
  sync_clone c
  use b; tick
  desk_ok comment "$C_NEW" -m "B on C's ticket"
  collect b
  sync_clone b
  # The final rounds: everyone syncs until nobody gets anything new.
  sync_clone a
  sync_clone c
  sync_clone a
  sync_clone b
  converged a b c
  ticket_py a "$X" '
assert t["priority"] == "P1", ("B set P1 after A set P2", t["priority"])
assert set(t["tags"]) == {"vpn", "a-tag", "b-tag"}, t["tags"]
assert t["tier"] == "L2" and t["assignee"] == "carol", (t["tier"], t.get("assignee"))
m = [e for e in h if e["action"] == "merge"]
assert any(c["field"] == "priority" and (c["from"], c["to"]) == ("P2", "P1") for e in m for c in e["changes"]), m'
  ticket_py a "$Y" 'assert t["assignee"] == "bob", t.get("assignee")'
  [[ -f $W/a/$(ticket_path "$A_NEW") && -f $W/b/$(ticket_path "$C_NEW") ]] || fail "a ticket created in one clone is missing"
}

case_same_field_conflict_resolves_the_same_everywhere() {
  world
  clone a
  clone b
  clone c
  use a; tick
  desk_ok triage "$X" --priority P1
  desk_ok assign "$X" alice
  use b; tick
  desk_ok triage "$X" --priority P4
  desk_ok assign "$X" bob
  use c; tick
  desk_ok assign "$X" carol
  collect a b c
  # B then A then C: each later sync merges the conflict against what is already merged.
  sync_clone b
  sync_clone a
  sync_clone c
  sync_clone b
  sync_clone a
  converged a b c
  ticket_py a "$X" '
assert t["priority"] == "P4", ("B acted after A", t["priority"])
assert t["assignee"] == "carol", ("C acted last", t["assignee"])
m = [(c["field"], c["from"], c["to"]) for e in h if e["action"] == "merge" for c in e["changes"]]
assert ("priority", "P1", "P4") in m, m
assert ("assignee", "bob", "carol") in m or ("assignee", "alice", "carol") in m, m'
}

# A and B pull from each other directly (no remote in between), each merging the same conflict on
# its own; then both sync. The two merges of the same conflict are the same, so the desk ends
# with one record of it, not two.
case_criss_cross_merges_converge() {
  world
  clone a
  clone b
  use a; tick
  desk_ok triage "$X" --priority P1
  use b; tick
  desk_ok triage "$X" --priority P2
  collect a b
  use b
  git fetch -q "$W/a" main:refs/peer/a || fail "B's fetch from A failed"
  use a
  git pull -q --no-rebase --no-edit "$W/b" main >/dev/null || fail "A's pull from B failed"
  use b
  git merge -q --no-edit refs/peer/a >/dev/null || fail "B's merge of A's commit failed"
  [[ $(git -C "$W/a" rev-parse HEAD) != $(git -C "$W/b" rev-parse HEAD) ]] || fail "not a criss-cross: A and B made the same merge commit"
  diff "$W/a/$(ticket_path "$X")" "$W/b/$(ticket_path "$X")" >/dev/null ||
    fail "the same conflict merged on two clones differs: $(diff "$W/a/$(ticket_path "$X")" "$W/b/$(ticket_path "$X")" || true)"
  sync_clone a
  sync_clone b
  sync_clone a
  converged a b
  ticket_py a "$X" '
m = [e for e in h if e["action"] == "merge"]
assert len(m) == 1, ("one conflict, recorded once", m)
assert t["priority"] == "P2" and [(c["field"], c["from"], c["to"]) for c in m[0]["changes"] if c["field"] == "priority"] == [("priority", "P1", "P2")], (t["priority"], m)'
}

# A criss-cross where the two lines recorded the same conflict differently: line "two" merged
# X (P1) and Y (P2, bob) and recorded the priority conflict alone; line "one" had also assigned
# alice before merging Y, and recorded priority and assignee together. Merging "one" and "two"
# (merge bases X and Y: git first merges them, through the driver, into a virtual base) must
# keep every history entry either line has, merge records included. (Found by
# t_property_sync.sh, DESK_SEED=3 DESK_OPS=60.)
case_criss_cross_keeps_every_merge_record() {
  world
  clone a
  use a
  fork() { git checkout -q -B "$1" "$2"; }
  local base
  base=$(git rev-parse HEAD)
  fork x "$base"; tick
  desk_ok triage "$X" --priority P1
  fork y "$base"; tick
  desk_ok triage "$X" --priority P2
  desk_ok assign "$X" bob
  fork two y
  git merge -q --no-edit x >/dev/null || fail "merging x into two failed"
  fork one x; tick
  desk_ok assign "$X" alice
  git merge -q --no-edit y >/dev/null || fail "merging y into one failed"
  collect a
  git checkout -q two
  collect a
  git checkout -q one
  [[ $(git merge-base --all one two | wc -l) == 2 ]] || fail "not a criss-cross: $(git merge-base --all one two)"
  git merge -q --no-edit two >/dev/null 2>&1 || fail "merging two into one failed: $(git status --short)"
  assert_clean
  collect a
  py '
import os
final = {e["id"] for e in tomllib.load(open(sys.argv[2], "rb"))["history"]}
seen = {tuple(l.split()) for l in open(sys.argv[1]) if l.strip()}
lost = sorted(x for x in seen if x[1] not in final and x[0] == sys.argv[3])
assert not lost, f"the criss-cross merge dropped {lost} (the final entries: {sorted(final)})"
' "$W/ids" "$(ticket_path "$X")" "$X"
  # And merged the other way round, the same file.
  git checkout -q -B two2 two
  git merge -q --no-edit one~1 >/dev/null 2>&1 || fail "merging one~1 into two failed"
  git diff --quiet one two2 -- "$(ticket_path "$X")" || fail "one+two and two+one differ: $(git diff one two2 -- "$(ticket_path "$X")" | head -30 || true)"
}

# The documented scenario: A and B both change, A syncs, then B's sync fetches, merges, pushes.
# Then the race itself: someone pushes between B's fetch and B's push (a git wrapper on PATH
# pushes A's commit just before B's push), so B's first push is rejected and desk must fetch,
# merge and push again.
case_push_rejected_then_retried() {
  world
  clone a
  clone b
  use a; tick
  desk_ok comment "$X" -m "A, pushed first"
  use b; tick
  desk_ok comment "$X" -m "B, pushed second"
  collect a b
  sync_clone a
  sync_clone b
  [[ $(jget pushed) == true && $(jget incoming) == 1 ]] || fail "B's sync after A's: $SYNC"
  sync_clone a
  converged a b
  # The race.
  use a; tick
  desk_ok comment "$X" -m "A, sneaks in during B's sync"
  desk_ok triage "$Y" --priority P1
  use b; tick
  desk_ok comment "$X" -m "B, whose first push is rejected"
  desk_ok triage "$Y" --priority P2
  collect a b
  mkdir -p "$W/bin"
  cat >"$W/bin/git" <<EOF
#!/bin/bash
echo "\$*" >>"$W/git-calls"
if [[ \$1 == push && ! -e "$W/sneaked" ]]; then
  : >"$W/sneaked"
  "$REAL_GIT" -C "$W/a" push -q origin HEAD:main >&2 || exit 99
fi
exec "$REAL_GIT" "\$@"
EOF
  chmod +x "$W/bin/git"
  use b
  local before
  before=$(git rev-parse HEAD)
  tick
  PATH=$W/bin:$PATH run_desk sync --json
  expect_code 0
  [[ -e $W/sneaked ]] || fail "desk sync never pushed through git on PATH (the test's race did not happen)"
  [[ $(grep -c '^push' "$W/git-calls") -ge 2 ]] || fail "desk sync did not push again after the rejection: $(cat "$W/git-calls")"
  SYNC=$OUT
  [[ $(jget pushed) == true ]] || fail "B's sync after a rejected push: $SYNC"
  [[ $(git ls-remote origin refs/heads/main | cut -f1) == "$(git rev-parse HEAD)" ]] || fail "B's merge did not reach the remote"
  git merge-base --is-ancestor "$(git -C "$W/a" rev-parse HEAD)" HEAD || fail "B's HEAD lacks A's sneaked commit"
  git merge-base --is-ancestor "$before" HEAD || fail "B's HEAD lost B's own commits"
  assert_clean
  sync_clone a
  converged a b
  ticket_py a "$X" '
texts = [e.get("text") for e in h]
for want in ("A, sneaks in during B'"'"'s sync", "B, whose first push is rejected"):
    assert want in texts, (want, texts)'
}

# Someone pushes before every push of B's: desk gives up after a bounded number of attempts,
# with an error naming the remote, B's commits kept and nothing half-merged.
case_push_race_is_bounded() {
  world
  clone a
  clone b
  use b; tick
  desk_ok comment "$X" -m "B never gets through"
  local mine
  mine=$(git rev-parse HEAD)
  mkdir -p "$W/bin"
  cat >"$W/bin/git" <<EOF
#!/bin/bash
if [[ \$1 == push ]]; then
  echo push >>"$W/pushes"
  "$REAL_GIT" -C "$W/a" commit -q --allow-empty -m "sneak \$(wc -l <"$W/pushes")" >&2 &&
    "$REAL_GIT" -C "$W/a" push -q origin HEAD:main >&2 || exit 99
fi
exec "$REAL_GIT" "\$@"
EOF
  chmod +x "$W/bin/git"
  use b
  tick
  PATH=$W/bin:$PATH timeout 120 "$DESK" sync >"$OUT_FILE" 2>"$ERR_FILE" && CODE=0 || CODE=$?
  OUT=$(<"$OUT_FILE") ERR=$(<"$ERR_FILE") LAST_CMD="desk sync (everyone else always pushes first)"
  [[ $CODE != 124 ]] || fail "desk sync did not give up (still retrying after 120 s)"
  expect_error 1 "origin"
  local n
  n=$(wc -l <"$W/pushes")
  ((n >= 2 && n <= 20)) || fail "desk sync tried to push $n times"
  git merge-base --is-ancestor "$mine" HEAD || fail "B's own commit is gone"
  [[ ! -e .git/MERGE_HEAD ]] || fail "a merge was left in progress"
  assert_clean
  ticket_py b "$X" 'assert "B never gets through" in [e.get("text") for e in h]'
}

# The driver path: plain git, no desk sync. A text merge of two entries appended to the end of
# the same file conflicts; with the driver desk registered it merges cleanly.
case_plain_git_pull_and_push() {
  world
  clone a
  clone b
  use a; tick
  desk_ok comment "$X" -m "A, via plain git"
  desk_ok triage "$X" --priority P1 --tag a-tag
  use b; tick
  desk_ok comment "$X" -m "B, via plain git"
  desk_ok triage "$X" --priority P2 --untag vpn
  new_ticket "B's ticket via plain git"
  collect a b
  use a
  git push -q origin main || fail "A's push failed"
  use b
  local out
  out=$(git pull --no-rebase --no-edit origin main 2>&1) || fail "git pull in B failed (the driver did not merge): $out
$(git status --short)"
  [[ $(git rev-list --parents -n1 HEAD | wc -w) == 3 ]] || fail "git pull made no merge commit"
  assert_clean
  check_desk "$W/b"
  git push -q origin main || fail "B's push failed"
  use a
  git pull -q --no-rebase --no-edit origin main || fail "A's pull failed"
  converged a b
  ticket_py a "$X" '
texts = [e.get("text") for e in h]
assert "A, via plain git" in texts and "B, via plain git" in texts, texts
assert t["priority"] == "P2" and set(t["tags"]) == {"network", "a-tag"}, (t["priority"], t["tags"])
assert any(c["field"] == "priority" and (c["from"], c["to"]) == ("P1", "P2") for e in h if e["action"] == "merge" for c in e["changes"]), h[-1]'
  # The control: the same kind of change, pulled in a clone where desk never ran (no driver), is
  # a text conflict; so the pull above really went through desk's driver.
  git clone -q "$W/remote.git" "$W/nodriver"
  use a; tick
  desk_ok comment "$Y" -m "A again"
  git push -q origin main
  cd "$W/nodriver"
  printf '\n[[history]]\nid = "zzzzzzzzzz"\nat = 2026-11-23T12:00:00Z\nby = "Nobody <n@example.com>"\naction = "comment"\ntext = "by hand"\n' >>"$(ticket_path "$Y")"
  git commit -qam "hand-written comment"
  if git pull -q --no-rebase --no-edit origin main >/dev/null 2>&1; then
    fail "without the driver the pull merged cleanly, so this test cannot tell the driver ran"
  fi
  git merge --abort
}

case_git_daemon() {
  world
  mkdir -p "$W/srv"
  mv "$W/remote.git" "$W/srv/remote.git"
  local port url i
  port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  git daemon --reuseaddr --base-path="$W/srv" --export-all --enable=receive-pack --port="$port" --listen=127.0.0.1 \
    >"$W/daemon.log" 2>&1 &
  echo $! >"$W/daemon.pid"
  trap stop_daemon EXIT
  url=git://127.0.0.1:$port/remote.git
  for ((i = 0; i < 100; i++)); do
    git ls-remote "$url" >/dev/null 2>&1 && break
    kill -0 "$(<"$W/daemon.pid")" 2>/dev/null || fail "git daemon exited: $(cat "$W/daemon.log")"
    sleep 0.1
  done
  ((i < 100)) || fail "git daemon on port $port did not accept connections within 10 s: $(cat "$W/daemon.log")"
  clone a "$url"
  clone b "$url"
  use a; tick
  desk_ok comment "$X" -m "A over git://"
  new_ticket "A's ticket over git://"
  use b; tick
  desk_ok escalate "$X" -m "B over git://"
  desk_ok comment "$Y" -m "B on Y over git://"
  collect a b
  sync_clone a
  sync_clone b
  [[ $(jget incoming) -ge 1 && $(jget pushed) == true ]] || fail "B's sync over git://: $SYNC"
  sync_clone a
  converged a b
  stop_daemon
}

case_unreachable_remote_changes_nothing() {
  world
  clone a
  use a; tick
  desk_ok comment "$X" -m "Not pushed yet"
  # The user's own work, staged and unstaged, must survive a failed sync untouched.
  echo "draft" >notes.txt
  echo "staged" >staged.txt
  git add staged.txt
  local url refs
  for url in git://127.0.0.1:1/none "$W/does-not-exist.git"; do
    git remote remove broken 2>/dev/null || true
    git remote add broken "$url"
    snapshot
    refs=$(git for-each-ref)
    tick
    run_desk sync broken
    expect_error 1 "broken"
    assert_unchanged
    [[ $(git for-each-ref) == "$refs" ]] || fail "a failed sync changed refs"
    run_desk sync broken --json
    expect_error 1 "broken"
    assert_unchanged
  done
  # The default remote (origin), unreachable.
  git remote set-url origin git://127.0.0.1:1/none
  snapshot
  run_desk sync
  expect_error 1 "origin"
  assert_unchanged
  [[ $(<notes.txt) == draft ]] || fail "notes.txt changed"
  [[ $(git diff --cached --name-only) == staged.txt ]] || fail "the index changed: $(git diff --cached --name-only)"
}

# Sync with the user's unrelated work in the tree (an unstaged edit, an untracked file): it is
# not committed, pushed, reset or lost.
case_sync_keeps_local_work() {
  world
  echo "team notes" >"$W/seed/NOTES.md"
  (cd "$W/seed" && git add NOTES.md && git commit -qm notes && git push -q origin main)
  clone a
  clone b
  use a; tick
  desk_ok comment "$X" -m "incoming for B"
  sync_clone a
  use b; tick
  desk_ok comment "$X" -m "B's change"
  echo "local edit" >>NOTES.md
  echo "untracked" >scratch.txt
  tick
  desk_ok sync
  [[ -z $OUT ]] || fail "sync without --json printed on stdout"
  expect_err_contains "origin"
  [[ $(<NOTES.md) == $'team notes\nlocal edit' ]] || fail "the unstaged edit was lost: $(cat NOTES.md)"
  [[ $(<scratch.txt) == untracked ]] || fail "the untracked file was lost"
  [[ $(git status --porcelain | sort) == $' M NOTES.md\n?? scratch.txt' ]] ||
    fail "git status after sync: $(git status --porcelain)"
  [[ $(git ls-remote origin refs/heads/main | cut -f1) == "$(git rev-parse HEAD)" ]] || fail "B's merge was not pushed"
  [[ $(git show origin/main:NOTES.md) == "team notes" ]] || fail "sync pushed the user's unstaged edit"
  ticket_py b "$X" 'assert {"incoming for B", "B'"'"'s change"} <= {e.get("text") for e in h}'
}

# Staged work of the user's (git itself will not merge over a dirty index): sync either merges
# and keeps it staged and unpushed, or fails (exit 1, saying what to do) with HEAD, index and
# working tree exactly as they were.
case_sync_with_staged_work() {
  world
  clone a
  clone b
  use a; tick
  desk_ok comment "$X" -m "incoming for B"
  sync_clone a
  use b; tick
  desk_ok comment "$X" -m "B's change"
  echo "staged" >staged.txt
  git add staged.txt
  snapshot
  tick
  run_desk sync
  if ((CODE == 0)); then
    [[ $(git status --porcelain) == "A  staged.txt" ]] || fail "git status after sync: $(git status --porcelain)"
    git cat-file -e origin/main:staged.txt 2>/dev/null && fail "sync pushed the user's staged file"
  else
    expect_error 1 "origin"
    assert_unchanged
    [[ ! -e .git/MERGE_HEAD ]] || fail "a merge was left in progress"
  fi
  [[ $(<staged.txt) == staged ]] || fail "the staged file changed"
}

# An incoming change to a ticket file the user has edited by hand and not committed: the merge
# cannot run; sync fails and keeps the edit, HEAD and the index as they were.
case_sync_with_a_dirty_ticket_keeps_it() {
  world
  clone a
  clone b
  use a; tick
  desk_ok comment "$X" -m "incoming for B"
  sync_clone a
  use b
  printf '# hand edit in progress\n' >>"$(ticket_path "$X")"
  cp "$(ticket_path "$X")" "$W/edited"
  snapshot
  tick
  run_desk sync
  [[ $CODE != 0 ]] || fail "sync merged over an uncommitted edit of an incoming ticket"
  [[ -n $ERR ]] || fail "no error message"
  assert_unchanged
  cmp -s "$(ticket_path "$X")" "$W/edited" || fail "the hand edit was lost"
  [[ ! -e .git/MERGE_HEAD ]] || fail "a merge was left in progress"
}

# A desk never pushed (remote empty) and a clone whose remote is not called origin.
case_first_push_and_upstream_remote() {
  W=$TMP/w$RANDOM$RANDOM
  mkdir -p "$W"
  new_desk "$W/a"
  new_ticket "First ticket"
  git init -q --bare "$W/remote.git"
  git remote add origin "$W/remote.git"
  collect a
  sync_clone a
  [[ $(jget pushed) == true && $(jget branch) == main && $(jget remote) == origin ]] || fail "first sync: $SYNC"
  git clone -q -o hub "$W/remote.git" "$W/b"
  use b
  desk_ok list
  tick
  desk_ok comment "$ID" -m "via hub"
  sync_clone b
  [[ $(jget remote) == hub && $(jget pushed) == true ]] || fail "sync in a clone whose upstream remote is 'hub': $SYNC"
  sync_clone a
  converged a b
}

run_all_cases
finish
