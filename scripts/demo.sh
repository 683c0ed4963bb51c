#!/usr/bin/env bash
# README command 1: install dependencies, build, and run desk's main job on a throwaway desk:
# tickets from templates, triage, escalation L1 -> L2 -> L3 with hand-off notes, de-escalation
# with the fix, resolve, close; then the queue and the ticket's audit trail.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh >/dev/null
DESK_BIN="$PWD/build/desk"
desk() { "$DESK_BIN" "$@"; }
demo=$(mktemp -d /tmp/desk-demo.XXXXXX)
export HOME="$demo/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 DESK_PAGER=cat
mkdir -p "$HOME"
as() {  # as NAME EMAIL TIME: who acts, and when (DESK_NOW pins the clock)
  export GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" GIT_COMMITTER_NAME="$1" GIT_COMMITTER_EMAIL="$2"
  export DESK_NOW="2026-11-23T$3:00Z"
}
step() { printf '\n$ %s\n' "${*@Q}" | sed "s/'\([A-Za-z0-9_.@:/=-]*\)'/\\1/g"; "$@"; }
cd "$demo"

as "Ada L1" ada@example.com 08:55
step desk init desk
cd desk
as "Ada L1" ada@example.com 09:00
step desk new "Cannot log in after holiday" --template password-reset --requester "sam@example.com"
as "Ada L1" ada@example.com 09:04
step desk new "Laptop fan grinding" --template hardware-fault --requester "kim@example.com"
as "Ada L1" ada@example.com 09:10
vpn=$(desk new "VPN drops every hour" --template software-bug --requester "lee@example.com" \
      -m "Since Monday the VPN disconnects roughly every 60 minutes; reconnecting works.")
echo "filed $vpn"
as "Ada L1" ada@example.com 09:12
step desk triage "$vpn" --impact high --urgency medium --tag vpn
step desk check "$vpn" 1
as "Ada L1" ada@example.com 09:20
step desk comment "$vpn" -m "Thanks Lee, we are on it. Could you send the client log?"
as "Ada L1" ada@example.com 09:35
step desk escalate "$vpn" -m "Reinstalled the client and reset the profile; still drops hourly. Log attached. Needs network diagnostics."
as "Bo L2" bo@example.com 10:05
step desk assign "$vpn" "Bo L2"
as "Bo L2" bo@example.com 11:30
step desk escalate "$vpn" --to L3 -m "Drops line up with the concentrator's hourly rekey; client side is clean. Needs the network engineers."
as "Cy L3" cy@example.com 14:10
step desk comment "$vpn" --internal -m "Rekey negotiates a larger MTU than the tunnel carries."
as "Cy L3" cy@example.com 15:00
step desk deescalate "$vpn" --to L1 -m "Fixed: pinned the tunnel MTU to 1380 on the concentrator. Ask the user to reconnect once and confirm."
as "Ada L1" ada@example.com 15:20
step desk resolve "$vpn" -m "Concentrator MTU pinned to 1380 (L3); user reconnected and confirmed a stable hour."
as "Ada L1" ada@example.com 16:00
step desk close "$vpn" --csat 5
step desk list --all
step desk show "$vpn"
step desk log "$vpn"
echo
echo "The demo desk is in $demo/desk (a plain git repository: try git log there)."
