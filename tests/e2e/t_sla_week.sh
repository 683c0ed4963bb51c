#!/usr/bin/env bash
# A scripted week of a small desk, driven with DESK_NOW: what `show`, `list --breached` and
# `sweep` report at each step, that sweep's changes land as one commit, and that a second sweep
# changes nothing. Calendar: the default (UTC, Mon-Fri 09:00-17:00); 2026-11-23 is a Monday.
set -euo pipefail
desk=${DESK:?}
tmp=$(mktemp -d /tmp/desk-e2e-sla.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 DESK_PAGER=cat
export GIT_AUTHOR_NAME="Ada Agent" GIT_AUTHOR_EMAIL=ada@example.com GIT_COMMITTER_NAME="Ada Agent" GIT_COMMITTER_EMAIL=ada@example.com
mkdir -p "$HOME"
fails=0; checks=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  checks=$((checks + 1))
  if ! "${@:2}"; then echo "FAIL: $1"; fails=$((fails + 1)); fi
}
has() { grep -qF -- "$2" <<<"$1"; }
hasnt() { ! grep -qF -- "$2" <<<"$1"; }
at() { export DESK_NOW="$1"; }
commits() { git rev-list --count HEAD; }

cd "$tmp"
at 2026-11-23T08:50:00Z
"$desk" -q init desk && cd desk
at 2026-11-23T09:00:00Z
vpn=$("$desk" -q new "VPN drops" --priority P2 --requester "lee@example.com")      # first response 1h
at 2026-11-23T09:05:00Z
mail=$("$desk" -q new "Mailbox full" --priority P4 --requester "kim@example.com")  # first response 8h
at 2026-11-23T09:10:00Z
"$desk" -q comment "$mail" -m "Archived old mail; please check"
"$desk" -q wait "$mail" --on customer

# Monday 09:20: nothing is late yet.
at 2026-11-23T09:20:00Z
out=$("$desk" list --breached)
check "nothing breached at 09:20" [ -z "$out" ]
out=$("$desk" sweep 2>&1)
check "sweep at 09:20 does nothing" has "$out" "nothing to do"

# Monday 09:45: VPN has spent 45m at L1 (limit 30m) and its first response is at risk.
at 2026-11-23T09:45:00Z
out=$("$desk" show "$vpn")
check "show: first response at risk" has "$out" "first response  at risk"
check "show: tier limit over, not breached" has "$out" "tier limit      over limit"
check "show: tier limit over by 15m" has "$out" "over by 15m"
out=$("$desk" list --at-risk)
check "list --at-risk shows VPN: its first response is at risk" has "$out" "VPN drops"
out=$("$desk" list --breached)
check "list --breached is empty: the tier limit is not an SLA" [ -z "$out" ]
out=$("$desk" list)
check "list: VPN's first response due in 15m, and over the tier limit" has "$out" "FR 15m, tier"
check "list never says late at 09:45" hasnt "$out" "late"
out=$("$desk" list --breached --clock tier)
check "list --breached --clock tier shows VPN" has "$out" "VPN drops"
check "list --breached --clock tier hides the paused mail ticket" hasnt "$out" "Mailbox full"
out=$("$desk" list --clock bogus --breached 2>&1) && rc=0 || rc=$?
check "list --clock bogus is a usage error" [ "$rc" -eq 2 ]
check "list --clock bogus names the clocks" has "$out" "first_response, next_update, resolution or tier"
before=$(commits)
out=$("$desk" sweep --dry-run --exit-code) && rc=0 || rc=$?
check "dry run exits 0: the escalation would clear the breach" [ "$rc" -eq 0 ]
check "dry run says it would escalate" has "$out" "would escalate $vpn L1 -> L2"
check "dry run commits nothing" [ "$(commits)" = "$before" ]
out=$("$desk" sweep --json)
check "sweep escalated VPN to L2" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert [(e["id"],e["to"]) for e in d["escalated"]]==[(sys.argv[2],"L2")], d' "$out" "$vpn"
check "sweep made one commit" [ "$(commits)" = "$((before + 1))" ]
check "the sweep commit has the trailers" has "$(git log -1 --format=%B)" "Desk-Action: sweep"
check "the sweep commit touched only the VPN ticket" [ "$(git show --name-only --format= HEAD)" = "tickets/${vpn:0:2}/$vpn.toml" ]
check "the working tree is clean" [ -z "$(git status --porcelain)" ]
out=$("$desk" sweep 2>&1)
check "a second sweep is a no-op" has "$out" "nothing to do"
check "the second sweep made no commit" [ "$(commits)" = "$((before + 1))" ]
out=$("$desk" show "$vpn")
check "the escalation is in the history as automatic" has "$out" "Automatic escalation by desk sweep: 45m in L1 exceeded its 30m time limit"

# Monday 10:30: VPN's first response (1h) is 30m late: sweep records the breach once.
at 2026-11-23T10:30:00Z
before=$(commits)
out=$("$desk" sweep --exit-code) && rc=0 || rc=$?
check "sweep --exit-code exits 4 on a breach" [ "$rc" -eq 4 ]
check "sweep reports the first-response breach" has "$out" "breach $vpn first_response: due 2026-11-23 10:00 UTC, over by 30m"
check "the breach is one commit" [ "$(commits)" = "$((before + 1))" ]
check "the breach entry is in the file" grep -q 'action = "breach"' "tickets/${vpn:0:2}/$vpn.toml"
at 2026-11-23T10:45:00Z
out=$("$desk" sweep --exit-code 2>/dev/null) && rc=0 || rc=$?
check "a later sweep records nothing new but still fails CI" [ "$rc" -eq 4 ] && [ -z "$out" ]
check "and makes no commit" [ "$(commits)" = "$((before + 1))" ]

# Monday 16:55 to Tuesday 09:30: the night does not count; the mail ticket stays paused.
"$desk" -q comment "$vpn" -m "Working on it with the network team"
at 2026-11-24T09:30:00Z
out=$("$desk" show "$mail")
check "paused clock shows paused" has "$out" "paused"
check "mail's first response was met at 09:10" has "$out" "met 2026-11-23 09:10"
out=$("$desk" show --json "$vpn")
check "show --json carries the clocks" python3 -c '
import json,sys
d=json.loads(sys.argv[1])
c={x["clock"]:x for x in d["clocks"]}
# The reply at 10:45 stopped the first-response clock 45m past its 1h target.
assert c["first_response"]["state"]=="breached" and c["first_response"]["overdue"]=="45m", c
assert c["first_response"]["stopped_at"]=="2026-11-23T10:45:00Z", c
# Next update runs from that reply: Mon 10:45-17:00 and Tue 09:00-09:30, the night excluded.
assert c["next_update"]["start"]=="2026-11-23T10:45:00Z", c
assert c["next_update"]["elapsed"]=="6h45m" and c["next_update"]["state"]=="breached", c["next_update"]
' "$out"

# Friday: the mail customer answered on Wednesday; resolution then counts again.
at 2026-11-25T11:00:00Z
"$desk" -q resume "$mail" -m "Customer confirms"
at 2026-11-27T16:00:00Z
out=$("$desk" list --due-within 8h --sort due)
check "list --due-within finds tickets due before Monday's business hours end" has "$out" "Mailbox full"
"$desk" -q resolve "$vpn" -m "MTU fix"
out=$("$desk" show "$vpn")
check "a resolved ticket's resolution clock is met or breached, not running" has "$out" "resolution      breached"
out=$("$desk" sweep 2>&1)
check "sweep ignores resolved tickets" hasnt "$out" "$vpn"
check "git fsck is clean" git fsck --no-dangling

echo "$((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
