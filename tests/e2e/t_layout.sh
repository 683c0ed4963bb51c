# What a person sees in a real terminal (tmux) at 80 and 200 columns: the queue fits the width
# with the title keeping at least 30 columns, the SLA cell names its clock, wide (CJK) text keeps
# the columns aligned, and through the pager (less) long rows are chopped, not cut, so a search
# finds a word past the edge of the screen, and each page of it starts with the header.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v tmux >/dev/null || { echo "t_layout: tmux is not installed (scripts/deps.sh installs it)" >&2; exit 1; }

SOCK=
STARTS=0
tm() { tmux -L "$SOCK" "$@"; }
stop_tmux() { [[ -z $SOCK ]] || tm kill-server 2>/dev/null || true; }
trap 'stop_tmux; on_exit' EXIT

new_desk
for i in $(seq -w 1 36); do desk_ok new "Filler ticket $i about the printers" -p P3; done
desk_ok new "Printer on the third floor jams on every duplex job since the toner change zebracorn" -p P4
LONG=$OUT
desk_ok new "日本語のタイトル 東京オフィスの複合機" -p P2
CJK=$OUT
desk_ok assign "$CJK" "山田太郎 <yamada@example.com>"
desk_ok new "Mail bounces for the whole sales team" -p P1
MAIL=$OUT
export DESK_NOW=2026-11-23T15:00:00Z  # six business hours later: the P1's first response is late

# A shell in tmux at WIDTH x 30, in this desk, with this environment.
start_tmux() {
  stop_tmux
  # A server of its own each time (a dying one cannot take the new session); each case runs in a
  # subshell, so its server is stopped when the subshell exits, passed or failed.
  SOCK="desk-e2e-$$-$BASHPID-$((++STARTS))"
  trap stop_tmux EXIT
  tm -f /dev/null new-session -d -x "$1" -y 30 -c "$PWD" \
    "env TERM=screen PS1='$ ' bash --norc --noprofile"
  tm set-option -g status off >/dev/null
}
# screen: the visible lines of the pane, trailing blanks dropped.
screen() { tm capture-pane -p -t 0 | sed -e 's/[[:space:]]*$//'; }
# run_in_tmux COMMAND: runs it and waits for it to finish (a marker line).
run_in_tmux() {
  tm send-keys -t 0 "clear; $1; echo __done__" Enter
  local i
  for ((i = 0; i < 100; i++)); do
    screen | grep -q '^__done__$' && return 0
    sleep 0.1
  done
  fail "'$1' did not finish in tmux: $(screen)"
}
# wait_for TEXT: until the screen shows it (the pager drawing).
wait_for() {
  local i
  for ((i = 0; i < 100; i++)); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "the screen never showed '$1': $(screen)"
}

case_the_queue_fits_80_columns() {
  start_tmux 80
  run_in_tmux "DESK_PAGER=cat '$DESK' list -n 20"
  local s
  s=$(screen)
  # No row wraps: a header, 20 rows, the marker and the prompt.
  [[ $(grep -c . <<<"$s") == 23 && $(grep -cE '^[0-9a-z]{4}  ' <<<"$s") == 20 ]] || fail "rows wrapped at 80 columns:
$s"
  py '
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
lines = sys.argv[1].splitlines()
head = lines[0]
assert head.split()[0] == "ID" and head.split()[-1] == "TITLE", head
col = width(head[:head.index("TITLE")])
assert 80 - col >= 30, f"the title has {80 - col} columns at 80: {head!r}"
for l in lines[1:]:
    assert width(l) <= 80, f"wider than 80: {l!r}"
' "$s"
  grep -q "^${MAIL:0:4} .*FR [0-9hm]* late" <<<"$s" || fail "the P1's SLA cell does not say its first response is late:
$s"
}

case_wide_columns_and_cjk_stay_aligned_at_200() {
  start_tmux 200
  run_in_tmux "DESK_PAGER=cat '$DESK' list --sort -priority -n 3 --all; DESK_PAGER=cat '$DESK' list -p P1,P2"
  local s
  s=$(screen)
  grep -q "AGE" <<<"$s" || fail "AGE is missing at 200 columns:
$s"
  grep -q "zebracorn" <<<"$s" || fail "the long title is cut at 200 columns:
$s"
  py '
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
lines = [l for l in sys.argv[1].splitlines() if l and l not in ("__done__", "$")]
head = [l for l in lines if l.startswith("ID ")][-1]
rows = lines[lines.index(head) + 1:]
assert len(rows) == 2, rows
for name in ("SLA", "TITLE"):
    col = width(head[:head.index(name)])
    for r in rows:
        # The cell under the header starts exactly at its column, whatever the wide text before it.
        cut, w = 0, 0
        while w < col:
            w += width(r[cut]); cut += 1
        assert w == col and r[cut - 1] == " " and r[cut] != " ", f"{name} misaligned ({w} vs {col}): {r!r}"
assert any("山田太郎" in r for r in rows), rows
' "$s"
}

case_the_pager_chops_rows_and_search_finds_past_the_edge() {
  start_tmux 80
  tm send-keys -t 0 "clear; '$DESK' list" Enter
  wait_for "ID    PRI"
  local s
  s=$(screen)
  grep -q "zebracorn" <<<"$s" && fail "the long title should be past the first screen or the edge"
  grep -q '>$' <<<"$s" || fail "less did not chop the long rows (no '>' at the edge):
$s"
  tm send-keys -t 0 "/zebracorn" Enter
  wait_for "${LONG:0:4}"
  s=$(screen)
  [[ $(head -n 1 <<<"$s") == "${LONG:0:4}"* ]] || fail "the search did not bring the ticket to the top:
$s"
  tm send-keys -t 0 q
}

case_the_header_is_on_top_of_every_page_in_the_pager() {
  start_tmux 80
  tm send-keys -t 0 "clear; '$DESK' list" Enter
  wait_for "ID    PRI"
  local s
  s=$(screen)
  [[ $(head -n 1 <<<"$s") == "ID "* ]] || fail "the first page does not start with the header:
$s"
  local first_row i
  first_row=$(sed -n 2p <<<"$s")  # the first ticket of the first page (ids are random)
  tm send-keys -t 0 " "  # the next page
  for ((i = 0; i < 50; i++)); do
    s=$(screen)
    [[ $(sed -n 2p <<<"$s") != "$first_row" ]] && break
    sleep 0.1
  done
  grep -qF -- "$first_row" <<<"$s" && fail "SPACE did not page on: $s"
  [[ $(head -n 1 <<<"$s") == "ID "* ]] || fail "the second page does not start with the header:
$s"
  [[ $(grep -c "^ID " <<<"$s") == 1 ]] || fail "one header per page: $s"
  tm send-keys -t 0 q
}

case_show_wraps_at_80_and_a_note_does_not_look_like_a_reply() {
  desk_ok comment "$MAIL" -m "Thanks, we see the bounces too and are looking at the outbound relay; the queue of deferred mail is growing since nine this morning."
  desk_ok comment "$MAIL" --internal -m "Relay certificate expired at 08:59; renewing it now."
  start_tmux 80
  run_in_tmux "env -u NO_COLOR DESK_PAGER=cat '$DESK' show $MAIL --no-suggest --last 2"
  local s
  s=$(tm capture-pane -p -e -t 0)
  py '
import re, sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
raw = sys.argv[1]
plain = re.sub(r"\x1b\[[0-9;]*m", "", raw)
lines = plain.splitlines()
i = next(k for k, l in enumerate(lines) if "public reply" in l)
reply = []
for l in lines[i + 1:]:
    if not l.startswith("      "): break
    reply.append(l)
assert len(reply) >= 2, f"the reply did not wrap: {reply}"
assert all(width(l) <= 80 for l in reply), reply
assert "outbound relay" in " ".join(r.strip() for r in reply), reply
assert "History (the last 2 of 3" in plain, plain
def sgr_before(label):  # the colour codes right before the label, as tmux redraws them
    m = re.search(r"((?:\x1b\[[0-9;]*m)+)" + label, raw)
    return set(";".join(re.findall(r"\x1b\[([0-9;]*)m", m.group(1))).split(";")) if m else set()
assert "35" in sgr_before("internal note"), "the internal note is not magenta"
assert "36" in sgr_before("public reply"), "the public reply is not cyan"
' "$s"
}

case_a_pager_that_is_not_installed_does_not_swallow_the_queue() {
  start_tmux 80
  run_in_tmux "PAGER=no-such-pager '$DESK' list -n 3"
  local s
  s=$(screen)
  [[ $(grep -cE '^[0-9a-z]{4}  ' <<<"$s") == 3 ]] || fail "the queue is lost when PAGER names no program:
$s"
  grep -q "not found" <<<"$s" && fail "the shell's 'not found' shows instead of the queue"
  return 0
}

run_all_cases
# Every tmux server a case started is gone.
if pgrep -f "tmux -L desk-e2e-$$-" >/dev/null; then
  FAILURES=$((FAILURES + 1))
  echo "FAIL a tmux server of this script is still running: $(pgrep -af "tmux -L desk-e2e-$$-")" >&2
fi
finish
