#!/usr/bin/env bash
# The filters a team reaches for, on list and export: --vendor, --waiting-on and the pending/...
# statuses list prints, created/updated/closed bounds with dates, weeks, months, relative days
# and times ago (DESK_NOW moving through three weeks), and the same time syntax for stats.
source "$(dirname "$0")/lib.sh"

# Three tickets over three weeks (2026-11-02 is a Monday, ISO week 45):
#  OLD  created Mon 2026-11-02, resolved Wed 2026-11-04
#  MID  created Mon 2026-11-09, escalated to the vendor tier (acme), waiting on the vendor
#  NEW  created Mon 2026-11-16, waiting on the customer
setup() {
  new_desk "$TMP/${FUNCNAME[1]}"
  export DESK_NOW=2026-11-02T10:00:00Z
  new_ticket "Old printer jam"; OLD=$ID
  export DESK_NOW=2026-11-04T10:00:00Z
  desk_ok resolve "$OLD" -m "cleared"
  export DESK_NOW=2026-11-09T10:00:00Z
  new_ticket "Mid firewall bug"; MID=$ID
  desk_ok escalate "$MID" --to L4 --vendor acme-networks --case A-1 -m "firmware"
  desk_ok wait "$MID" --on vendor
  export DESK_NOW=2026-11-16T10:00:00Z
  new_ticket "New mailbox full"; NEW=$ID
  desk_ok wait "$NEW" --on customer
  export DESK_NOW=2026-11-18T12:00:00Z  # a Wednesday, week 47
}

# titles ARGS...: the titles `desk list --json ARGS` lists, sorted, space-separated.
titles() {
  run_desk list --json "$@"
  expect_code 0
  py 'import json,sys; print(" ".join(sorted(t["title"].split()[0] for t in json.loads(sys.argv[1])["tickets"])))' "$OUT"
}

case_vendor_and_waiting_on() {
  setup
  [[ $(titles --vendor acme-networks) == "Mid" ]] || fail "--vendor: $(titles --vendor acme-networks)"
  [[ $(titles --waiting-on vendor) == "Mid" ]] || fail "--waiting-on vendor"
  [[ $(titles --waiting-on customer) == "New" ]] || fail "--waiting-on customer"
  [[ $(titles --waiting-on customer,vendor) == "Mid New" ]] || fail "--waiting-on both"
  # what the STATUS column prints is a status list takes
  [[ $(titles -s pending/vendor) == "Mid" ]] || fail "-s pending/vendor"
  [[ $(titles -s pending/customer,open) == "New" ]] || fail "-s pending/customer,open"
  run_desk list --waiting-on boss
  expect_error 2 "customer or vendor"
  run_desk list -s pending/boss
  expect_error 2 "pending/customer"
}

case_no_reply_for_and_has_csat() {
  new_desk "$TMP/${FUNCNAME[0]}"
  export DESK_NOW=2026-11-16T09:00:00Z
  new_ticket "Silent printer" --requester "Kim <kim@example.com>"; A=$ID
  new_ticket "Answered vpn" --requester "Kim <kim@example.com>"; B=$ID
  export DESK_NOW=2026-11-16T12:00:00Z
  desk_ok comment "$B" -m "Which client version?"
  desk_ok comment "$A" -i -m "an internal note is not a reply"
  export DESK_NOW=2026-11-16T14:00:00Z
  # The customer's own words are not a reply either.
  GIT_AUTHOR_NAME=Kim GIT_AUTHOR_EMAIL=kim@example.com desk_ok comment "$B" -m "4.2.1"
  [[ $(titles --no-reply-for 4h) == "Silent" ]] || fail "--no-reply-for 4h: $(titles --no-reply-for 4h)"
  [[ $(titles --no-reply-for 2h) == "Answered Silent" ]] || fail "--no-reply-for 2h: $(titles --no-reply-for 2h)"
  [[ $(titles --no-reply-for 6h) == "" ]] || fail "--no-reply-for 6h: $(titles --no-reply-for 6h)"
  run_desk list --no-reply-for soon
  expect_error 2 "--no-reply-for 'soon' is not a duration"
  [[ $(titles --all --has-csat) == "" ]] || fail "--has-csat before any rating"
  desk_ok resolve "$B" -m "Updated the client."
  desk_ok close "$B" --csat 5
  [[ $(titles --all --has-csat) == "Answered" ]] || fail "--has-csat: $(titles --all --has-csat)"
  [[ $(titles --all) == "Answered Silent" ]] || fail "--all"
  DESK_INDEX=off run_desk list --json --all --has-csat
  [[ $OUT == *"Answered vpn"* && $OUT != *"Silent printer"* ]] || fail "without the index --has-csat differs"
}

case_time_bounds() {
  setup
  [[ $(titles --all --created-since 2026-11-09) == "Mid New" ]] || fail "--created-since a date"
  [[ $(titles --all --created-until 2026-11-09) == "Mid Old" ]] || fail "--created-until a date is through its end"
  [[ $(titles --all --created-since 2026-W46 --created-until 2026-W46) == "Mid" ]] || fail "an ISO week"
  [[ $(titles --all --created-since last-week --created-until last-week) == "Mid" ]] || fail "last-week (the week of the 9th)"
  [[ $(titles --all --created-since this-week) == "New" ]] || fail "this-week: from Monday the 16th"
  [[ $(titles --all --created-since 9d) == "New" ]] || fail "9d ago is the 9th at 12:00, after Mid was filed"
  [[ $(titles --all --created-since 2w) == "Mid New" ]] || fail "2w ago is the 4th"
  [[ $(titles --all --created-since 2026-11) == "Mid New Old" ]] || fail "a month"
  [[ $(titles --all --closed-since 2026-11-01) == "Old" ]] || fail "--closed-since"
  [[ $(titles --closed-since 2026-11-01) == "" ]] || fail "--closed-since without --all lists no open work"
  [[ $(titles --all --updated-until 2026-11-10) == "Mid Old" ]] || fail "--updated-until"
  [[ $(titles --all --updated-since yesterday) == "" ]] || fail "--updated-since yesterday"
  run_desk export --csv --created-since 2026-W47
  expect_code 0
  [[ $(grep -c . <<<"$OUT") == 2 ]] || fail "export --created-since 2026-W47: the header and New expected: $OUT"
  expect_out_contains "New mailbox full"
  run_desk list --created-since someday
  expect_error 2 "--created-since 'someday' is not a date or time" "last-week"
}

case_stats_take_the_same_times() {
  setup
  desk_ok stats --json --since last-month --until this-month
  py 'import json,sys; d=json.loads(sys.argv[1]); assert d["since"] == "2026-10-01T00:00:00Z" and d["until"] == "2026-11-30T23:59:59Z", d' "$OUT"
  desk_ok stats --json --since 2026-W45 --until 2026-W45
  py 'import json,sys; d=json.loads(sys.argv[1]); assert (d["since"], d["until"]) == ("2026-11-02T00:00:00Z", "2026-11-08T23:59:59Z"), d
assert d["total"]["created"] == 1 and d["total"]["resolved"] == 1, d["total"]' "$OUT"
  run_desk stats --since tomorrow-ish
  expect_error 2 "--since"
}

run_all_cases
finish
