#!/usr/bin/env python3
"""desk's benchmark: builds desks of N tickets and prints one table of medians beside baselines.

Each size gets a fresh git repository filled by one `desk import` of generated tickets with
realistic histories (escalations, waits, comments, resolutions; about 10% open work), and a
Fossil repository holding the same tickets as Fossil's built-in tickets (one artifact per
history entry, inserted in bulk with `fossil sql`, then `fossil rebuild`). hyperfine times
every operation (no shell, one warmup, --runs runs) and then its baselines, in the same run:

  new -q              vs  fossil ticket add
  comment             vs  the same change by hand (append to the ticket file, git add, git commit)
                      and fossil ticket change (a comment, icomment)
  escalate -m         vs  fossil ticket change (subsystem L1 -> L2 and a comment)
  triage --tag        vs  fossil ticket change (severity)
  show                vs  git show HEAD:tickets/xx/ID.toml, and fossil ticket show of that ticket
  list (open work)    vs  fossil ticket show: the "All Tickets" report, status Open
  list -p P1          vs  the same report, status Open and priority Immediate
  list --all --json   vs  fossil ticket show 0 (every ticket, every field)
  __complete ids ""   vs  git ls-files tickets
  search              vs  git grep -l -i --all-match (the words in the working tree)

Commands that change the desk get a fresh argument every run (another ticket, another title):
hyperfine runs them once per value of a parameter list, the first value only warming up. Then
every desk command runs once more alone for its peak memory (max RSS, from GNU time). Timed too:
the first command in a fresh clone (no index yet: `desk list -n 1` with .git/desk-index.sqlite*
removed before every run) and the first one after `git pull` of --changes changed tickets,
both beside the same command with a warm index; and the repository growth per comment,
loose (as `git count-objects -v` reports it) and after `git repack -d`, beside Fossil's
repository file growth per ticket change (raw, and after VACUUM).

Timings on shared machines are noisy: read the medians and ratios, not single runs. Nothing here
is a test; tests/e2e/t_bench.sh only checks that this program runs and prints its table.
hyperfine is required; without fossil the Fossil baselines are left out (said on stderr).

Usage: bench/bench.py --desk build/desk [--sizes 1000,10000] [--runs 7] [--quick] [--keep DIR]
       bench/bench.py --desk build/desk --reuse DIR     (clone an existing desk instead)
       bench/bench.py --desk build/desk --sizes 2000 --generate DIR   (only build a desk)
"""
import argparse
import hashlib
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TIERS = ["L1", "L2", "L3"]
PRIORITIES = ["P1", "P2", "P3", "P4"]
WORDS = ("vpn printer password reset account locked laptop screen email outlook calendar "
         "wifi badge access database report slow crash update license install token "
         "certificate expired network drive share permission mobile phone backup restore").split()
NOW = "2026-11-23T09:00:00Z"
SEARCH = ["printer", "crash"]
ENV = {}  # the environment of every command (set by main)
TIME = None  # GNU time, for the max RSS of one command (set by main)
SCRATCH = None  # a directory for small temporary files (set by main)


def make_env(home):
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "DESK_NOW": NOW, "NO_COLOR": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "TERM": "dumb",
        "EDITOR": "false", "PAGER": "cat", "USER": "bench",
    })
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "DESK_INDEX", "FOSSIL_HOME", "FOSSIL_USER"):
        env.pop(k, None)
    return env


def progress(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def ts(day, minute):
    """An RFC 3339 time `day` days before NOW plus `minute` minutes (UTC)."""
    base = time.mktime(time.strptime("2026-11-23T09:00:00", "%Y-%m-%dT%H:%M:%S")) - time.timezone
    t = base - day * 86400 + minute * 60
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def ticket(rng, n):
    """One generated ticket with a plausible history; ids are 10 Crockford base32 characters.
    About 90% are resolved or closed, 3% wait on the customer, 7% are new or open."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    tid = "".join(rng.choice(alphabet) for _ in range(10))
    hid = lambda: "".join(rng.choice(alphabet) for _ in range(10))
    day = rng.randint(0, 60)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
    who = f"Agent {n % 7} <agent{n % 7}@example.com>"
    tier = "L1"
    hist = [{"id": hid(), "at": ts(day, 0), "by": who, "action": "create", "to": tier, "status": "new"}]
    status = "new"
    minute = 5
    for _ in range(rng.randint(0, 3)):
        hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "comment",
                     "text": " ".join(rng.choice(WORDS) for _ in range(12))})
        status = "open"
        minute += rng.randint(5, 90)
    for up in range(rng.choice([0, 0, 0, 1, 1, 2])):
        nxt = TIERS[TIERS.index(tier) + 1]
        hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "escalate", "from": tier,
                     "to": nxt, "status": "open", "text": "tried the runbook; needs " + nxt})
        tier, status = nxt, "open"
        minute += rng.randint(30, 600)
    roll = rng.random()
    resolution = ""
    if roll < 0.90:
        resolution = "fixed: " + " ".join(rng.choice(WORDS) for _ in range(6))
        hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "resolve", "status": "resolved",
                     "text": resolution})
        status = "resolved"
        if rng.random() < 0.8:
            minute += 60
            hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "close", "status": "closed",
                         "csat": rng.randint(1, 5)})
            status = "closed"
    elif roll < 0.93:
        hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "wait", "on": "customer",
                     "status": "pending"})
        status = "pending"
    t = {"format": 1, "id": tid, "title": title, "status": status, "tier": tier,
         "priority": rng.choice(PRIORITIES), "type": "incident", "tags": rng.sample(WORDS, 2),
         "requester": f"User {n} <user{n}@example.com>", "assignee": who if status != "new" else "",
         "created": ts(day, 0), "updated": hist[-1]["at"],
         "description": " ".join(rng.choice(WORDS) for _ in range(40)), "checklist": [], "history": hist}
    if status == "pending":
        t["waiting_on"] = "customer"
    if resolution:
        t["resolution"] = resolution
    if status == "closed":
        t["csat"] = hist[-1]["csat"]
    if not t["assignee"]:
        del t["assignee"]
    return t


def run(cmd, cwd, stdin=None):
    """Runs cmd in cwd; returns (seconds, max RSS in KiB). Fails loudly on a non-zero exit.
    The max RSS comes from GNU time (/usr/bin/time -f %M): wait4 here would report at least this
    Python process's own peak, which a child spawned from it inherits as its high-water mark."""
    rss_file = os.path.join(SCRATCH, "rss") if TIME else None
    argv = [TIME, "-f", "%M", "-o", rss_file, *cmd] if TIME else cmd
    start = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, env=ENV, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin:
        p.stdin.write(stdin)
        p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"bench: {shlex.join(cmd)} failed ({p.returncode}): {err.strip()}")
    if TIME:
        with open(rss_file) as f:
            return elapsed, int(f.read().split()[-1])
    return elapsed, usage.ru_maxrss


def output(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: {shlex.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout


def hyperfine(cmd, cwd, runs, scratch, values=None, prepare=None):
    """Times cmd (a list of arguments, run without a shell) with hyperfine; returns the run times.
    Without values: one warmup run, then `runs` runs. With values (for commands that change
    something): `{v}` in cmd stands for each value in turn, one run each; the run of the first
    value only warms up and is dropped. prepare (a list of arguments) runs before every run."""
    out = os.path.join(scratch, "hyperfine.json")
    argv = ["hyperfine", "-N", "--style", "none", "--export-json", out]
    if values:
        assert all("," not in v for v in values), values
        argv += ["--runs", "1", "--warmup", "0", "-L", "v", ",".join(values)]
    else:
        argv += ["--runs", str(runs), "--warmup", "1"]
    if prepare:
        argv += ["--prepare", shlex.join(prepare)]
    argv.append(shlex.join(cmd))
    p = subprocess.run(argv, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: hyperfine failed on `{shlex.join(cmd)}` ({p.returncode}):\n{p.stdout}{p.stderr}")
    with open(out) as f:
        results = json.load(f)["results"]
    times = [t for r in results for t in r["times"]]
    return times[1:] if values else times


def build_desk(desk, repo, n, seed):
    os.makedirs(repo)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=ENV)
    run([desk, "init", "-q"], repo)
    rng = random.Random(seed)
    tickets = [ticket(rng, i) for i in range(n)]
    src = os.path.join(repo, ".git", "bench-import.json")
    with open(src, "w") as f:
        json.dump({"desk_format": 1, "tickets": tickets}, f)
    secs, rss = run([desk, "import", "-q", src], repo)
    os.remove(src)
    # desk started `git gc --auto` after its commit: let it finish first (at 1M tickets it packs
    # a million loose objects for minutes; `git gc` refuses to run beside it)
    wait_for_gc(repo, limit=None)
    subprocess.run(["git", "gc", "-q"], cwd=repo, check=True, env=ENV)
    return secs, rss


def wait_for_gc(repo, limit=300):
    """Waits while a `git gc` (desk's background packing) holds the repository's gc.pid (limit:
    seconds, None for as long as it takes)."""
    pid = os.path.join(repo, ".git", "gc.pid")
    deadline = time.time() + limit if limit is not None else None
    while os.path.exists(pid) and (deadline is None or time.time() < deadline):
        time.sleep(0.1)


def export(desk, repo, scratch):
    path = os.path.join(scratch, "tickets.json")
    run([desk, "export", "--json", "-o", path], repo)
    with open(path) as f:
        tickets = json.load(f)["tickets"]
    os.remove(path)
    return tickets


# Fossil's built-in tickets: the same tickets, one artifact per history entry. Active work
# (new, open, pending) is status Open, resolved is Fixed; the tier goes in the subsystem field.
FOSSIL_STATUS = {"new": "Open", "open": "Open", "pending": "Open", "resolved": "Fixed", "closed": "Closed"}
FOSSIL_PRIORITY = {"P1": "Immediate", "P2": "High", "P3": "Medium", "P4": "Low"}


def fossil_key(tid):
    """The Fossil ticket uuid standing for desk ticket tid."""
    return hashlib.sha1(f"desk:{tid}".encode()).hexdigest()


def fossil_quote(s):
    out = []
    for c in s:
        out.append({"\\": "\\\\", " ": "\\s", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f",
                    "\v": "\\v", "\0": "\\0"}.get(c, c))
    return "".join(out)


def fossil_artifact(key, at, user, fields):
    """A ticket change artifact (D, J..., K, U, Z cards; J cards sorted by field name)."""
    body = f"D {at}\n" + "".join(f"J {k} {fossil_quote(v)}\n" for k, v in sorted(fields.items()) if v)
    body += f"K {key}\nU {fossil_quote(user)}\n"
    return body + f"Z {hashlib.md5(body.encode()).hexdigest()}\n"


def fossil_artifacts(t):
    key = fossil_key(t["id"])
    user = lambda by: (by.split("<")[-1].split("@")[0] if "<" in by else by) or "bench"
    hist = t.get("history") or [{"at": t["created"], "by": "bench", "action": "create"}]
    at = lambda h, j: h["at"][:19] + f".{j:03d}"  # D cards of one ticket strictly increasing
    status = FOSSIL_STATUS[hist[0].get("status", "new")]
    yield fossil_artifact(key, at(hist[0], 0), user(hist[0]["by"]), {
        "title": t["title"], "status": status, "type": t.get("type", "incident").capitalize(),
        "priority": FOSSIL_PRIORITY.get(t.get("priority"), "Medium"), "subsystem": hist[0].get("to", "L1"),
        "comment": t.get("description", ""), "private_contact": t.get("requester", ""), "mimetype": "text/plain"})
    for j, h in enumerate(hist[1:], 1):
        f = {}
        if h.get("status"):
            f["status"] = FOSSIL_STATUS.get(h["status"], "Open")
        if h["action"] in ("escalate", "deescalate") and h.get("to"):
            f["subsystem"] = h["to"]
        if h["action"] == "resolve":
            f["resolution"] = "Fixed"
        if h.get("text"):
            f["icomment"] = h["text"]
        if f:
            status = f.get("status", status)
            yield fossil_artifact(key, at(h, j), user(h.get("by", "")), f)
    if status != FOSSIL_STATUS[t["status"]]:
        yield fossil_artifact(key, at(hist[-1], len(hist)), "bench", {"status": FOSSIL_STATUS[t["status"]]})


def build_fossil(tickets, path, scratch):
    """A Fossil repository at path holding tickets: `fossil init`, every artifact inserted into
    the blob table in one `fossil sql` transaction, then `fossil rebuild` derives the ticket
    tables from them (as if each change had come through `fossil ticket`, thousands of times
    faster). Returns (seconds of sql and rebuild, artifacts)."""
    output(["fossil", "init", path], scratch)
    sql = os.path.join(scratch, "fossil-tickets.sql")
    count = 0
    with open(sql, "w", encoding="utf-8") as f:
        f.write("BEGIN;\n")
        for t in tickets:
            for a in fossil_artifacts(t):
                data = a.encode()
                h = hashlib.sha3_256(data).hexdigest()
                text = a.replace("'", "''")
                f.write(f"INSERT INTO blob(rcvid, size, uuid, content) VALUES(1, {len(data)}, '{h}', "
                        f"compress('{text}'));\n")
                count += 1
        f.write("COMMIT;\n")
    start = time.perf_counter()
    with open(sql) as f:
        p = subprocess.run(["fossil", "sql", "-R", path], stdin=f, cwd=scratch, env=ENV, capture_output=True,
                           text=True)
    if p.returncode != 0 or p.stderr.strip():
        sys.exit(f"bench: fossil sql failed ({p.returncode}): {p.stderr.strip()[:2000]}")
    output(["fossil", "rebuild", path], scratch)
    secs = time.perf_counter() - start
    os.remove(sql)
    got = int(output(["fossil", "sql", "-R", path, "SELECT count(*) FROM ticket"], scratch).strip())
    if got != len(tickets):
        sys.exit(f"bench: the Fossil repository holds {got} tickets, expected {len(tickets)}")
    return secs, count


def git_sizes(repo):
    """(loose bytes, packed bytes) as `git count-objects -v` reports them."""
    kv = dict(line.split(": ") for line in output(["git", "count-objects", "-v"], repo).splitlines())
    return int(kv["size"]) * 1024, int(kv["size-pack"]) * 1024


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def fmt_bytes(b):
    return (f"{b:.0f} B" if abs(b) < 10240 else f"{b / 1024:.1f} KiB" if abs(b) < 10 * 2**20
            else f"{b / 2**20:.1f} MiB")


class Bench:
    """Measures one desk: rows of (tickets, operation, desk value, max RSS KiB, baseline name,
    baseline value, unit) with unit "time" (seconds) or "bytes"."""

    def __init__(self, args, desk, root, fossil):
        self.args, self.desk, self.root, self.fossil = args, desk, root, fossil
        self.rows, self.notes = [], []

    def bench(self, n, repo, tickets):
        """Measures the desk in repo, which holds tickets (as `desk export` gives them); n labels the rows."""
        args, desk, root, runs, scratch = self.args, self.desk, self.root, self.args.runs, SCRATCH
        rng = random.Random(1)
        need = runs + 2  # warmup + runs + the run for max RSS
        active = [t for t in tickets if t["status"] in ("new", "open")]
        l1 = [t for t in active if t["tier"] == "L1"]
        # A small desk has too few open tickets for fresh arguments: file more (untimed).
        extra = max(0, need - len(l1))
        for i in range(extra):
            run([desk, "new", f"{rng.choice(WORDS)} {rng.choice(WORDS)} fails {i}", "-q", "-m", "body"], repo)
        if extra:
            tickets = export(desk, repo, scratch)
            active = [t for t in tickets if t["status"] in ("new", "open")]
            l1 = [t for t in active if t["tier"] == "L1"]
        ids = lambda pool: [t["id"] for t in rng.sample(pool, need)]

        fossil_repo = None
        if self.fossil:
            progress(f"{n} tickets: filling a Fossil repository with the same tickets")
            fossil_repo = os.path.join(root, f"fossil-{n}.fossil")
            if os.path.exists(fossil_repo):
                os.remove(fossil_repo)
            secs, count = build_fossil(tickets, fossil_repo, scratch)
            self.notes.append(f"{n} tickets: Fossil filled with {len(tickets)} tickets ({count} artifacts; "
                              f"fossil sql, rebuild): {fmt_time(secs)}")
        fos = lambda *a: ["fossil", *a[:2], "-R", fossil_repo, *a[2:]]

        comment_ids, hand_ids, esc_ids, triage_ids = ids(active), ids(active), ids(l1), ids(active)
        show_id = active[0]["id"]
        show_path = f"tickets/{show_id[:2]}/{show_id}.toml"
        by_hand = (r'id={v}; f=tickets/${id%????????}/$id.toml; '
                   r'printf "\n[[history]]\nid = \"hand%s\"\nat = ' + NOW + r'\nby = \"Bench <bench@example.com>\"\n'
                   r'action = \"comment\"\ntext = \"by hand\"\n" "${id%????}" >>"$f" && '
                   r'git add "$f" && git commit -q -m "comment by hand on $id"')
        fk = lambda xs: [fossil_key(x) for x in xs]
        numbers = [str(i) for i in range(need)]
        out = lambda name: os.path.join(scratch, name)
        open_report = "status='Open'"
        # (operation, desk command, fresh values or None, [(baseline, command, values)]); the
        # Fossil baselines only when fossil is there.
        ops = [
            ("new -q", [desk, "new", "Bench ticket {v}", "-q", "-m", "body"], numbers,
             [("fossil ticket add", fos("ticket", "add", "title", "Bench ticket {v}", "status", "Open", "type",
                                        "Incident", "priority", "Medium", "subsystem", "L1", "comment", "body"),
               numbers)]),
            ("new --suggest", [desk, "new", "Bench {v} printer crash fails", "-q", "-m", "body", "--suggest"],
             numbers, []),
            ("comment", [desk, "comment", "{v}", "-q", "-m", "bench comment"], comment_ids,
             [("git add + git commit", ["sh", "-c", by_hand], hand_ids),
              ("fossil ticket change", fos("ticket", "change", "{v}", "icomment", "bench comment"), fk(comment_ids))]),
            ("escalate -m", [desk, "escalate", "{v}", "-q", "-m", "tried the runbook; needs the next tier"], esc_ids,
             [("fossil ticket change", fos("ticket", "change", "{v}", "subsystem", "L2", "icomment",
                                           "tried the runbook; needs the next tier"), fk(esc_ids))]),
            ("triage --tag", [desk, "triage", "{v}", "-q", "--tag", "triaged"], triage_ids,
             [("fossil ticket change", fos("ticket", "change", "{v}", "severity", "Important"), fk(triage_ids))]),
            ("show", [desk, "show", show_id], None,
             [("git show (one file)", ["git", "show", f"HEAD:{show_path}"], None),
              ("fossil ticket show", fos("ticket", "show", "0", f"tkt_uuid='{fossil_key(show_id)}'"), None)]),
            ("show --suggest", [desk, "show", show_id, "--suggest"], None, []),
            ("list (open work)", [desk, "list"], None,
             [("fossil open report", fos("ticket", "show", "1", open_report), None)]),
            ("list -p P1", [desk, "list", "-p", "P1"], None,
             [("fossil open report, Immediate", fos("ticket", "show", "1", open_report + " AND priority='Immediate'"),
               None)]),
            ("list --all --json", [desk, "list", "--all", "--json"], None,
             [("fossil ticket show 0 (all)", fos("ticket", "show", "0"), None)]),
            ('__complete ids ""', [desk, "__complete", "ids", ""], None,
             [("git ls-files tickets", ["git", "ls-files", "tickets"], None)]),
            ("__complete ids 1", [desk, "__complete", "ids", "1"], None, []),
            ("__complete assignees", [desk, "__complete", "assignees"], None, []),
            ("sweep --dry-run", [desk, "sweep", "--dry-run"], None, []),
            ("stats", [desk, "stats"], None, []),
            ("report --html", [desk, "report", "--html", out("report.html")], None, []),
            (f"search {' '.join(SEARCH)}", [desk, "search", *SEARCH], None,
             [("git grep -l -i --all-match", ["git", "grep", "-l", "-i", "--all-match", "-e", SEARCH[0], "-e",
                                              SEARCH[1], "--", "tickets"], None)]),
            ("export --json -o", [desk, "export", "--json", "-o", out("export.json")], None, []),
        ]
        fill = lambda cmd, v: [a.replace("{v}", v) for a in cmd]
        for name, cmd, values, bases in ops:
            progress(f"{n} tickets: {name}")
            times = hyperfine(cmd, repo, runs, scratch, values=values[:-1] if values else None)
            _, rss = run(fill(cmd, values[-1]) if values else cmd, repo)
            med = statistics.median(times)
            bases = [b for b in bases if self.fossil or not b[0].startswith("fossil")]
            if not bases:
                self.rows.append((n, name, med, rss, "", None, "time"))
            for bname, bcmd, bvalues in bases:
                btimes = hyperfine(bcmd, repo, runs, scratch, values=bvalues[:-1] if bvalues else None)
                self.rows.append((n, name, med, rss, bname, statistics.median(btimes), "time"))

        # A fresh clone (behind by --changes commits made next), and the growth per change.
        progress(f"{n} tickets: clone, growth per change, pull")
        clone = os.path.join(root, f"clone-{n}")
        subprocess.run(["git", "clone", "-q", repo, clone], check=True, env=ENV, stdin=subprocess.DEVNULL)
        behind = output(["git", "rev-parse", "HEAD"], clone).strip()
        k = args.changes
        pool = [t["id"] for t in rng.sample(active, len(active))]
        targets = [pool[i % len(pool)] for i in range(k)]
        wait_for_gc(repo)
        subprocess.run(["git", "repack", "-d", "-q"], cwd=repo, check=True, env=ENV)
        loose0, pack0 = git_sizes(repo)
        for i, tid in enumerate(targets):
            run([desk, "comment", tid, "-q", "-m", f"growth comment {i}"], repo)
        wait_for_gc(repo)
        loose1, _ = git_sizes(repo)
        subprocess.run(["git", "repack", "-d", "-q"], cwd=repo, check=True, env=ENV)
        loose2, pack2 = git_sizes(repo)
        grow_loose = (loose1 - loose0) / k
        grow_packed = (loose2 + pack2 - loose0 - pack0) / k
        if self.fossil:
            vacuum = ["fossil", "sql", "-R", fossil_repo, "VACUUM"]
            output(vacuum, scratch)
            f0 = os.path.getsize(fossil_repo)
            for i, tid in enumerate(targets):
                run(["fossil", "ticket", "change", "-R", fossil_repo, fossil_key(tid), "icomment",
                     f"growth comment {i}"], scratch)
            f1 = os.path.getsize(fossil_repo)
            output(vacuum, scratch)
            f2 = os.path.getsize(fossil_repo)
            self.rows.append((n, f"growth per comment ({k}), loose", grow_loose, None, "fossil ticket change",
                              (f1 - f0) / k, "bytes"))
            self.rows.append((n, f"growth per comment ({k}), packed", grow_packed, None,
                              "fossil, after VACUUM", (f2 - f0) / k, "bytes"))
            self.notes.append(f"{n} tickets: repository size: desk (git, packed) {fmt_bytes(loose2 + pack2)}, "
                              f"fossil {fmt_bytes(f2)}")
        else:
            self.rows.append((n, f"growth per comment ({k}), loose", grow_loose, None, "", None, "bytes"))
            self.rows.append((n, f"growth per comment ({k}), packed", grow_packed, None, "", None, "bytes"))

        # The first command in the fresh clone: it has no index (removed again before every run).
        first = [desk, "list", "-n", "1"]
        no_index = ["sh", "-c", "rm -f .git/desk-index.sqlite*"]
        cold = hyperfine(first, clone, runs, scratch, prepare=no_index)
        output(no_index, clone)
        _, cold_rss = run(first, clone)
        warm = statistics.median(hyperfine(first, clone, runs, scratch))
        self.rows.append((n, "list -n 1, first in a fresh clone", statistics.median(cold), cold_rss,
                          "list -n 1, warm index", warm, "time"))
        # The first command after `git pull` of k changes (the index was fresh before the pull).
        pull = ["sh", "-c", f"git reset -q --hard {behind} && {shlex.quote(desk)} list -n 1 >/dev/null && "
                            "git pull -q --ff-only"]
        after = hyperfine(first, clone, runs, scratch, prepare=pull)
        output(pull, clone)
        _, pull_rss = run(first, clone)
        self.rows.append((n, f"list -n 1, after git pull of {k} changes", statistics.median(after), pull_rss,
                          "list -n 1, warm index", warm, "time"))
        shutil.rmtree(clone, ignore_errors=True)


def main():
    global ENV, TIME, SCRATCH
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--desk", required=True, help="the desk binary to measure")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated ticket counts")
    ap.add_argument("--runs", type=int, help="runs per operation (median reported; default 7, 3 with --quick)")
    ap.add_argument("--quick", action="store_true", help="fewer runs (3) and changes (10)")
    ap.add_argument("--changes", type=int,
                    help="tickets changed for the growth and pull rows (default 50, 10 with --quick)")
    ap.add_argument("--reuse", metavar="DIR",
                    help="measure a clone of the desk in DIR instead of generated ones (--sizes is ignored)")
    ap.add_argument("--no-fossil", action="store_true", help="leave out the Fossil baselines")
    ap.add_argument("--keep", help="build the desks under this directory and keep them")
    ap.add_argument("--generate", metavar="DIR", help="only build a desk of the first size in DIR (for tests), then stop")
    args = ap.parse_args()
    args.runs = args.runs or (3 if args.quick else 7)
    args.changes = args.changes or (10 if args.quick else 50)
    if args.runs < 1 or args.changes < 1:
        ap.error("--runs and --changes must be at least 1")
    desk = os.path.abspath(args.desk)
    if args.generate:
        home = tempfile.mkdtemp(prefix="desk-bench-home-")
        ENV, SCRATCH = make_env(home), home
        try:
            build_desk(desk, os.path.abspath(args.generate), int(args.sizes.split(",")[0]), seed=1)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        return
    if not shutil.which("hyperfine"):
        sys.exit("bench: hyperfine is not installed (it times every operation): apt-get install hyperfine, "
                 "or run scripts/deps.sh")
    fossil = not args.no_fossil and shutil.which("fossil") is not None
    if not fossil and not args.no_fossil:
        progress("fossil is not installed: the Fossil baselines are left out (apt-get install fossil)")
    TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    if not TIME:
        progress("/usr/bin/time (GNU time) is not installed: max RSS from wait4, which includes this "
                 "program's own peak (apt-get install time)")
    root = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="desk-bench-")
    SCRATCH = os.path.join(root, "scratch")
    os.makedirs(os.path.join(root, "home"), exist_ok=True)
    os.makedirs(SCRATCH, exist_ok=True)
    ENV = make_env(os.path.join(root, "home"))
    s = Bench(args, desk, root, fossil)
    try:
        if args.reuse:
            repo = os.path.join(root, "desk-reuse")
            if os.path.exists(repo):
                shutil.rmtree(repo)
            progress(f"cloning {args.reuse}")
            subprocess.run(["git", "clone", "-q", os.path.abspath(args.reuse), repo], check=True, env=ENV,
                           stdin=subprocess.DEVNULL)
            run([desk, "list", "-n", "1"], repo)  # build the index (the fresh-clone row measures that)
            tickets = export(desk, repo, root)
            s.bench(len(tickets), repo, tickets)
        for n in ([] if args.reuse else [int(x) for x in args.sizes.split(",") if x]):
            repo = os.path.join(root, f"desk-{n}")
            if os.path.exists(repo):
                shutil.rmtree(repo)
            progress(f"{n} tickets: generating and importing")
            isecs, irss = build_desk(desk, repo, n, seed=n)
            s.rows.append((n, "import (one commit)", isecs, irss, "", None, "time"))
            run([desk, "list", "-n", "1"], repo)
            s.bench(n, repo, export(desk, repo, root))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    hv = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.strip()
    fv = subprocess.run(["fossil", "version"], capture_output=True, text=True).stdout.split(" [")[0].strip() \
        if fossil else "fossil: not measured"
    print(f"desk benchmark: {args.runs} runs per operation, medians; {os.cpu_count()} cores; {hv}; {fv}")
    head = ("tickets", "operation", "desk", "max RSS", "baseline", "baseline value", "desk/baseline")
    table = [head]
    for n, name, med, rss, bname, bmed, unit in s.rows:
        f = fmt_time if unit == "time" else fmt_bytes
        table.append((str(n), name, f(med), f"{rss / 1024:.1f} MiB" if rss else "-", bname or "-",
                      f(bmed) if bmed is not None else "-", f"{med / bmed:.2f}x" if bmed and bmed > 0 else "-"))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for k, r in enumerate(table):
        print("  ".join(c.ljust(w) if i < 2 or i == 4 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    if s.notes:
        print()
        for note in s.notes:
            print(note)


if __name__ == "__main__":
    main()
