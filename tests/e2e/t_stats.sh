# desk stats: a small week driven with DESK_NOW (default calendar: UTC Mon-Fri 09:00-17:00;
# 2026-11-23 is a Monday), checked in --json against hand-computed values, grouped, over an
# explicit period, in the plain and coloured tables, and its usage errors.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

new_desk
declare -A T=()  # name -> id

# at DAY TIME ARGS...: runs desk with the clock at 2026-11-DAYTTIME:00Z.
at() {
  local day=$1 time=$2
  shift 2
  DESK_NOW=2026-11-${day}T$time:00Z desk_ok "$@"
}

# A, P3: replied after 1h, resolved after 2h, closed with CSAT 5: first contact.
at 23 09:00 new "Printer jam" --priority P3 --requester "Lee <lee@example.com>" && T[a]=$OUT
at 23 10:00 comment "${T[a]}" -m "On my way"
at 23 11:00 resolve "${T[a]}" -m "Cleared the jam"
at 23 12:00 close "${T[a]}" --csat 5

# B, P2: escalated L1 -> L2 -> L3, waits on the customer Mon 10:00 - Tue 10:00 (8h of business
# time paused), resolved Tue 12:00 (resolution 1h + 2h), reopened Wed 09:00 and resolved again at
# 10:00 (+1h: 4h in all; the resolved night does not count). Nobody replied: the first response
# stopped at the first resolve after Mon 8h + Tue 3h = 11h, against 1h.
at 23 09:00 new "VPN drops" --priority P2 --requester "Kim <kim@example.com>" && T[b]=$OUT
at 23 09:30 escalate "${T[b]}" -m "needs network access"
at 23 10:00 wait "${T[b]}" --on customer -m "which office?"
at 24 10:00 resume "${T[b]}"
at 24 11:00 escalate "${T[b]}" --to L3 -m "firmware bug"
at 24 12:00 resolve "${T[b]}" -m "Patched"
at 25 09:00 reopen "${T[b]}" -m "drops again"
at 25 10:00 resolve "${T[b]}" -m "Replaced the router"

# C, P3: filed Tuesday, untouched: the backlog, 6 days old on Monday the 30th.
at 24 09:00 new "Keyboard sticks" --priority P3 && T[c]=$OUT

export DESK_NOW=2026-11-30T09:00:00Z

case_totals_match_hand_computed_values() {
  desk_ok stats --json
  py '
d = json.loads(sys.argv[1])
assert d["desk_format"] == 2, d
assert d["since"] == "2026-10-31T09:00:00Z" and d["until"] == "2026-11-30T09:00:00Z", (d["since"], d["until"])
assert d["as_of"] == d["until"] and d["by"] is None and d["groups"] == []
t = d["total"]
assert (t["tickets"], t["created"], t["resolved"], t["closed"], t["reopened"]) == (3, 3, 2, 1, 1), t
b = t["backlog"]
assert (b["total"], b["new"], b["open"], b["pending"]) == (1, 1, 0, 0), b
assert b["ageing"] == {"under_1d": 0, "1d_to_3d": 0, "3d_to_7d": 1, "over_7d": 0}, b
assert t["first_contact_resolution"] == {"count": 1, "resolved": 2, "rate": 0.5}, t["first_contact_resolution"]
assert t["reopen"] == {"count": 1, "resolved": 2, "rate": 0.5}, t["reopen"]
tiers = {x["tier"]: (x["reached"], x["resolved_here"]) for x in t["tiers"]}
assert tiers == {"L1": (2, 1), "L2": (1, 0), "L3": (1, 1), "L4": (0, 0)}, tiers
assert t["first_response_time"] == {"count": 2, "mean": "6h", "mean_seconds": 21600, "median": "6h", "median_seconds": 21600,
                                   "p90": "11h", "p90_seconds": 39600}, t["first_response_time"]
assert t["resolution_time"] == {"count": 2, "mean": "3h", "mean_seconds": 10800, "median": "3h", "median_seconds": 10800,
                                "p90": "4h", "p90_seconds": 14400}, t["resolution_time"]
# Next update: A'"'"'s one cycle, from the reply at 10:00 to the resolution at 11:00, 1h of 8h; B had no reply.
assert t["sla"] == {"first_response": {"met": 1, "breached": 1, "rate": 0.5}, "next_update": {"met": 1, "breached": 0, "rate": 1},
                    "resolution": {"met": 2, "breached": 0, "rate": 1}}, t["sla"]
assert t["escalations"] == {"total": 2, "by_pair": {"L1->L2": 1, "L2->L3": 1, "L3->L4": 0}}, t["escalations"]
assert t["deescalations"] == {"total": 0, "by_pair": {}}, t["deescalations"]
assert t["csat"] == {"count": 1, "mean": 5, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1},
                    "surveys_sent": 0, "survey_answers": 0, "survey_response_rate": None}, t["csat"]
' "$OUT"
}

case_grouped_by_priority() {
  desk_ok stats --json --by priority
  py '
d = json.loads(sys.argv[1])
assert d["by"] == "priority"
g = {x["group"]: x for x in d["groups"]}
assert list(g) == ["P2", "P3"], list(g)
assert (g["P2"]["created"], g["P2"]["resolved"], g["P2"]["escalations"]["total"]) == (1, 1, 2)
assert g["P2"]["first_contact_resolution"]["rate"] == 0
assert (g["P3"]["created"], g["P3"]["resolved"], g["P3"]["backlog"]["total"]) == (2, 1, 1)
assert g["P3"]["first_contact_resolution"]["rate"] == 1
assert g["P3"]["resolution_time"]["median_seconds"] == 7200
' "$OUT"
}

case_grouped_by_week_and_tier() {
  # Every week of the default 30 days is a row, from the week the period starts in.
  desk_ok stats --json --by week
  py '
d = json.loads(sys.argv[1])
weeks = [g["group"] for g in d["groups"]]
assert (d["since"], d["until"]) == ("2026-10-31T09:00:00Z", "2026-11-30T09:00:00Z"), d
assert weeks == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"], weeks
assert [g["created"] for g in d["groups"]] == [0, 0, 0, 0, d["total"]["created"], 0], d["groups"]
assert d["groups"][-1]["backlog"]["total"] == d["total"]["backlog"]["total"]' "$OUT"
  desk_ok stats --json --by tier
  py '
d = json.loads(sys.argv[1])
g = {x["group"]: x["tickets"] for x in d["groups"]}
assert g == {"L1": 2, "L3": 1}, g
' "$OUT"
}

case_period_with_dates() {
  # Monday only: A done, B escalated and waiting; --until as a bare date takes the whole day.
  desk_ok stats --json --since 2026-11-23 --until 2026-11-23
  py '
d = json.loads(sys.argv[1])
assert d["until"] == "2026-11-23T23:59:59Z" and d["as_of"] == d["until"], d["until"]
t = d["total"]
assert (t["created"], t["resolved"], t["closed"], t["reopened"]) == (2, 1, 1, 0), t
assert (t["backlog"]["total"], t["backlog"]["pending"]) == (1, 1), t["backlog"]
assert t["escalations"]["total"] == 1 and t["csat"]["count"] == 1
' "$OUT"
  # Wednesday on: only the reopen and the second resolve of B.
  desk_ok stats --json --since 2026-11-25T00:00:00Z
  py '
t = json.loads(sys.argv[1])["total"]
assert (t["created"], t["resolved"], t["reopened"], t["reopen"]["count"]) == (0, 1, 1, 0), t
assert t["resolution_time"]["median_seconds"] == 14400, t["resolution_time"]
assert t["first_response_time"]["count"] == 0 and t["first_response_time"]["mean_seconds"] is None
' "$OUT"
}

case_plain_tables() {
  desk_ok stats
  expect_out_contains "2026-10-31 09:00 to 2026-11-30 09:00 UTC: 3 tickets"
  expect_out_contains "first contact"
  expect_out_contains "50%"
  expect_out_contains "L1->L2"
  expect_out_contains "1 rating"
  [[ $OUT != *$'\e'* ]] || fail "colour codes without a terminal"
  desk_ok stats --by assignee
  expect_out_contains "ASSIGNEE"
  expect_out_contains "all"
  # The all row carries the totals, the kb link rate among them (no ticket links an article here).
  py 'import re
lines = sys.argv[1].splitlines()
head = re.split(r"\s{2,}", [l for l in lines if l.startswith("ASSIGNEE")][0].strip())
assert head[:7] == ["ASSIGNEE", "NEW", "RESOLVED", "FCR", "REOPEN", "KB", "FIRST RESP"], head
row = [l for l in lines if l.startswith("all ")][0]
cells = re.split(r"\s{2,}", row.strip())
assert cells[3] == "50%" and cells[5] == "0%", cells' "$OUT"
  desk_ok --color always stats
  [[ $OUT == *$'\e['* ]] || fail "no colour with --color always"
  [[ $OUT == *"█"* ]] || fail "no bars"
}

case_usage_errors() {
  run_desk stats --by colour
  expect_error 2 "cannot group by 'colour'" "tier, priority, assignee, type, category, week, month"
  run_desk stats --since someday
  expect_error 2 "--since 'someday' is not a date or time"
  run_desk stats --since 2026-11-30 --until 2026-11-01
  expect_error 2 "before it starts"
}

case_reads_only() {
  snapshot
  desk_ok stats --by type
  assert_unchanged
}

run_all_cases
finish
