#!/usr/bin/env bash
# The derived index (.git/desk-index.sqlite) changes no answer: on a generated desk every
# whole-desk read prints byte for byte what it prints from the files (DESK_INDEX=off), with the
# index fresh, warm, deleted, corrupted, of another version, and after changes made behind
# desk's back (a plain `git commit`, a `git pull`); concurrent readers never see a stale answer.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# 1200 tickets spread over many shards; the sanitized stage (scripts/sanitize.sh) asks for fewer
# with DESK_E2E_TICKETS, since there every desk run is several times slower and the point is memory
# errors, not scale.
GEN=$TMP/gen
python3 "$DESK_SOURCE_DIR/bench/bench.py" --desk "$DESK" --sizes "${DESK_E2E_TICKETS:-1200}" \
  --generate "$GEN" >/dev/null

# A copy of the generated desk with the awkward files every reader must survive: unknown keys
# (kept as TOML in the index), a file that does not parse, a file naming another id, an article.
setup() {
  rm -rf "$TMP/desk"
  git clone -q "$GEN" "$TMP/desk"
  cd "$TMP/desk"
  git config merge.desk.driver true
  local first broken
  first=$(git ls-files tickets | sed -n 1p)
  printf 'x_custom = "kept"\n' >>"$first"
  broken=tickets/zz/zzzzzzzzzz.toml
  mkdir -p tickets/zz
  printf 'format = 1\nid = "zzzzzzzzzz"\ntitle = "broken\nstatus = "open"\n' >"$broken"
  mkdir -p tickets/yy
  sed 's/^id = ".*"/id = "yyyyyyyyy0"/' "$(git ls-files tickets | sed -n 5p)" >tickets/yy/yyyyyyyyy1.toml
  mkdir -p kb
  printf '+++\ntitle = "Reset a forgotten password"\ntags = ["password"]\n+++\nUse the self-service portal to reset the password.\n' >kb/reset-a-forgotten-password.md
  git add -A && git commit -q -m "awkward files"
  ID=$(git ls-files tickets | sed -n 10p | sed 's|.*/||; s|\.toml||')
  # A child names $ID as its parent: show finds it from the index, or by reading the files.
  local child
  child=$(git ls-files tickets | sed -n 11p | sed 's|.*/||; s|\.toml||')
  "$DESK" link "$child" --parent "$ID" >/dev/null
}

# Every read whose answer must not depend on the index, one per line.
READS=(
  "list"
  "list --all"
  "list --all --json"
  "list -s closed --sort -updated"
  "list --tier L2,L3"
  "list -p P1 -a none"
  "list --tag vpn --tag printer"
  "list --text printer --all"
  "list --breached --sort due"
  "list --at-risk -n 7"
  "list --requester User~7~<user7@example.com>"
  "export --json"
  "export --csv --status open,pending"
  "stats"
  "stats --json --by tier"
  "stats --by assignee"
  "stats --json --since 2026-10-01 --by week"
  "stats --json --since 120d --until 20d"
  "report --html - --since 2026-06"
  "report --html -"
  "sweep --dry-run --json"
  "__complete ids"
  "__complete ids 1"
  "__complete assignees"
  "__complete requesters"
  "__complete tags"
  "kb show reset-a-forgotten-password --json"
  "search password reset"
  "search --json vpn drops"
  "show @ID --json --no-suggest"
)

# sql STATEMENT: runs one statement on the index (Python's sqlite3: no extra package needed).
sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(".git/desk-index.sqlite"); c.execute(sys.argv[1]); c.commit()' "$1"; }

# compare LABEL: every read prints the same with and without the index. The answers without it
# are kept per state of the files (HEAD and the work tree), so several damages to the index of one
# desk read the files once.
compare() {
  local label=$1 r args without with state cache i=0
  state=$( (git rev-parse HEAD; git status --porcelain -uall) | sha1sum | cut -c1-16)
  cache=$TMP/without-$state
  mkdir -p "$cache"
  for r in "${READS[@]}"; do
    i=$((i + 1))
    read -r -a args <<<"$r"
    args=("${args[@]//\~/ }")
    args=("${args[@]//@ID/$ID}")
    if [[ -f $cache/$i ]]; then
      without=$(cat "$cache/$i")
    else
      without=$(DESK_INDEX=off "$DESK" "${args[@]}" 2>&1 && echo "exit 0" || echo "exit $?")
      printf '%s' "$without" >"$cache/$i"
    fi
    with=$("$DESK" "${args[@]}" 2>&1 && echo "exit 0" || echo "exit $?")
    [[ $without == *"exit 2" ]] && fail "$label: 'desk $r' is a usage error: $without"
    if [[ $with != "$without" ]]; then
      diff <(printf '%s\n' "$without") <(printf '%s\n' "$with") | head -20 >&2
      fail "$label: 'desk $r' differs with the index"
    fi
  done
}

case_same_answers_fresh_and_warm() {
  setup
  [[ ! -e .git/desk-index.sqlite ]] || fail "a clone must not come with an index"
  compare "fresh"
  [[ -s .git/desk-index.sqlite ]] || fail "no index was built"
  compare "warm"
  DESK_INDEX=off desk_ok show "$ID" --json --no-suggest
  py 'd = json.load(open(sys.argv[1])); assert len(d["relations"]["children"]) == 1, d["relations"]' "$OUT_FILE"
}

case_same_answers_after_deleting_and_corrupting_the_index() {
  setup
  desk_ok list
  rm -f .git/desk-index.sqlite*
  compare "deleted"
  head -c 8192 /dev/urandom >.git/desk-index.sqlite
  rm -f .git/desk-index.sqlite-wal .git/desk-index.sqlite-shm
  compare "corrupted"
  desk_ok list
  sql "UPDATE meta SET value = '0.0' WHERE key = 'version'"
  compare "old version"
  # ... and the index of another version is rebuilt, not given up for the files on every run.
  local version
  version=$(python3 -c 'import sqlite3; print(sqlite3.connect(".git/desk-index.sqlite").execute("SELECT value FROM meta WHERE key = '"'"'version'"'"'").fetchone()[0])')
  [[ $version != 0.0 ]] || fail "an index of another version was not rebuilt"
  # A damaged record inside a healthy database: the answer comes from the files.
  sql "UPDATE ticket_data SET data = x'00' WHERE n = (SELECT n FROM tickets WHERE id = '$ID')"
  compare "damaged record"
}

case_changes_behind_desks_back_are_seen() {
  setup
  desk_ok list --all
  local f
  f=$(ticket_path "$ID")
  sed -i 's/^title = .*/title = "Changed by hand behind desk"/' "$f"
  git commit -q -am "by hand"
  desk_ok list --all
  expect_out_contains "Changed by hand behind desk"
  git rm -q "$f" && git commit -q -m "removed by hand"
  desk_ok list --all --json
  expect_out_lacks "\"id\": \"$ID\""
  compare "after plain git commits"
  # A pull that brings other clones' changes.
  git clone -q "$TMP/desk" "$TMP/other"
  (cd "$TMP/other" && DESK_INDEX=off "$DESK" new "Filed in the other clone" -q -m x >/dev/null)
  git pull -q "$TMP/other" main
  desk_ok list
  expect_out_contains "Filed in the other clone"
  compare "after a pull"
}

case_a_read_only_git_dir_still_answers() {
  setup
  rm -f .git/desk-index.sqlite*
  chmod a-w .git
  if touch .git/probe 2>/dev/null; then
    rm -f .git/probe
    chmod u+w .git
    return  # running as root: permissions do not bind, nothing to test
  fi
  compare "read-only .git"
  chmod u+w .git
}

case_concurrent_writers_and_readers_agree() {
  setup
  local i pids=()
  for i in 1 2 3; do
    (for k in $(seq 1 8); do "$DESK" new "Concurrent $i-$k" -q -m x >/dev/null; done) &
    pids+=($!)
  done
  for i in 1 2 3 4 5 6; do "$DESK" list --all --json >/dev/null 2>&1; done
  wait "${pids[@]}"
  desk_ok list --json
  local n
  n=$(grep -c '"title": "Concurrent ' <<<"$OUT" || true)
  [[ $n == 24 ]] || fail "expected 24 concurrent tickets in the list, got $n"
  compare "after concurrent writers"
}

run_all_cases
finish
