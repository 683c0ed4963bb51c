# desk merge-file, git's merge driver for ticket files (invariant 4: merges lose nothing), driven
# directly on base/ours/theirs versions of one ticket made by real desk commands on branches of a
# throwaway desk. Every merge is made both ways, (base, A, B) and (base, B, A), and must give
# byte-identical files that parse as TOML, carry every history entry of both sides unchanged,
# ordered by time, and never a conflict marker. Field by field: a field changed on one side takes
# that side; a field both sides changed to different values goes to the side whose newest own
# entry is later (ties: the greater value) and a `merge` history entry records the losing value
# (from = loser, to = winner); tags merge as sets.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

M=$TMP/m  # the versions and results of the merges
mkdir -p "$M"

# at HH:MM: pins the clock of the following desk commands to that time on the test day.
at() { export DESK_NOW="2026-11-23T$1:00Z"; }

# fresh_ticket TITLE ARGS...: a fresh desk (in its own directory) with one ticket; ID is the
# ticket, BASE_REV the commit sides fork from (move it with `fork_here`).
fresh_ticket() {
  at 08:00
  new_desk "$TMP/desk-$RANDOM$RANDOM"
  new_ticket "$@"
  fork_here
}
fork_here() { BASE_REV=$(git rev-parse HEAD); }

# side NAME: checks out a new branch NAME at BASE_REV; desk commands then make that side.
side() { git checkout -q -B "$1" "$BASE_REV"; }

# grab NAME [REV]: saves the ticket file as of REV (default HEAD) as $M/NAME.toml.
grab() { git show "${2:-HEAD}:$(ticket_path "$ID")" >"$M/$1.toml"; }

# merge3 BASE OURS THEIRS RESULT: runs `desk merge-file` on a copy of OURS (the driver writes into
# OURS), with the ticket's path as %P; expects exit 0 and nothing on stdout.
merge3() {
  cp "$M/$2.toml" "$M/$4.toml"
  run_desk merge-file "$M/$1.toml" "$M/$4.toml" "$M/$3.toml" "$(ticket_path "$ID")"
  expect_code 0
  [[ -z $OUT ]] || fail "merge-file printed on stdout"
}

# merge_both BASE A B PYTHON: merges (BASE, A, B) into $M/ab.toml and (BASE, B, A) into
# $M/ba.toml; they must be byte-identical and pass check_merge; PYTHON then runs with `base`, `a`,
# `b`, `r` (the result), `merges` (the result's entries that neither side had: merge records) and
# `changes` (all their changes, as (field, from, to)).
merge_both() {
  local base=$1 a=$2 b=$3 check=$4
  cp "$M/$a.toml" "$M/$a.keep"
  cp "$M/$b.toml" "$M/$b.keep"
  merge3 "$base" "$a" "$b" ab
  merge3 "$base" "$b" "$a" ba
  cmp -s "$M/$a.toml" "$M/$a.keep" || fail "merge-file changed THEIRS ($a)"
  cmp -s "$M/$b.toml" "$M/$b.keep" || fail "merge-file changed THEIRS ($b)"
  cmp -s "$M/ab.toml" "$M/ba.toml" ||
    fail "merging (base, $a, $b) and (base, $b, $a) differ: $(diff "$M/ab.toml" "$M/ba.toml" | head -40 || true)"
  check_merge "$M/$base.toml" "$M/$a.toml" "$M/$b.toml" "$M/ab.toml" "$check"
}

# check_merge BASE A B RESULT PYTHON: the invariants of every merge, then PYTHON.
check_merge() {
  py '
import re
def load(p):
    with open(p, "rb") as f:
        raw = f.read()
    return raw, (tomllib.loads(raw.decode()) if raw.strip() else None)
_, base = load(sys.argv[1])
_, a = load(sys.argv[2])
_, b = load(sys.argv[3])
raw, r = load(sys.argv[4])
text = raw.decode()
for n, line in enumerate(text.split("\n"), 1):
    assert not re.match(r"(<{7}|>{7}|\|{7})( |$)|={7}$", line), f"conflict marker at line {n}: {line!r}"
assert r is not None, "empty result"
assert r["id"] == a["id"] == b["id"], (r["id"], a["id"], b["id"])
h = r["history"]
ids = [e["id"] for e in h]
assert len(ids) == len(set(ids)), f"duplicate history entry ids: {ids}"
by_id = {e["id"]: e for e in h}
for side, t in (("A", a), ("B", b)):
    for e in t["history"]:
        assert e["id"] in by_id, (side, "a history entry was lost", e)
        assert by_id[e["id"]] == e, (side, "a history entry changed", e, by_id[e["id"]])
known = {e["id"] for e in a["history"]} | {e["id"] for e in b["history"]}
merges = [e for e in h if e["id"] not in known]
for e in merges:
    assert e["action"] == "merge", ("the merge invented an entry", e)
    assert e.get("changes"), f"a merge entry without changes: {e}"
    for c in e["changes"]:
        assert c["from"] != c["to"], f"a merge change with from == to: {c}"
ats = [e["at"] for e in h]
assert ats == sorted(ats), ("history is not ordered by time", [(e["id"], str(e["at"])) for e in h])
tags = r.get("tags", [])
assert len(tags) == len(set(tags)), f"duplicate tags: {tags}"
changes = [(c["field"], c["from"], c["to"]) for e in merges for c in e["changes"]]
def entry(t, action):
    got = [e for e in t["history"] if e["id"] not in {x["id"] for x in base["history"]} and e["action"] == action] if base else \
          [e for e in t["history"] if e["action"] == action]
    assert len(got) == 1, f"expected one new {action} entry, got {got}"
    return got[0]
'"$5" "$@"
}

# desk_reads RESULT: the merged file, committed on a branch, is a ticket desk itself reads.
desk_reads() {
  git checkout -q -B "merged-$RANDOM" "$BASE_REV"
  cp "$1" "$(ticket_path "$ID")"
  git commit -qam "the merge of $ID"
  desk_ok show "$ID" --json
  py 'd = json.load(open(sys.argv[1])); assert d["id"] == sys.argv[2], d' "$OUT_FILE" "$ID"
  assert_clean
}

case_escalate_vs_comment() {
  fresh_ticket "VPN drops" --assign alice
  desk_ok triage "$ID" --priority P3
  fork_here
  grab base
  side a
  at 10:00
  desk_ok escalate "$ID" -m "Reset did not help; needs L2."
  grab a
  side b
  at 11:00
  desk_ok comment "$ID" -m "Customer says it happens every hour."
  grab b
  # Only A changed the tier (and, escalating, cleared the assignee): A's tier, both entries.
  merge_both base a b '
assert r["tier"] == "L2", r["tier"]
assert not r.get("assignee"), r.get("assignee")
esc, com = entry(a, "escalate"), entry(b, "comment")
assert esc["text"] == "Reset did not help; needs L2." and com["text"] == "Customer says it happens every hour."
assert [e["action"] for e in h][-2:] == ["escalate", "comment"], [e["action"] for e in h]
assert not merges, f"no field changed on both sides, yet a merge entry: {merges}"
assert r["status"] == "open", r["status"]'
  desk_reads "$M/ab.toml"
  # The comment earlier than the escalation: the same fields, the entries in the other order.
  side b2
  at 09:30
  desk_ok comment "$ID" -m "An earlier reply."
  grab b2
  merge_both base a b2 '
assert r["tier"] == "L2" and not r.get("assignee") and not merges, (r["tier"], merges)
assert [e["action"] for e in h][-2:] == ["comment", "escalate"], [e["action"] for e in h]'
}

case_escalated_on_both_sides() {
  fresh_ticket "Mail bounces"
  grab base
  side a
  at 10:00
  desk_ok escalate "$ID" -m "From A: mailbox quota."
  grab a
  side b
  at 10:30
  desk_ok escalate "$ID" -m "From B: transport rules."
  grab b
  # The same move on both sides is no conflict; both hand-off notes are kept.
  merge_both base a b '
assert r["tier"] == "L2", r["tier"]
notes = sorted(e["text"] for e in h if e["action"] == "escalate")
assert notes == ["From A: mailbox quota.", "From B: transport rules."], notes
assert not [c for c in changes if c[0] == "tier"], changes'
}

case_escalate_vs_deescalate() {
  fresh_ticket "Database slow" --tier L2
  grab base
  side a
  at 10:00
  desk_ok escalate "$ID" -m "Needs a DBA."
  grab a
  side b
  at 11:00
  desk_ok deescalate "$ID" -m "Index rebuilt; L1 can confirm with the customer."
  grab b
  # Both moved the tier, B last: B's tier wins and A's is recorded as the loser.
  merge_both base a b '
assert r["tier"] == "L1", r["tier"]
assert ("tier", "L3", "L1") in changes, changes
assert len(merges) == 1 and merges[0]["at"] == entry(b, "deescalate")["at"], merges'
  desk_reads "$M/ab.toml"
}

# A resolved ticket: closed on one side, and reopened or commented on the other.
resolved_ticket() {
  fresh_ticket "Printer jams" --assign bob
  at 09:00
  desk_ok resolve "$ID" -m "Replaced the roller."
  fork_here
  grab base
}

case_close_vs_comment() {
  resolved_ticket
  side a
  at 10:00
  desk_ok close "$ID" --csat 4
  grab a
  side b
  at 11:00
  desk_ok comment "$ID" -m "Thanks, works now."
  grab b
  # Only A changed the status: closed, with A's satisfaction, and B's comment kept.
  merge_both base a b '
assert (r["status"], r.get("csat")) == ("closed", 4), (r["status"], r.get("csat"))
assert r.get("resolution") == "Replaced the roller.", r.get("resolution")
assert entry(b, "comment")["text"] == "Thanks, works now." and entry(a, "close")["csat"] == 4
assert not merges, merges'
  desk_reads "$M/ab.toml"
}

case_close_vs_reopen() {
  resolved_ticket
  side a
  at 10:00
  desk_ok close "$ID" --csat 5
  grab a
  side b
  at 11:00
  desk_ok reopen "$ID" -m "Jammed again."
  grab b
  # Documented result: the later action wins the status, the earlier one is recorded as lost.
  # Reopen after close: the ticket is open again.
  merge_both base a b '
assert r["status"] == "open", r["status"]
assert ("status", "closed", "open") in changes, changes
assert entry(a, "close") and entry(b, "reopen")["text"] == "Jammed again."
# The rating and resolution follow the winning status (an open ticket has neither); both are recorded.
assert "csat" not in r and "resolution" not in r, r
assert ("csat", "5", "") in changes, changes
assert any(c[0] == "resolution" and c[2] == "" for c in changes), changes
assert {c["field"] for m in merges for c in m["changes"]} == {"status", "csat", "resolution"}, merges
for m in merges:
    assert m["at"] == entry(b, "reopen")["at"], (m["at"], entry(b, "reopen")["at"])'
  desk_reads "$M/ab.toml"
  # Close after reopen: the close wins and the reopen's status is the recorded loser.
  side b2
  at 09:30
  desk_ok reopen "$ID" -m "Jammed again, earlier."
  grab b2
  merge_both base a b2 '
assert r["status"] == "closed", r["status"]
assert r["csat"] == 5, r
assert ("status", "open", "closed") in changes, changes'
  desk_reads "$M/ab.toml"
}

case_same_field_both_sides() {
  fresh_ticket "Laptop will not boot" --priority P3
  at 09:00
  desk_ok assign "$ID" carol
  fork_here
  grab base
  side a
  at 10:00
  desk_ok triage "$ID" --priority P2
  desk_ok assign "$ID" alice
  grab a
  side b
  at 11:00
  desk_ok triage "$ID" --priority P1
  desk_ok assign "$ID" bob
  grab b
  # B acted last: B's values, A's recorded as the losers, one merge entry per field (the SLA
  # policy follows the priority and is not a conflict of its own).
  merge_both base a b '
assert (r["priority"], r["assignee"]) == ("P1", "bob"), (r["priority"], r["assignee"])
assert ("priority", "P2", "P1") in changes and ("assignee", "alice", "bob") in changes, changes
assert len(merges) == 2 and all(len(e["changes"]) == 1 for e in merges), merges
m = merges[0]
assert m["at"] == max(e["at"] for e in b["history"]), m
assert r["sla"]["priority"] == "P1", r["sla"]'
  desk_reads "$M/ab.toml"
  # show names the field, the value kept and the other side's.
  desk_ok show "$ID"
  expect_out_contains "merge: both sides changed priority; kept 'P1' (acted last), the other side had 'P2'"
  expect_out_contains "merge: both sides changed assignee; kept 'bob' (acted last), the other side had 'alice'"
  expect_out_lacks "'from'"
  # The same changes at the same time: the greater value wins (P2 > P1, bob > alice).
  side a2
  at 10:00
  desk_ok triage "$ID" --priority P1
  desk_ok assign "$ID" alice
  grab a2
  side b2
  at 10:00
  desk_ok triage "$ID" --priority P2
  desk_ok assign "$ID" bob
  grab b2
  merge_both base a2 b2 '
assert (r["priority"], r["assignee"]) == ("P2", "bob"), (r["priority"], r["assignee"])
assert ("priority", "P1", "P2") in changes and ("assignee", "alice", "bob") in changes, changes'
  # Changed on both sides to the same value: no conflict, no merge entry.
  side a3
  at 10:00
  desk_ok triage "$ID" --priority P1
  grab a3
  side b3
  at 11:00
  desk_ok triage "$ID" --priority P1
  grab b3
  merge_both base a3 b3 '
assert r["priority"] == "P1" and not merges, (r["priority"], merges)
assert len([e for e in h if e["action"] == "triage"]) == 2, "both triage entries are kept"'
}

case_tags_merge_as_sets() {
  fresh_ticket "Shared drive full" --tag a --tag b --tag c
  grab base
  side a
  at 10:00
  desk_ok triage "$ID" --untag a --tag x --tag z
  grab a
  side b
  at 11:00
  desk_ok triage "$ID" --untag b --tag y --tag z
  grab b
  # Removed on either side: gone; added on either side: there, once.
  merge_both base a b '
assert sorted(r["tags"]) == ["c", "x", "y", "z"], r["tags"]
assert not [c for c in changes if c[0] == "tags"], f"tags are a set, not a conflict: {changes}"'
  desk_reads "$M/ab.toml"
  # One side removes a tag the other leaves alone; the other side adds a tag.
  side a2
  at 10:00
  desk_ok triage "$ID" --untag c
  grab a2
  side b2
  at 09:00
  desk_ok triage "$ID" --tag w
  grab b2
  merge_both base a2 b2 '
assert sorted(r["tags"]) == ["a", "b", "w"], r["tags"]'
}

case_one_side_unchanged_gives_the_other() {
  fresh_ticket "Monitor flickers" --tag hw
  grab base
  at 09:00
  desk_ok escalate "$ID" -m "Hardware."
  at 09:10
  desk_ok triage "$ID" --priority P2 --untag hw --tag screen
  at 09:20
  desk_ok comment "$ID" -m "Ordered a new cable."
  grab a
  # (base, base, A), (base, A, base) and (base, A, A) are all exactly A.
  merge_both base base a 'pass'
  cmp -s "$M/ab.toml" "$M/a.toml" || fail "merging an unchanged side did not give the other side: $(diff "$M/a.toml" "$M/ab.toml" || true)"
  cp "$M/a.toml" "$M/a_again.toml"
  merge_both base a a_again 'assert not merges, merges'
  cmp -s "$M/ab.toml" "$M/a.toml" || fail "merging two identical sides changed them: $(diff "$M/a.toml" "$M/ab.toml" || true)"
}

# `at` has whole seconds, and scripts (or DESK_NOW) make several changes in one second: a merge
# must not reorder a side's own entries (a ticket whose history starts with a triage, not its
# creation, reads wrong in `desk show` and in the audit trail).
case_same_second_entries_keep_their_order() {
  fresh_ticket "Scripted ticket" --tag a
  # All at 08:00, the second the ticket was created in.
  desk_ok triage "$ID" --priority P2
  desk_ok assign "$ID" alice
  desk_ok comment "$ID" -m "first reply"
  fork_here
  grab base
  side a
  desk_ok comment "$ID" -m "A, same second"
  desk_ok escalate "$ID" -m "A escalates, same second"
  grab a
  side b
  at 08:05
  desk_ok comment "$ID" -m "B, later"
  grab b
  merge_both base a b '
got = [e["id"] for e in h]
for name, t in (("base", base), ("A", a), ("B", b)):
    mine = [e["id"] for e in t["history"]]
    seq = [i for i in got if i in set(mine)]
    acts = [by_id[i]["action"] for i in seq]
    assert seq == mine, ("the merge reordered the entries of " + name, acts, "instead of", [e["action"] for e in t["history"]])
assert h[0]["action"] == "create", [e["action"] for e in h]'
}

case_no_common_ancestor() {
  # git passes an empty %O when the file was added on both sides (no common version).
  fresh_ticket "Added on both sides"
  : >"$M/empty.toml"
  side a
  at 10:00
  desk_ok comment "$ID" -m "A's note."
  grab a
  side b
  at 11:00
  desk_ok comment "$ID" -m "B's note."
  desk_ok triage "$ID" --tag b-side
  grab b
  merge_both empty a b '
texts = [e.get("text") for e in h if e["action"] == "comment"]
assert texts == ["A'"'"'s note.", "B'"'"'s note."], texts
assert len([e for e in h if e["action"] == "create"]) == 1, "the shared create entry is there once"
assert "b-side" in r["tags"], r["tags"]'
}

case_marker_like_text_is_data() {
  fresh_ticket "Pasted a diff"
  grab base
  side a
  at 10:00
  printf 'Here is what I see:\n=======\n<<<<<<< HEAD\nline\n>>>>>>> other\n' >"$TMP/pasted.txt"
  desk_ok comment "$ID" -F "$TMP/pasted.txt"
  grab a
  side b
  at 11:00
  desk_ok comment "$ID" -m "Plain reply."
  grab b
  for x in ab ba; do
    cp "$M/$([[ $x == ab ]] && echo a || echo b).toml" "$M/$x.toml"
    run_desk merge-file "$M/base.toml" "$M/$x.toml" "$M/$([[ $x == ab ]] && echo b || echo a).toml" "$(ticket_path "$ID")"
    expect_code 0
  done
  cmp -s "$M/ab.toml" "$M/ba.toml" || fail "asymmetric merge: $(diff "$M/ab.toml" "$M/ba.toml" | head -20 || true)"
  py '
r = tomllib.load(open(sys.argv[1], "rb"))
texts = [e["text"] for e in r["history"] if e["action"] == "comment"]
assert texts == [open(sys.argv[2]).read().rstrip("\n"), "Plain reply."], texts' "$M/ab.toml" "$TMP/pasted.txt"
}

case_unreadable_side_is_an_error_not_a_mess() {
  fresh_ticket "Broken input"
  grab base
  side a
  at 10:00
  desk_ok comment "$ID" -m "fine"
  grab a
  printf 'format = 1\nid = "%s"\ntitle = "unterminated\n' "$ID" >"$M/bad.toml"
  # A side that does not parse: the driver fails, so git reports a conflict; OURS is untouched.
  for pair in "a bad" "bad a"; do
    # shellcheck disable=SC2086
    set -- $pair
    cp "$M/$1.toml" "$M/out.toml"
    run_desk merge-file "$M/base.toml" "$M/out.toml" "$M/$2.toml" "$(ticket_path "$ID")"
    [[ $CODE != 0 ]] || fail "merge-file accepted an unparsable side ($pair)"
    expect_err_contains "$(ticket_path "$ID")"
    cmp -s "$M/out.toml" "$M/$1.toml" || fail "a failed merge changed OURS ($pair)"
  done
  [[ -z $(find "$M" -name '*.desk-merge*') ]] || fail "a failed merge left a temporary file: $(ls "$M")"
}

# Every pair of one-step changes from the same ticket, at equal and at different times, merged
# both ways: byte-identical results, the invariants of check_merge, and the winner rule for
# each field both sides changed.
case_pairwise_matrix() {
  fresh_ticket "Matrix" --tag keep --tag drop --assign carol
  desk_ok triage "$ID" --priority P3
  fork_here
  grab base
  local variants=(
    "comment|comment $ID -m hello"
    "internal|comment $ID --internal -m note"
    "escalate|escalate $ID -m up"
    "p1|triage $ID --priority P1"
    "p4|triage $ID --priority P4"
    "tags|triage $ID --untag drop --tag new"
    "alice|assign $ID alice"
    "unassign|assign $ID --unassign"
    "wait|wait $ID --on customer -m waiting"
    "resolve|resolve $ID -m done"
    "title|triage $ID --type problem --category network"
  )
  local v name args t n=0
  for t in 10:00 11:00; do
    for v in "${variants[@]}"; do
      name=${v%%|*}@${t/:/}
      args=${v#*|}
      side "$name"
      at "$t"
      # shellcheck disable=SC2086
      desk_ok $args
      grab "$name"
      echo "$name" >>"$M/variants"
      n=$((n + 1))
    done
  done
  py '
import itertools, os, re, subprocess
M, desk, path = sys.argv[1], sys.argv[2], sys.argv[3]
names = open(f"{M}/variants").read().split()
def load(n):
    with open(f"{M}/{n}.toml", "rb") as f:
        return f.read()
base_raw = load("base")
base = tomllib.loads(base_raw.decode())
side = {n: tomllib.loads(load(n).decode()) for n in names}
def merge(o, t):
    out = f"{M}/mx.toml"
    with open(out, "wb") as f:
        f.write(load(o))
    p = subprocess.run([desk, "merge-file", f"{M}/base.toml", out, f"{M}/{t}.toml", path], capture_output=True)
    assert p.returncode == 0, f"merge-file (base, {o}, {t}) exited {p.returncode}: {p.stderr.decode()}"
    return open(out, "rb").read()
def newest(t):
    ids = {e["id"] for e in base["history"]}
    return max(e["at"] for e in t["history"] if e["id"] not in ids)
fields = ["status", "tier", "priority", "assignee", "type", "category", "resolution", "waiting_on"]
problems = []
for x, y in itertools.combinations(names, 2):
    ab, ba = merge(x, y), merge(y, x)
    if ab != ba:
        problems.append(f"({x}, {y}): the two orders differ")
        continue
    text = ab.decode()
    if any(re.match(r"(<{7}|>{7}|\|{7})( |$)|={7}$", l) for l in text.split("\n")):
        problems.append(f"({x}, {y}): conflict markers")
        continue
    r = tomllib.loads(text)
    a, b = side[x], side[y]
    got = {e["id"]: e for e in r["history"]}
    for t in (a, b):
        for e in t["history"]:
            if got.get(e["id"]) != e:
                problems.append("(%s, %s): entry %s (%s) lost or changed" % (x, y, e["id"], e["action"]))
    known = {e["id"] for e in a["history"]} | {e["id"] for e in b["history"]}
    merges = [e for e in r["history"] if e["id"] not in known]
    changes = {c["field"]: (c["from"], c["to"]) for e in merges for c in e.get("changes", [])}
    if any(e["action"] != "merge" for e in merges):
        problems.append(f"({x}, {y}): invented entries {merges}")
    bs, as_, ys = base.get("status", ""), a.get("status", ""), b.get("status", "")
    status_clash = as_ != ys and as_ != bs and ys != bs
    for f in fields:
        bv, av, yv, rv = base.get(f, ""), a.get(f, ""), b.get(f, ""), r.get(f, "")
        if status_clash and f in ("resolution", "waiting_on"):
            # Lifecycle fields follow the side whose status won; a differing loser is recorded.
            win, lose = (a, b) if r.get("status", "") == as_ else (b, a)
            want = win.get(f, "")
            if lose.get(f, "") != want and changes.get(f) != (lose.get(f, ""), want):
                problems.append(f"({x}, {y}): {f} follows the status; merge entry records {changes.get(f)}, expected {(lose.get(f, ''), want)}")
        elif av == yv:
            want = av
        elif av == bv:
            want = yv
        elif yv == bv:
            want = av
        else:
            ta, tb = newest(a), newest(b)
            want = (av if ta > tb else yv) if ta != tb else max(av, yv)
            lose = yv if want == av else av
            if changes.get(f) != (lose, want):
                problems.append(f"({x}, {y}): {f} changed on both sides ({av!r} vs {yv!r}); merge entry records {changes.get(f)}, expected {(lose, want)}")
        if rv != want:
            problems.append(f"({x}, {y}): {f} is {rv!r}, expected {want!r} (base {bv!r}, {x} {av!r}, {y} {yv!r})")
    bt, at_, yt = set(base["tags"]), set(a["tags"]), set(b["tags"])
    want_tags = (bt & at_ & yt) | (at_ - bt) | (yt - bt)
    if set(r["tags"]) != want_tags or len(r["tags"]) != len(set(r["tags"])):
        problems.append("(%s, %s): tags %s, expected %s" % (x, y, r["tags"], sorted(want_tags)))
assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:25])
' "$M" "$DESK" "$(ticket_path "$ID")"
}

run_all_cases
finish
