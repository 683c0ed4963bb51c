# Hostile input stays data: terminal control sequences are stored as given but never printed,
# path-like ids and names never reach outside the desk, and a ticket file with a wrong id, or a
# symlink, is reported while every other ticket keeps working.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# fresh_desk: each case gets its own desk ($TMP/NAME-OF-CASE), with two tickets: GOOD and T.
fresh_desk() {
  new_desk "$TMP/${FUNCNAME[1]}"
  new_ticket "Ordinary ticket"
  GOOD=$ID
  new_ticket "Target of hostile comments"
  T=$ID
}

# Bait outside the desk: a valid ticket file, a template and a macro that must never be read.
BAIT_ID=bbbbbbbbbb
ticket_toml() {  # ticket_toml ID TITLE: a minimal valid ticket file (TITLE is TOML string text)
  cat <<EOF
format = 1
id = "$1"
title = "$2"
status = "open"
tier = "L1"
priority = "P3"
type = "incident"
requester = "Mallory <mallory@example.com>"
created = 2026-11-23T08:00:00Z
updated = 2026-11-23T08:00:00Z

[[history]]
id = "hhhhhhhhhh"
at = 2026-11-23T08:00:00Z
by = "Mallory <mallory@example.com>"
action = "create"
to = "L1"
status = "open"
EOF
}
ticket_toml "$BAIT_ID" "BAIT-OUTSIDE" >"$TMP/bait.toml"
cp "$TMP/bait.toml" "$TMP/bait.before"
printf 'title = "BAIT-TEMPLATE"\ntype = "incident"\n' >"$TMP/bait-template.toml"
printf 'title = "BAIT-MACRO"\nreply = "BAIT-MACRO"\n' >"$TMP/bait-macro.toml"
mkdir -p "$TMP/etc" && cp "$TMP/bait.toml" "$TMP/etc/passwd"

# no_control_bytes FILE WHAT: FILE holds no ESC, BEL, CR, C1 CSI or other C0 control byte.
no_control_bytes() {
  py 'data = open(sys.argv[1], "rb").read()
bad = sorted({hex(b) for b in data if (b < 0x20 and b not in (0x0a, 0x09)) or b == 0x7f})
assert not bad and b"\xc2\x9b" not in data, sys.argv[2] + " prints control bytes " + str(bad)' "$1" "$2"
}

case_escape_sequences_in_a_comment() {
  fresh_desk
  local text=$'red \e[31mRED\e[0m, link \e]8;;http://evil.example/\e\\click\e]8;;\e\\, bell\a, title \e]0;pwned\a, c1 \xc2\x9b2J, cr ok\rEVIL, end'
  snapshot
  desk_ok comment "$T" -m "$text"
  assert_desk_commit "$T" comment
  # Stored as given: the file is data, TOML-escaped.
  py 't = tomllib.load(open(sys.argv[1], "rb")); got = t["history"][-1]["text"]
assert "\x1b" in got and "\x07" in got, repr(got)
assert got == sys.argv[2], (got, sys.argv[2])' "$(ticket_path "$T")" "$text"
  py 'data = open(sys.argv[1], "rb").read(); assert b"\x1b" not in data and b"\x07" not in data, "raw control bytes in the TOML file"' \
    "$(ticket_path "$T")"
  # Printed without them, visible text kept.
  desk_ok show "$T"
  no_control_bytes "$OUT_FILE" "desk show"
  expect_out_contains "RED"
  expect_out_contains "click"
  expect_out_contains "end"
  run_desk --color always show "$T"
  expect_code 0
  py 'data = open(sys.argv[1], "rb").read()
assert b"\x1b[31m" not in data and b"\x1b]" not in data and b"\x07" not in data, "hostile sequences printed with --color always"' "$OUT_FILE"
  desk_ok log "$T"
  no_control_bytes "$OUT_FILE" "desk log"
  # JSON keeps the data, escaped.
  desk_ok show "$T" --json
  py 'data = open(sys.argv[1], "rb").read(); assert not [b for b in data if b < 0x20 and b != 0x0a], "raw C0 bytes in JSON"' "$OUT_FILE"
  py 'd = json.load(open(sys.argv[1])); assert d["history"][-1]["text"] == sys.argv[2], repr(d["history"][-1]["text"])' \
    "$OUT_FILE" "$text"
}

case_escape_sequences_in_a_pushed_ticket() {
  fresh_desk
  # Someone else's push: a ticket whose title, requester and tags carry escapes, and a commit
  # message with escapes that desk log shows.
  local id=cccccccccc
  mkdir -p tickets/cc
  ticket_toml "$id" '\u001b]0;pwned\u0007Evil \u001b[2Jtitle' | sed 's/^type = .*/&\ntags = ["\\u001b[5mblink"]/' >"tickets/cc/$id.toml"
  git add tickets/cc
  git commit -qm $'pushed \e[31mred\e[0m ticket' -m "Desk-Ticket: $id" -m "Desk-Action: comment"
  desk_ok list --all
  no_control_bytes "$OUT_FILE" "desk list"
  expect_out_contains "Evil title"
  desk_ok show "$id"
  no_control_bytes "$OUT_FILE" "desk show"
  expect_out_contains "Evil title"
  desk_ok log
  no_control_bytes "$OUT_FILE" "desk log"
  run_desk show $'\e[31mzz'
  expect_code 3
  no_control_bytes "$ERR_FILE" "an error message"
}

case_path_like_ids() {
  fresh_desk
  local id
  for id in '../../etc/passwd' '../bait' '../../bait' "$TMP/bait" '/etc/passwd' '..' '.' '' 'tickets/bb/bbbbbbbbbb' \
    "${GOOD:0:2}/../.." "$GOOD/" "$GOOD.toml" '%2e%2e%2fbait' $'bb\nbb' '~' "$(printf 'a%.0s' {1..300})"; do
    snapshot
    run_desk show "$id"
    [[ $CODE == 3 || $CODE == 2 ]] || fail "show '$id': exit $CODE, expected not found (3) or usage (2)"
    expect_out_lacks "BAIT"
    expect_err_lacks "BAIT"
    [[ -z $OUT ]] || fail "show '$id' printed on stdout"
    run_desk comment "$id" -m "hello"
    [[ $CODE == 3 || $CODE == 2 ]] || fail "comment '$id': exit $CODE"
    assert_unchanged
  done
  cmp -s "$TMP/bait.toml" "$TMP/bait.before" || fail "the bait outside the desk changed"
  run_desk show '../../etc/passwd'
  expect_error 3 "is not a ticket id"
}

case_path_like_macro_names() {
  fresh_desk
  local name
  for name in '../../bait-macro' '../../../bait-macro' "$TMP/bait-macro" '../macros/../../../bait-macro' '../config'; do
    snapshot
    run_desk apply "$name" "$T"
    expect_error 3 "no macro"
    expect_err_lacks "BAIT"
    assert_unchanged
    run_desk apply "$name" "$T" --dry-run
    expect_code 3
    expect_out_lacks "BAIT"
  done
}

case_path_like_template_names() {
  fresh_desk
  local name
  for name in '../../bait-template' '../../../bait-template' "$TMP/bait-template" '../templates/../../../bait-template'; do
    snapshot
    run_desk new -t "$name" "Hostile template"
    ((CODE != 0)) || fail "new -t '$name' succeeded"
    expect_err_lacks "BAIT"
    assert_unchanged
  done
}

case_ticket_file_with_a_mismatched_id() {
  fresh_desk
  # tickets/dd/dddddddddd.toml says it is eeeeeeeeee: reported, never written under another name.
  local path=tickets/dd/dddddddddd.toml
  mkdir -p tickets/dd
  ticket_toml eeeeeeeeee "Mismatched" >"$path"
  git add "$path" && git commit -qm "a file with the wrong id"
  desk_ok list --all
  expect_out_contains "Ordinary ticket"
  expect_err_contains "$path"
  expect_err_contains "does not match"
  desk_ok list --all --json
  py 'd = json.load(open(sys.argv[1]))
assert [p["path"] for p in d["problems"]] == [sys.argv[2]], d["problems"]
assert "eeeeeeeeee" not in [t["id"] for t in d["tickets"]] and "dddddddddd" not in [t["id"] for t in d["tickets"]], "the mismatched ticket is listed"' \
    "$OUT_FILE" "$path"
  snapshot
  run_desk comment dddddddddd -m "hello"
  [[ -z $(git ls-tree -r --name-only HEAD tickets/ee) && ! -e tickets/ee ]] || fail "desk wrote tickets/ee/eeeeeeeeee.toml for a file named dddddddddd"
  expect_error 1 "$path"
  assert_unchanged
  run_desk show dddddddddd
  expect_error 1 "$path"
  # The others keep working.
  snapshot
  desk_ok comment "$GOOD" -m "still fine"
  assert_desk_commit "$GOOD" comment
}

case_ticket_file_impersonating_another() {
  fresh_desk
  # tickets/ff/ffffffffff.toml claims to be $GOOD: a write must not replace $GOOD's file.
  local path=tickets/ff/ffffffffff.toml good_file
  good_file=$(ticket_path "$GOOD")
  cp "$good_file" "$TMP/good.before"
  mkdir -p tickets/ff
  ticket_toml "$GOOD" "Impostor" >"$path"
  git add "$path" && git commit -qm "an impostor"
  snapshot
  run_desk comment ffffffffff -m "hello"
  expect_error 1 "$path"
  assert_unchanged
  cmp -s "$good_file" "$TMP/good.before" || fail "$good_file was overwritten"
  desk_ok show "$GOOD"
  expect_out_contains "Ordinary ticket"
}

case_symlinked_ticket_file() {
  fresh_desk
  # A committed symlink in tickets/ pointing outside: never followed, for reading or writing.
  mkdir -p tickets/gg
  ln -s "$TMP/bait.toml" tickets/gg/gggggggggg.toml
  git add tickets/gg && git commit -qm "a symlink"
  run_desk list --all
  expect_code 0
  expect_out_lacks "BAIT"
  expect_out_contains "Ordinary ticket"
  snapshot
  run_desk show gggggggggg
  ((CODE != 0)) || fail "show of a symlinked ticket succeeded"
  expect_out_lacks "BAIT"
  run_desk comment gggggggggg -m "hello"
  ((CODE != 0)) || fail "comment on a symlinked ticket succeeded"
  assert_unchanged
  cmp -s "$TMP/bait.toml" "$TMP/bait.before" || fail "desk wrote through the symlink"
}

case_ticket_and_config_nested_without_end() {
  fresh_desk
  # 300,000 levels of [x.x.x...] (600 KB): toml++ builds that without limit, and tearing it down
  # overflowed the stack. Reported with its path, line and column; the other tickets keep working.
  local path=tickets/dd/dddddddddd.toml
  mkdir -p tickets/dd
  { ticket_toml dddddddddd "Deep"; "$PY" -c 'import sys; sys.stdout.write("[" + ".".join(["x"] * 300000) + "]\nk = 1\n")'; } >"$path"
  git add "$path" && git commit -qm "a ticket nested without end"
  desk_ok list --all
  expect_out_contains "Ordinary ticket"
  expect_err_contains "$path:19:129:"
  expect_err_contains "nested more than 64 levels deep"
  run_desk show dddddddddd
  expect_error 1 "$path:19:129:" "nested more than 64 levels deep"
  run_desk fsck
  expect_code 5
  expect_out_contains "$path:19:129:"
  snapshot
  desk_ok comment "$GOOD" -m "still fine"
  assert_desk_commit "$GOOD" comment
  # The same in the config: every command refuses with the place, nothing is written.
  "$PY" -c 'import sys; sys.stdout.write("x = " + "{ a = " * 200 + "1" + " }" * 200 + "\n")' >>.desk/config.toml
  git commit -qam "a config nested too deep"
  snapshot
  run_desk comment "$GOOD" -m "refused"
  expect_error 1 ".desk/config.toml:" "nested more than 64 levels deep"
  assert_unchanged
}

# ---------------------------------------------------------------------------------------------
# Every output path, on a pipe and on a real terminal (a pty), with hostile content wherever a
# pushed file or a typed argument can put it: escape sequences (an OSC 52 clipboard write, an
# OSC 0 window title, CSI), the C1 CSI U+009B, BEL, DEL, a lone CR and the bidirectional controls.

# The hostile text with Python's \u escapes (for TOML and JSON files), and as the text itself.
HOSTILE_ESC='\u001b]52;c;cHduZWQ=\u0007\u001b]0;pwned\u0007\u001b[5mBLINK\u001b[0m \u009b2J \u202eevil\u202c \u202a\u202b\u202d \u2066\u2067\u2068\u2069 \u200e\u200f\u061c bell\u0007 del\u007f cr\rX'
HOSTILE=$("$PY" -c 'import sys; sys.stdout.write(sys.argv[1].encode().decode("unicode_escape"))' "$HOSTILE_ESC")

# clean_output FILE WHAT [cr]: FILE holds no escape, C1 control, bidirectional control or other
# C0 control (newline and tab allowed; with cr, CR too: a terminal's line discipline writes
# CR LF, and CSV ends its records with CR LF).
clean_output() {
  py 'data = open(sys.argv[1], "rb").read()
allow = {0x09, 0x0a} | ({0x0d} if sys.argv[3] else set())
bad = sorted({hex(b) for b in data if (b < 0x20 and b not in allow) or b == 0x7f})
assert not bad, sys.argv[2] + " prints control bytes " + str(bad)
assert b"\x9b" not in data.replace(b"\xc2\x9b", b""), sys.argv[2] + " prints a raw 0x9b"
text = data.decode("utf-8", "replace")
c1 = sorted({hex(ord(c)) for c in text if 0x80 <= ord(c) <= 0x9f})
assert not c1, sys.argv[2] + " prints C1 controls " + str(c1)
bidi = sorted({hex(ord(c)) for c in text if ord(c) in (0x61c, 0x200e, 0x200f) or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069})
assert not bidi, sys.argv[2] + " prints bidirectional controls " + str(bidi)' "$1" "$2" "${3:-}"
}

# on_pty ARGS...: runs desk with stdin, stdout and stderr on one pseudo-terminal (120 columns),
# PAGER=cat so that what desk writes is what the terminal gets; sets OUT and OUT_FILE (both
# streams), ERR empty, and CODE.
on_pty() {
  LAST_CMD="(on a pty) desk $(printf '%q ' "$@")"
  CODE=0
  PAGER=cat "$PY" -c '
import fcntl, os, pty, struct, sys, termios
out, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.execv(argv[0], argv)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(out, "wb").write(data)
sys.exit(os.waitstatus_to_exitcode(status))' "$OUT_FILE" "$DESK" "$@" || CODE=$?
  : >"$ERR_FILE"
  OUT=$(<"$OUT_FILE")
  ERR=
}

# set_keys FILE KEY=PYTHON-VALUE...: sets top-level keys of a ticket file (strings or lists of
# strings, written as TOML basic strings), keeping everything else.
set_keys() {
  py 'import re
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
head, sep, rest = text.partition("\n[")
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    v = eval(v)
    line = k + " = " + (json.dumps(v) if isinstance(v, str) else "[" + ", ".join(json.dumps(x) for x in v) + "]")
    head, n = re.subn("(?m)^" + k + " = .*$", lambda m: line, head)
    if not n:
        head = head.rstrip("\n") + "\n" + line + "\n"
open(path, "w", encoding="utf-8").write(head + sep + rest)' "$@"
}

# run_everywhere CODES ARGS...: runs desk on pipes and then on a terminal; each exits with one of
# CODES. Output with hostile bytes is listed in LEAKS (all paths are tried, then the case fails).
LEAKS=()
run_everywhere() {
  local codes=$1 what
  shift
  what=$(printf 'desk %s' "$*" | LC_ALL=C tr -c '[:print:]' '?')  # the test's own report stays plain
  run_desk "$@"
  [[ " $codes " == *" $CODE "* ]] || fail "exit $CODE, expected one of: $codes"
  (clean_output "$OUT_FILE" "$what (stdout)" "$([[ " $* " == *" --csv "* ]] && echo cr)") 2>/dev/null || LEAKS+=("$what (stdout)")
  (clean_output "$ERR_FILE" "$what (stderr)") 2>/dev/null || LEAKS+=("$what (stderr)")
  on_pty "$@"
  [[ " $codes " == *" $CODE "* ]] || fail "on a terminal: exit $CODE, expected one of: $codes"
  (clean_output "$OUT_FILE" "$what (on a terminal)" cr) 2>/dev/null || LEAKS+=("$what (on a terminal)")
}

case_hostile_content_never_reaches_the_terminal() {
  fresh_desk
  local H=$HOSTILE P=$HOSTILE_ESC id other by kind later=2026-12-30T09:00:00Z
  [[ $H == *$'\e]52;'* && $H == *$'\xe2\x80\xae'* && $H == *$'\xc2\x9b'* ]] || fail "the hostile text was not built"
  # A ticket worked through desk, then hand-edited with hostile fields, as a push would bring it.
  new_ticket "Hostile ticket" -m "description $H" --tag vpn
  id=$ID
  desk_ok comment "$id" -m "comment $H"
  desk_ok comment "$id" --internal -m "note $H"
  desk_ok escalate "$id" -m "hand-off $H"
  set_keys "$(ticket_path "$id")" "title='title $P'" "requester='req $P <r@example.com>'" "assignee='asg $P'" \
    "category='cat $P'" "tags=['tag $P', 'vpn']" "vendor='ven $P'" "vendor_case='case $P'" "x_custom='unk $P'"
  git commit -qam "hand edit $H" -m "body $H"
  # A second ticket with hostile classification fields (show, list and fsck print them).
  new_ticket "Second"
  other=$ID
  set_keys "$(ticket_path "$other")" "tier='L1 $P'" "priority='P3 $P'" "type='t $P'" "impact='i $P'" "urgency='u $P'" \
    "kb=['kb $P']" "duplicate_of='dup $P'"
  # A knowledge-base article and a template with hostile text.
  mkdir -p kb
  py 'p = sys.argv[3]
open("kb/vpn-article.md", "w", encoding="utf-8").write(
    "+++\ntitle = \"vpn article %s\"\ntags = [\"tag %s\"]\ntiers = []\ntickets = [\"%s\", \"id %s\"]\n"
    "status = \"published\"\nauthor = \"au %s\"\n+++\n\nvpn body %s\n" % (p, p, sys.argv[1], p, p, sys.argv[2]))
open(".desk/templates/evil.toml", "w", encoding="utf-8").write("title = \"tmpl %s\"\ntype = \"incident\"\n" % p)
open(".desk/macros/evil.toml", "w", encoding="utf-8").write(
    "title = \"macro %s\"\ndescription = \"desc %s\"\nreply = \"reply %s on {title}\"\ntags = [\"evil\"]\n" % (p, p, p))' \
    "$id" "$H" "$P"
  git add kb .desk && git commit -qm "kb $H"

  run_everywhere 0 list --all
  cp "$OUT_FILE" "$TMP/list.pty"
  run_everywhere 0 list --all --json
  run_everywhere 0 list --all --sort title -n 5
  run_everywhere 0 show "$id"
  cp "$OUT_FILE" "$TMP/show.pty"
  run_everywhere 0 show "$id" --suggest
  run_everywhere 0 show "$id" --json --suggest
  run_everywhere 0 show "$other"
  run_everywhere 0 log
  run_everywhere 0 log "$id"
  run_everywhere 0 log --json
  run_everywhere 0 templates
  run_everywhere 0 templates --json
  run_everywhere 0 macros
  run_everywhere 0 macros --json
  run_everywhere 0 apply evil "$id" --dry-run
  run_everywhere 0 apply evil "$id" --dry-run --json
  run_everywhere 0 kb list
  run_everywhere 0 kb list --json
  run_everywhere 0 kb show vpn-article
  run_everywhere 0 kb show vpn-article --json
  run_everywhere 0 kb search vpn
  run_everywhere 0 kb search vpn --json
  run_everywhere 0 search evil
  run_everywhere 0 search comment --json
  run_everywhere 0 stats --since 2026-01-01
  for by in tier priority assignee type; do run_everywhere 0 stats --since 2026-01-01 --by "$by"; done
  run_everywhere 0 stats --since 2026-01-01 --json
  run_everywhere 0 report --html - --since 2026-01-01 --title "report $H"
  DESK_NOW=$later run_everywhere "0 4" sweep --dry-run
  DESK_NOW=$later run_everywhere "0 4" sweep --dry-run --json
  run_everywhere 5 fsck
  run_everywhere 5 fsck --json
  run_everywhere 0 export --json
  run_everywhere 0 export --csv
  for kind in ids tags assignees requesters articles slugs templates macros; do run_everywhere 0 __complete "$kind"; done
  # Messages that echo what was typed or read.
  run_everywhere 3 show "zz$H"
  run_everywhere 2 stats --by "$H"
  run_everywhere "1 2 3" new -t "$H" "From a hostile template"
  run_everywhere 3 apply "$H" "$id"
  run_everywhere "1 2 3" kb show "$H"
  run_everywhere "1 2" list --tier "$H"
  run_everywhere 2 list --due-within "$H"
  run_everywhere 0 new "vpn evil ticket" --suggest -m "x"
  run_everywhere 0 comment "$id" -m "the status line names the title"
  py 'open(sys.argv[1], "w", encoding="utf-8").write("title,priority\nok,\"P9 %s\"\n" % sys.argv[2])' "$TMP/hostile.csv" "$H"
  run_desk import "$TMP/hostile.csv"
  expect_code 1
  (clean_output "$ERR_FILE" "desk import (stderr)") 2>/dev/null || LEAKS+=("desk import (stderr)")
  local n=${#LEAKS[@]}
  ((n == 0)) || fail "$n outputs let hostile bytes through: $(printf '\n    %s' "${LEAKS[@]}")"
  # What the terminal got: the text, its controls visible, and the terminal's own parts (suggestions).
  OUT=$(<"$TMP/show.pty")
  expect_out_contains "title BLINK <U+009B>2J <U+202E>evil<U+202C>"
  expect_out_contains "bell^G del^? cr^MX"
  expect_out_contains "Suggestions"
  OUT=$(<"$TMP/list.pty")
  expect_out_contains "BLINK <U+009B>2J <U+202E>evil"
}

case_csv_export_is_spreadsheet_safe_and_reads_back() {
  fresh_desk
  local t
  for t in '=HYPERLINK("http://evil.example","x")' "+1+2" "-2+3" "@SUM(A1)" "'quoted already" "plain = fine"; do
    new_ticket "$t" -m "=1+1"
  done
  new_ticket "Tabbed" -m $'\tstarts with a tab'
  new_ticket "Escapes" -m "$(printf '\e]52;c;cHduZWQ=\a\e[31mred\e[0m \xe2\x80\xaeevil')"
  desk_ok export --csv
  clean_output "$OUT_FILE" "export --csv" cr
  cp "$OUT_FILE" "$TMP/export.csv"
  py 'import csv
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
for cell in [c for r in rows for c in r.values()]:
    assert not cell or cell[0] not in "=+-@\t\r", "a cell a spreadsheet takes for a formula: " + repr(cell)
titles = {r["title"] for r in rows}
for want in ["\x27=HYPERLINK(\"http://evil.example\",\"x\")", "\x27+1+2", "\x27-2+3", "\x27@SUM(A1)", "\x27\x27quoted already", "plain = fine"]:
    assert want in titles, (want, titles)
descs = {r["title"]: r["description"] for r in rows}
assert descs["Escapes"] == "red <U+202E>evil", repr(descs["Escapes"])
raw = open(sys.argv[1], "rb").read().decode()
assert "\"\x27=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"" in raw, "a guarded cell is not quoted"
assert ",\"\x27+1+2\"," in raw, "a guarded cell is not quoted"' "$TMP/export.csv"
  # desk's own export reads back as it was: the guard comes off, and only the one desk put there.
  new_desk "$TMP/copy"
  desk_ok import "$TMP/export.csv"
  desk_ok export --json
  py 'd = json.load(open(sys.argv[1]))
titles = sorted(t["title"] for t in d["tickets"])
want = sorted(["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\x27quoted already", "plain = fine", "Tabbed", "Escapes",
               "Ordinary ticket", "Target of hostile comments"])
assert titles == want, titles
descs = {t["title"]: t.get("description", "") for t in d["tickets"]}
assert descs["+1+2"] == "=1+1", descs' "$OUT_FILE"
  # A CSV from elsewhere keeps its leading quotes: only desk's own header row marks the guard.
  new_desk "$TMP/other"
  printf '%s\n' "title,description" "'Quoted title,'kept" >"$TMP/other.csv"
  desk_ok import "$TMP/other.csv"
  desk_ok list --json
  py 't = json.load(open(sys.argv[1]))["tickets"][0]
assert t["title"] == "\x27Quoted title" and t["description"] == "\x27kept", t' "$OUT_FILE"
}

run_all_cases
finish
