#!/usr/bin/env python3
"""desk's benchmark: builds desks of N tickets and prints a table of medians.

Each size gets a fresh git repository filled by one `desk import` of generated tickets (with
realistic histories: escalations, waits, comments, resolutions). Then every operation runs
--runs times, interleaved with its baseline, and the table gives the median wall time, the
median peak memory (max RSS of the process) and, for operations with a baseline, the ratio
measured side by side in the same run:

  comment  vs  the same change by hand: rewrite the ticket file, `git add`, `git commit`
  list     vs  `git ls-files tickets` (listing the files without reading them)
  show     vs  `git show HEAD:tickets/xx/ID.toml` (reading one file through git)

Timings on shared machines are noisy: read the medians and ratios, not single runs. Nothing here
is a test; tests/e2e/t_bench.sh only checks that this program runs and prints its table.

Usage: bench/bench.py --desk build/desk [--sizes 1000,10000] [--runs 7] [--keep DIR]
       bench/bench.py --desk build/desk --sizes 2000 --generate DIR   (only build a desk)
"""
import argparse
import json
import os
import random
import resource
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


def env_for(repo):
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": repo, "XDG_CONFIG_HOME": os.path.join(repo, ".config"),
        "DESK_NOW": NOW, "NO_COLOR": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "TERM": "dumb",
        "EDITOR": "false", "PAGER": "cat",
    })
    return env


def ts(day, minute):
    """An RFC 3339 time `day` days before NOW plus `minute` minutes (UTC)."""
    base = time.mktime(time.strptime("2026-11-23T09:00:00", "%Y-%m-%dT%H:%M:%S")) - time.timezone
    t = base - day * 86400 + minute * 60
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def ticket(rng, n):
    """One generated ticket with a plausible history; ids are 10 Crockford base32 characters."""
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
    if roll < 0.55:
        resolution = "fixed: " + " ".join(rng.choice(WORDS) for _ in range(6))
        hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "resolve", "status": "resolved",
                     "text": resolution})
        status = "resolved"
        if rng.random() < 0.6:
            minute += 60
            hist.append({"id": hid(), "at": ts(day, minute), "by": who, "action": "close", "status": "closed",
                         "csat": rng.randint(1, 5)})
            status = "closed"
    elif roll < 0.65:
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


def run(cmd, repo, stdin=None):
    """Runs cmd in repo; returns (seconds, max RSS in KiB). Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=repo, env=env_for(repo), stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
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
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}): {err.strip()}")
    return elapsed, usage.ru_maxrss


def build_desk(desk, repo, n, seed):
    os.makedirs(repo)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env_for(repo))
    run([desk, "init", "-q"], repo)
    rng = random.Random(seed)
    tickets = [ticket(rng, i) for i in range(n)]
    src = os.path.join(repo, ".git", "bench-import.json")
    with open(src, "w") as f:
        json.dump({"desk_format": 1, "tickets": tickets}, f)
    secs, rss = run([desk, "import", "-q", src], repo)
    subprocess.run(["git", "gc", "-q"], cwd=repo, check=True, env=env_for(repo))
    return tickets, secs, rss


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.1f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--desk", required=True, help="the desk binary to measure")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated ticket counts")
    ap.add_argument("--runs", type=int, default=7, help="runs per operation (median reported)")
    ap.add_argument("--keep", help="build the desks under this directory and keep them")
    ap.add_argument("--generate", metavar="DIR", help="only build a desk of the first size in DIR (for tests), then stop")
    args = ap.parse_args()
    desk = os.path.abspath(args.desk)
    if args.generate:
        build_desk(desk, args.generate, int(args.sizes.split(",")[0]), seed=1)
        return
    root = args.keep or tempfile.mkdtemp(prefix="desk-bench-")
    rows = []
    try:
        for n in [int(x) for x in args.sizes.split(",") if x]:
            repo = os.path.join(root, f"desk-{n}")
            if os.path.exists(repo):
                shutil.rmtree(repo)
            tickets, isecs, irss = build_desk(desk, repo, n, seed=n)
            rows.append((n, "import (one commit)", isecs, irss, None, ""))
            rng = random.Random(1)
            active = [t for t in tickets if t["status"] in ("new", "open", "pending")] or tickets
            ops = {}  # name -> (command factory, baseline name or None, baseline factory)

            def comment_cmd(i):
                t = rng.choice(active)
                return [desk, "comment", t["id"], "-q", "-m", f"bench comment {i}"]

            def by_hand(i):
                # The same kind of change without desk: append to a ticket file, git add, git commit.
                t = rng.choice(active)
                path = f"tickets/{t['id'][:2]}/{t['id']}.toml"
                with open(os.path.join(repo, path), "a") as f:
                    f.write(f'\n[[history]]\nid = "hand{i:06d}"\nat = {NOW}\nby = "Bench <bench@example.com>"\n'
                            f'action = "comment"\ntext = "by hand {i}"\n')
                return ["sh", "-c", f"git add {path} && git commit -q -m 'comment by hand {i}'"]

            show_id = active[0]["id"]
            ops["new -q"] = (lambda i: [desk, "new", f"Bench ticket {i}", "-q", "-m", "body"], None)
            # With --suggest (as on a terminal), new also ranks the knowledge base and the open tickets for suggestions.
            ops["new --suggest"] = (lambda i: [desk, "new", f"{rng.choice(WORDS)} {rng.choice(WORDS)} fails", "-m", "body", "--suggest"], None)
            ops["comment"] = (comment_cmd, ("git add + git commit", by_hand))
            ops["show"] = (lambda i: [desk, "show", show_id],
                           ("git show (one file)", lambda i: ["git", "show", f"HEAD:tickets/{show_id[:2]}/{show_id}.toml"]))
            ops["show --suggest"] = (lambda i: [desk, "show", show_id, "--suggest"], None)
            ops["list (open work)"] = (lambda i: [desk, "list"], ("git ls-files tickets", lambda i: ["git", "ls-files", "tickets"]))
            ops["list --all --json"] = (lambda i: [desk, "list", "--all", "--json"], None)
            ops["sweep --dry-run"] = (lambda i: [desk, "sweep", "--dry-run"], None)
            ops["stats"] = (lambda i: [desk, "stats"], None)
            ops["report --html"] = (lambda i: [desk, "report", "--html", os.path.join(root, "r.html")], None)
            for name, (cmd, base) in ops.items():
                times, rsss, btimes = [], [], []
                for i in range(args.runs):
                    s, r = run(cmd(i), repo)
                    times.append(s)
                    rsss.append(r)
                    if base:
                        bs, _ = run(base[1](i), repo)
                        btimes.append(bs)
                med = statistics.median(times)
                if base:
                    bmed = statistics.median(btimes)
                    rows.append((n, name, med, statistics.median(rsss), bmed, base[0]))
                else:
                    rows.append((n, name, med, statistics.median(rsss), None, ""))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    print(f"desk benchmark: {args.runs} runs per operation, medians; {os.cpu_count()} cores")
    head = ("tickets", "operation", "desk", "max RSS", "baseline", "baseline time", "desk/baseline")
    table = [head]
    for n, name, med, rss, bmed, bname in rows:
        table.append((str(n), name, fmt_time(med), f"{rss / 1024:.1f} MiB", bname or "-",
                      fmt_time(bmed) if bmed else "-", f"{med / bmed:.2f}x" if bmed else "-"))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for k, r in enumerate(table):
        print("  ".join(c.ljust(w) if i < 2 or i == 4 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
