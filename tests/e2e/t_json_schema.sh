#!/usr/bin/env bash
# Every command's --json output, checked against the JSON Schema shipped in schema/ with
# Debian's python3-jsonschema. The commands that take --json are found in desk's own --help, so a
# new one without a case here fails the test; each output names the schema definition it meets.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SYSPY=/usr/bin/python3  # Debian's python: the one with python3-jsonschema
"$SYSPY" -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
SCHEMA=${DESK_SOURCE_DIR:-$(dirname "$E2E_SCRIPT")/../..}/schema/desk.schema.json
OUTS=$TMP/json
mkdir -p "$OUTS"
N=0

# save DEF ARGS...: runs desk ARGS (stdin passes through), expects success (or SAVE_CODE), and keeps stdout to
# be checked against the schema's definition DEF. The command is the first word, with the
# second for kb, team and mail ("kb_new").
save() {
  local def=$1
  shift
  run_desk "$@"
  expect_code "${SAVE_CODE:-0}"
  local cmd=$1
  case $1 in kb | team | mail) [[ ${2:-} =~ ^[a-z]+$ ]] && cmd+="_$2" ;; esac
  N=$((N + 1))
  cp "$OUT_FILE" "$OUTS/$(printf '%03d' $N)__${cmd}__$def.json"
}

# The commands whose help offers --json, as "kb new"-style paths.
json_commands() {
  local c s
  for c in $("$DESK" --help | awk '/^Subcommands:/{f=1; next} f && /^  [a-z]/{print $1} f && /^$/{f=0}'); do
    if "$DESK" "$c" --help | grep -q -- '--json'; then echo "$c"; fi
    for s in $("$DESK" "$c" --help | awk '/^Subcommands:/{f=1; next} f && /^  [a-z]/{print $1} f && /^$/{f=0}'); do
      if "$DESK" "$c" "$s" --help | grep -q -- '--json'; then echo "${c}_$s"; fi
    done
  done
}

case_every_command_prints_json_its_schema_accepts() {
  save init init --json "$TMP/desk"
  cd "$TMP/desk"
  cat >>.desk/config.toml <<'EOF'

[mail]
address = "help@example.com"
name = "Example Help Desk"
EOF
  git commit -qam "mail on"
  git clone -q --bare . "$TMP/remote.git"
  git remote add origin "$TMP/remote.git"
  git fetch -q origin
  git branch -q -u origin/main
  save change new "VPN drops" --requester "Kim Lee <kim@example.com>" -m "It drops hourly." --json
  local a=$OUT
  a=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["ticket"]["id"])' "$OUT_FILE")
  desk_ok new "Printer jams" --template hardware-fault --requester "<ops@example.com>"
  local b=$OUT
  desk_ok new "Laptop fan" --requester "bo@example.com"
  local c=$OUT
  save change triage "$a" --priority P2 --title "VPN drops every hour" --json
  save change assign "$a" bo --json
  save change assign "$b" "$c" bo --json  # several tickets: one commit, a tickets array
  save change comment "$a" -m "Looking into it." --json
  save change comment "$a" -m "Checked the logs." --internal --json
  save change escalate "$a" -m "Needs the network team." --json
  save change deescalate "$a" -m "Fixed the MTU." --json
  save change wait "$a" --on customer -m "Logs, please." --json
  save change resume "$a" --json
  save change check "$b" 1 --json
  save change check "$b" 1 --json  # done already: nothing changes, commit null
  EDITOR=true save change edit "$a" --json  # the editor changes nothing: commit null
  save apply apply ask-for-logs "$c" --json
  save apply apply password-reset-done "$c" --dry-run --json
  save kb_change kb new "VPN MTU" -m "Set the MTU to 1400." --json
  save kb_change kb edit vpn-mtu --title "VPN MTU settings" --json
  save kb_change kb link vpn-mtu "$a" --json
  save change link "$b" kb/vpn-mtu --json
  save change link "$b" --parent "$a" --json
  save kb_show kb show vpn-mtu --json
  save kb_list kb list --json
  save kb_search kb search mtu --json
  save change resolve "$a" -m "MTU set to 1400." --json
  save change close "$a" --json
  save change reopen "$a" -m "It drops again." --json
  save show show "$a" --json
  save show show "$b" --json --suggest
  save list list --json
  save list_fields list --all --json --fields title,assignee,clocks
  save list list --json --status closed  # nothing: an empty array
  save search search printer --json
  save log log --json
  save log log "$a" --json -n 3
  save templates templates --json
  save macros macros --json
  save team_change team add bo --email bo@example.com --tier L1 --json
  save team team list --json
  save team team --json
  save team_change team remove bo --json
  save sweep sweep --dry-run --json
  # Three days on: clocks breached, tickets past their tier's time limit.
  DESK_NOW=2026-11-26T15:00:00Z save sweep sweep --dry-run --json
  DESK_NOW=2026-11-26T15:00:00Z save sweep sweep --json
  save stats stats --json
  save stats stats --json --by assignee
  save fsck fsck --json
  save migrate migrate --json
  save export export --json
  cp "$OUT_FILE" "$TMP/export.json"
  save export_fields export --json --fields title,requester
  save import import "$TMP/export.json" --json  # every ticket there already
  save import import "$TMP/export.json" --json --dry-run
  save sync sync --json
  # A ticket file that does not parse: listed among the problems.
  mkdir -p tickets/zz && printf 'title = "broken\n' >tickets/zz/zzzzzzzzzz.toml
  git add tickets/zz && git commit -qm "a broken ticket"
  save list list --json
  save list_fields list --json --fields title  # the problems keep their keys
  SAVE_CODE=5 save fsck fsck --json
  save mail_receive mail receive --json <"$(dirname "$E2E_SCRIPT")/../mail/corpus/gmail-new.eml"

  [[ -z ${DESK_E2E_KEEP:-} ]] || cp -r "$OUTS/." "$DESK_E2E_KEEP"  # to look at them
  json_commands >"$TMP/commands"
  [[ $(wc -l <"$TMP/commands") -ge 30 ]] || fail "found only $(wc -l <"$TMP/commands") commands with --json in --help"
  cat >"$TMP/check.py" <<'PY'
import json, os, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
covered, problems = set(), []
for name in sorted(os.listdir(sys.argv[2])):
    _, cmd, definition = name[:-len(".json")].split("__")
    covered.add(cmd)
    if definition not in schema["$defs"]:
        problems.append(f"{name}: the schema has no definition '{definition}'")
        continue
    doc = json.load(open(os.path.join(sys.argv[2], name)))
    validator = jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{definition}"})
    for e in sorted(validator.iter_errors(doc), key=str)[:3]:
        problems.append(f"{name}: at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}")
missing = [c for c in open(sys.argv[3]).read().split() if c not in covered]
if missing:
    problems.append("commands with --json this test does not run: " + ", ".join(missing))
if problems:
    sys.exit("\n".join(problems))
print(f"{len(os.listdir(sys.argv[2]))} outputs of {len(covered)} commands meet the schema")
PY
  local out
  out=$("$SYSPY" "$TMP/check.py" "$SCHEMA" "$OUTS" "$TMP/commands" 2>&1) || fail "$out"
  echo "$out"
}

# The schema is strict enough to catch a drift: a ticket with a person written the old way, or a
# duration without its seconds, fails it.
case_the_schema_rejects_the_older_shape() {
  new_desk "$TMP/old-shape"
  new_ticket "VPN drops" --requester "Kim <kim@example.com>"
  run_desk show "$ID" --json --json-format 1
  expect_code 0
  cat >"$TMP/old.py" <<'PY'
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
assert doc["desk_format"] == 1, doc["desk_format"]
errors = list(jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/show"}).iter_errors(doc))
paths = {"/".join(map(str, e.absolute_path)) for e in errors}
assert "desk_format" in paths and "requester" in paths, paths
doc["desk_format"] = 2
doc["requester"] = {"name": "Kim", "email": "kim@example.com"}
doc["assignee"] = None
doc["history"][0]["by"] = {"name": "Ada Agent", "email": "ada@example.com"}
for k in ("first_response", "next_update", "resolution"):
    doc["sla"][k + "_seconds"] = 3600
errors = ["/".join(map(str, e.absolute_path)) + ": " + e.message for e in
          jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/show"}).iter_errors(doc)]
assert not errors, errors
del doc["clocks"][0]["target_seconds"]
assert list(jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/show"}).iter_errors(doc))
PY
  local out
  out=$("$SYSPY" "$TMP/old.py" "$SCHEMA" "$OUT_FILE" 2>&1) || fail "$out"
}

run_case case_every_command_prints_json_its_schema_accepts
run_case case_the_schema_rejects_the_older_shape
finish
