# desk list: every filter and the sort and limit options, checked in the plain table and in
# --json (the same tickets, in the same order).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

new_desk
declare -A T=()  # name -> id

# at TIME ARGS...: runs desk with the clock at 2026-11-23TTIME:00Z.
at() {
  local time=$1
  shift
  DESK_NOW=2026-11-23T$time:00Z desk_ok "$@"
}

at 08:00 new "Mail bounces" --tag mail && T[mail]=$OUT
at 08:01 triage "${T[mail]}" -p P1
at 08:02 assign "${T[mail]}" alice

at 08:10 new "VPN drops" --tier L2 --tag network --tag vip && T[vpn]=$OUT
at 08:11 assign "${T[vpn]}" bob

at 08:20 new "New laptop request" -t access-request --type service-request --priority P4 -m "Wants a ThinkPad." && T[laptop]=$OUT

at 08:30 new "Printer jam" --priority P2 --tag hardware && T[printer]=$OUT
at 08:31 resolve "${T[printer]}" -m "Removed the paper."

at 08:40 new "Old password" --priority P5 && T[password]=$OUT
at 08:41 resolve "${T[password]}" -m "Reset it."
at 08:42 close "${T[password]}" --csat 3

at 08:50 new "Waiting on the user" --tag network && T[waiting]=$OUT
at 08:51 comment "${T[waiting]}" -m "Please send the Zebra-Code from the label."
at 08:52 wait "${T[waiting]}" --on customer
assert_clean

# expect_list "NAME..." ARGS...: `desk list ARGS` shows exactly these tickets in this order, in
# the table (by the id prefix in the first column) and in --json.
expect_list() {
  local want=() n ids
  for n in $1; do want+=("${T[$n]}"); done
  shift
  desk_ok list "$@" --json
  ids=$(py 'd = json.load(open(sys.argv[1])); assert d["problems"] == []; print(" ".join(t["id"] for t in d["tickets"]))' "$OUT_FILE")
  [[ $ids == "${want[*]}" ]] || fail "list $* --json: got [$ids], expected [${want[*]}]"
  run_desk list "$@"
  expect_code 0
  if ((${#want[@]} == 0)); then
    [[ -z $OUT ]] || fail "list $*: expected no output"
    expect_err_contains "match"
    return
  fi
  local rows=() i
  mapfile -t rows <<<"$OUT"
  [[ ${rows[0]} == "ID  "*"PRI"*"TIER"*"STATUS"*"ASSIGNEE"*"AGE"*"TITLE" ]] || fail "list $*: bad header '${rows[0]}'"
  ((${#rows[@]} == ${#want[@]} + 1)) || fail "list $*: ${#rows[@]} lines, expected header + ${#want[@]}"
  for ((i = 0; i < ${#want[@]}; i++)); do
    local prefix=${rows[i + 1]%% *}
    ((${#prefix} >= 4)) && [[ ${want[i]} == "$prefix"* ]] || fail "list $*: row $((i + 1)) is '${rows[i + 1]}', expected ${want[i]}"
  done
}

# Default: open work (new, open, pending), by priority then creation.
expect_list "mail vpn waiting laptop"
expect_list "mail vpn laptop printer password waiting" --all --sort created
# --status, alone, repeated and comma-separated
expect_list "laptop" --status new
expect_list "mail vpn" --status open
expect_list "waiting" --status pending
expect_list "printer" --status resolved
expect_list "printer password" --status resolved --status closed --sort created
expect_list "printer password" --status resolved,closed --sort created
# --tier, --priority
expect_list "vpn" --tier L2
expect_list "mail waiting laptop" --tier L1
expect_list "vpn waiting" --priority P3
expect_list "mail laptop" --priority P1,P4
expect_list "password" --priority P5 --all
# --assignee (none: unassigned)
expect_list "mail" --assignee alice
expect_list "vpn" -a bob
expect_list "waiting laptop" --assignee none
# --tag: every tag given must be there
expect_list "vpn waiting" --tag network
expect_list "vpn" --tag network --tag vip
expect_list "" --tag mail --tag vip
expect_list "printer" --tag hardware --all
# --type
expect_list "laptop" --type service-request
expect_list "mail vpn waiting" --type incident
# --text: any case, in the title, the description and the history
expect_list "laptop" --text thinkpad
expect_list "waiting" --text ZEBRA-code
expect_list "printer" --text "PAPER" --all
expect_list "" --text "no such words"
# --sort and --limit
expect_list "mail laptop vpn waiting" --sort title
expect_list "waiting laptop vpn mail" --sort -created
expect_list "laptop waiting mail vpn" --sort assignee,title
expect_list "password printer waiting mail vpn laptop" --all --sort -status,created
expect_list "mail vpn" --limit 2
expect_list "waiting" -n 1 --sort -created
expect_list "mail vpn" --status open --tier L1,L2 --sort created --limit 5
expect_list "vpn" --tag network --assignee bob --priority P3 --tier L2 --type incident

# The table's cells: status with what it waits on, assignee, age at DESK_NOW (09:00), title last.
run_desk list
expect_code 0
line=$(grep "^${T[waiting]:0:4}" <<<"$OUT") || fail "no row for the waiting ticket"
[[ $line =~ ^[0-9a-z]{4,}\ +P3\ +L1\ +pend/cust\ +-\ +10m\ .*\ Waiting\ on\ the\ user$ ]] || fail "row: '$line'"
line=$(grep "^${T[mail]:0:4}" <<<"$OUT") || fail "no row for the mail ticket"
[[ $line =~ ^[0-9a-z]{4,}\ +P1\ +L1\ +open\ +alice\ +1h\ .*\ Mail\ bounces$ ]] || fail "row: '$line'"
expect_err_lacks "warning"

# JSON carries the fields as in the TOML.
desk_ok list --all --json
py 'd = json.load(open(sys.argv[1])); by = {t["id"]: t for t in d["tickets"]}
assert d["desk_format"] == 2 and len(by) == 6, len(by)
m, w, p = by[sys.argv[2]], by[sys.argv[3]], by[sys.argv[4]]
assert (m["priority"], m["assignee"], m["status"], m["tags"]) == ("P1", {"name": "alice", "email": None}, "open", ["mail"]), m
assert w["assignee"] is None, w
assert (w["status"], w["waiting_on"], w["created"]) == ("pending", "customer", "2026-11-23T08:50:00Z"), w
assert (p["status"], p["csat"], p["resolution"]) == ("closed", 3, "Reset it."), p' \
  "$OUT_FILE" "${T[mail]}" "${T[waiting]}" "${T[password]}"

# Bad options are refused.
run_desk list --limit lots
expect_error 2
run_desk list --sort nonsense
expect_error 2 "nonsense"

finish
