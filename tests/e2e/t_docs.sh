#!/usr/bin/env bash
# Fails when the command line and its documentation drift. For every command `desk --help` lists:
# man/desk-CMD.1 exists, its NAME line names the command, and every option `desk CMD --help`
# lists (long and short) appears in its OPTIONS section; desk.1 names every command's page and every global
# option; the README names every command. desk-config.5 names every key of the config,
# templates and macros `desk init` writes; desk-ticket.5 names every key of the ticket files a scripted
# lifecycle produces and of `desk show --json` / `desk list --json`. Every page present
# (hidden commands' pages are optional, but linted when there) passes groff and mandoc cleanly.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${DESK_SOURCE_DIR:?set DESK_SOURCE_DIR to the source tree}"
MAN=$DESK_SOURCE_DIR/man
README=$DESK_SOURCE_DIR/README.md

# The text of a page as a reader sees it: hyphens unescaped, quotes and fonts resolved.
page_text() {
  sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' -e 's/\\(aq/'"'"'/g' -e 's/\\e/\\/g' -e 's/\\f[BIRP]//g' -e 's/\\c$//' "$1"
}

# mentions FILE WORD...: prints each WORD that does not occur in FILE as a whole word (not as
# part of a longer option or key: --to is not found in --total).
mentions() {
  "$PY" - "$@" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for word in sys.argv[2:]:
    if not re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text):
        print(word)
EOF
}

# The visible commands, as `desk --help` lists them (hidden ones are not listed).
commands() {
  "$DESK" --help | awk '/^Subcommands:/{f=1;next} f&&NF&&/^  [a-z]/{print $1} f&&!NF{f=0}'
}

# options ARGS...: every option name `desk ARGS --help` lists in its options column, short and
# long, except --help and --help-all.
options() {
  "$DESK" "$@" --help | "$PY" -c '
import re, sys
names = set()
for line in sys.stdin:
    m = re.match(r"^\s+(-[^\s]+)", line)
    if not m:
        continue
    for name in m.group(1).split(","):
        name = name.split("=")[0]
        if re.fullmatch(r"-[A-Za-z]|--[a-z][a-z0-9-]*", name):
            names.add(name)
names -= {"-h", "--help", "--help-all"}
print("\n".join(sorted(names)))
'
}

case_help_lists_commands_and_options() {
  local n
  n=$(commands | wc -l)
  ((n >= 20)) || fail "only $n commands found in desk --help; has its format changed?"
  [[ $(options escalate) == *--vendor* ]] || fail "no options found in desk escalate --help; has its format changed?"
  [[ $(options escalate) == *-m* ]] || fail "no short options found in desk escalate --help"
}

case_every_command_has_its_page_with_every_option() {
  local c page text missing bad=0
  for c in $(commands); do
    page=$MAN/desk-$c.1
    [[ -f $page ]] || { echo "man/desk-$c.1 is missing" >&2; bad=1; continue; }
    page_text "$page" >"$TMP/page"
    grep -qE "^desk-$c - [a-z]" "$TMP/page" ||
      { echo "man/desk-$c.1: the NAME line does not read 'desk\\-$c \\- what it does'" >&2; bad=1; }
    grep -qE "^\.TH DESK-${c^^} 1 " "$page" || { echo "man/desk-$c.1: .TH is not 'DESK-${c^^} 1 ...'" >&2; bad=1; }
    # Each option in the OPTIONS section itself, not only in an example.
    sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$page" >"$TMP/options.roff"
    page_text "$TMP/options.roff" >"$TMP/options"
    # shellcheck disable=SC2046
    missing=$(mentions "$TMP/options" $(options "$c"))
    [[ -z $missing ]] || { echo "man/desk-$c.1 OPTIONS does not document: $(echo $missing)" >&2; bad=1; }
  done
  ((bad == 0)) || fail "command pages drifted from the command line"
}

case_overview_page_names_every_command_and_global_option() {
  local c missing bad=0
  page_text "$MAN/desk.1" >"$TMP/page"
  for c in $(commands); do
    grep -qE "desk-$c(\(1\)| \(1\)|\b)" "$TMP/page" || { echo "man/desk.1 does not point to desk-$c(1)" >&2; bad=1; }
    # In SEE ALSO too.
    sed -n '/^\.SH SEE ALSO/,$p' "$TMP/page" | grep -q "desk-$c " ||
      { echo "man/desk.1 SEE ALSO lacks desk-$c(1)" >&2; bad=1; }
  done
  # shellcheck disable=SC2046
  missing=$(mentions "$TMP/page" $(options))
  [[ -z $missing ]] || { echo "man/desk.1 does not document the global options: $(echo $missing)" >&2; bad=1; }
  missing=$(mentions "$TMP/page" DESK_NOW EDITOR VISUAL DESK_EDITOR PAGER DESK_PAGER NO_COLOR \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL)
  [[ -z $missing ]] || { echo "man/desk.1 ENVIRONMENT lacks: $(echo $missing)" >&2; bad=1; }
  for code in 0 1 2 3 4 5; do
    sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN/desk.1" | grep -qx "\.B $code" ||
      { echo "man/desk.1 EXIT STATUS lacks $code" >&2; bad=1; }
  done
  ((bad == 0)) || fail "desk.1 drifted from the command line"
}

case_readme_names_every_command() {
  local c bad=0
  for c in $(commands); do
    grep -q "desk $c" "$README" || { echo "README.md does not show 'desk $c'" >&2; bad=1; }
  done
  ((bad == 0)) || fail "README.md drifted from the command line"
}

# Every key name of the config, the templates and the macros `desk init` writes, at any depth.
case_config_page_names_every_config_key() {
  local keys missing
  cd "$TMP" && new_desk "$TMP/config-desk"
  keys=$("$PY" - .desk/config.toml .desk/templates/*.toml .desk/macros/*.toml <<'EOF'
import sys, tomllib
keys = set()
def walk(value, under_named):
    if isinstance(value, dict):
        for k, v in value.items():
            # [matrix.IMPACT] and [calendars.NAME] are names the desk chooses, not keys.
            if not under_named:
                keys.add(k)
            walk(v, k in ("matrix", "calendars") and not under_named)
    elif isinstance(value, list):
        for v in value:
            walk(v, False)
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        walk(tomllib.load(f), False)
print("\n".join(sorted(keys)))
EOF
)
  [[ $keys == *time_limit* && $keys == *checklist* && $keys == *warn_at* && $keys == *mon* && $keys == *reply* ]] ||
    fail "the key list looks wrong: $keys"
  page_text "$MAN/desk-config.5" >"$TMP/page"
  # shellcheck disable=SC2086
  missing=$(mentions "$TMP/page" $keys)
  [[ -z $missing ]] || fail "man/desk-config.5 does not document the keys: $(echo $missing)"
}

# Every key of the ticket files a whole lifecycle writes, and of the JSON that show and list print.
case_ticket_page_names_every_ticket_and_json_key() {
  local a b missing keys
  cd "$TMP" && new_desk "$TMP/ticket-desk"
  new_ticket "VPN drops every hour" --template software-bug -m "Since Monday" --impact low --urgency low
  a=$ID
  desk_ok triage "$a" --impact high --urgency medium --tag vpn --category network
  desk_ok assign "$a" bo
  desk_ok comment "$a" -m "Could you send the log?"
  desk_ok comment "$a" --internal -m "Looks like the rekey"
  desk_ok check "$a" 1
  desk_ok escalate "$a" -m "Needs network diagnostics"
  desk_ok escalate "$a" --to L4 --vendor acme-networks --case ACME-4411 -m "Firmware defect"
  desk_ok wait "$a" --on vendor -m "Waiting for firmware"
  desk_ok resume "$a" -m "Firmware arrived"
  desk_ok deescalate "$a" --to L1 -m "Firmware 4.2 fixes it"
  desk_ok resolve "$a" -m "Firmware 4.2 installed"
  desk_ok close "$a" --csat 5 -m "Confirmed"
  desk_ok reopen "$a" -m "Dropped again"
  new_ticket "Printer jams" --assign carol
  b=$ID
  desk_ok wait "$b" --on customer
  DESK_NOW=2026-12-07T09:00:00Z desk_ok sweep
  grep -q 'action = "breach"' "$(ticket_path "$b")" "$(ticket_path "$a")" || fail "the sweep recorded no breach"
  desk_ok show "$a" --json
  echo "$OUT" >"$TMP/show.json"
  desk_ok list --all --json
  echo "$OUT" >"$TMP/list.json"
  keys=$("$PY" - "$(ticket_path "$a")" "$(ticket_path "$b")" "$TMP/show.json" "$TMP/list.json" <<'EOF'
import json, sys, tomllib
keys = set()
def walk(value):
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            walk(v)
    elif isinstance(value, list):
        for v in value:
            walk(v)
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        walk(tomllib.load(f) if path.endswith(".toml") else json.load(f))
print("\n".join(sorted(keys)))
EOF
)
  [[ $keys == *case* && $keys == *internal* && $keys == *clocks* && $keys == *due* ]] ||
    fail "the key list looks wrong: $keys"
  page_text "$MAN/desk-ticket.5" >"$TMP/page"
  # shellcheck disable=SC2086
  missing=$(mentions "$TMP/page" $keys desk_format commit action subject ticket)
  [[ -z $missing ]] || fail "man/desk-ticket.5 does not document the keys: $(echo $missing)"
}

# groff and mandoc read every page without a warning. mandoc runs at -Wwarning: below that is
# its STYLE level, advice about the source rather than faults in the page (today only "input
# text line longer than 80 bytes", which the rendered page does not show).
case_every_page_passes_groff_and_mandoc() {
  local page out bad=0 n=0
  command -v groff >/dev/null || fail "groff is not installed (scripts/deps.sh installs it)"
  command -v mandoc >/dev/null || fail "mandoc is not installed (scripts/deps.sh installs it)"
  for page in "$MAN"/*.[1-9]; do
    n=$((n + 1))
    out=$(groff -man -ww -z "$page" 2>&1) || true
    [[ -z $out ]] || { echo "groff -man -ww -z ${page##*/}:" >&2; echo "$out" >&2; bad=1; }
    out=$(mandoc -Tlint -Wwarning "$page" 2>&1) || true
    [[ -z $out ]] || { echo "mandoc -Tlint -Wwarning ${page##*/}:" >&2; echo "$out" >&2; bad=1; }
  done
  ((n >= 27)) || fail "only $n pages in man/"
  ((bad == 0)) || fail "pages with warnings"
}

run_all_cases
finish
