# Sourced by every tests/e2e/t_*.sh. Runs the built desk binary ($DESK) in throwaway git
# repositories, with the developer's git configuration, clock and terminal kept out.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   new_desk                       # a fresh desk in $TMP/desk, and cd into it
#   run_desk show 7kq2             # sets OUT, ERR, CODE (and OUT_FILE, ERR_FILE)
#   expect_code 3; expect_err_contains "no ticket matches"
#   run_case name_of_function      # an independent case: a failure is counted, the script goes on
#   finish                         # the closing line; exit 1 when anything failed
set -Eeuo pipefail

: "${DESK:?set DESK to the desk binary, e.g. DESK=/tmp/build/desk bash $0}"
case $DESK in /*) ;; *) DESK=$PWD/$DESK ;; esac
[[ -x $DESK ]] || { echo "desk binary '$DESK' is not executable" >&2; exit 1; }
PY=$(python3 -c 'import sys, tomllib; print(sys.executable)') || { echo "python3 >= 3.11 (tomllib) is required" >&2; exit 1; }

E2E_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[1]:-$0}")" && pwd)/$(basename "${BASH_SOURCE[1]:-$0}")
E2E_NAME=$(basename "$E2E_SCRIPT" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-e2e.XXXXXX")
FINISHED=
on_exit() {
  local rc=$?
  rm -rf "$TMP"
  if [[ -z $FINISHED ]]; then
    # A script that never reached `finish` has not shown that its cases passed.
    echo "$E2E_NAME: FAILED (stopped early, exit $rc)" >&2
    exit $((rc ? rc : 1))
  fi
}
trap on_exit EXIT
on_err() { echo "$E2E_NAME: unexpected failure (exit $1) at line $2: $3" >&2; }
trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR
exec </dev/null  # stdin is never a terminal: desk must not wait for an editor or for input

# Nothing of the developer's environment reaches git or desk.
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_CONFIG GIT_CONFIG_GLOBAL \
  GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_CEILING_DIRECTORIES EMAIL \
  EDITOR VISUAL DESK_EDITOR GIT_EDITOR PAGER DESK_PAGER GIT_PAGER LESS COLUMNS
git config --global init.defaultBranch main
export GIT_AUTHOR_NAME="Ada Agent" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Agent" GIT_COMMITTER_EMAIL=ada@example.com
export DESK_NOW=2026-11-23T09:00:00Z NO_COLOR=1 TZ=UTC LC_ALL=C.UTF-8 TERM=dumb
DESK_NOW_EPOCH=$("$PY" -c 'import datetime, sys; print(int(datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).timestamp()))' "$DESK_NOW")

FAILURES=0
LAST_CMD=
OUT= ERR= CODE=0
OUT_FILE=$TMP/stdout ERR_FILE=$TMP/stderr

# fail MESSAGE: reports what went wrong with the last desk command, and exits (the case).
fail() {
  {
    local i where=
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
      [[ ${BASH_SOURCE[i]} == */lib.sh ]] || where+="${where:+ < }${BASH_SOURCE[i]##*/}:${BASH_LINENO[i - 1]}"
    done
    echo "FAIL: $*"
    echo "  at $where"
    if [[ -n $LAST_CMD ]]; then
      echo "  last command: $LAST_CMD  [exit $CODE]"
      echo "  stdout: $(head -c 2000 <<<"$OUT" | sed '2,$s/^/          /')"
      echo "  stderr: $(head -c 2000 <<<"$ERR" | sed '2,$s/^/          /')"
    fi
  } >&2
  exit 1
}

# run_desk ARGS...: runs desk, capturing stdout, stderr and the exit code; never fails itself.
# Redirect the call's stdin to feed it (run_desk comment X -F - <file).
run_desk() {
  LAST_CMD="desk $(printf '%q ' "$@")"
  CODE=0
  "$DESK" "$@" >"$OUT_FILE" 2>"$ERR_FILE" || CODE=$?
  OUT=$(<"$OUT_FILE")
  ERR=$(<"$ERR_FILE")
}

expect_code() { [[ $CODE == "$1" ]] || fail "expected exit code $1, got $CODE"; }
expect_out_contains() { [[ $OUT == *"$1"* ]] || fail "stdout lacks '$1'"; }
expect_out_lacks() { [[ $OUT != *"$1"* ]] || fail "stdout has '$1'"; }
expect_err_contains() { [[ $ERR == *"$1"* ]] || fail "stderr lacks '$1'"; }
expect_err_lacks() { [[ $ERR != *"$1"* ]] || fail "stderr has '$1'"; }

# desk_ok ARGS...: runs desk and expects success.
desk_ok() { run_desk "$@"; expect_code 0; }

# expect_error CODE TEXT...: the last command failed with CODE, said each TEXT on stderr,
# and printed nothing on stdout.
expect_error() {
  expect_code "$1"
  shift
  local t
  for t in "$@"; do expect_err_contains "$t"; done
  [[ -z $OUT ]] || fail "an error printed on stdout"
}

# py CODE ARGS...: python3 with json, sys, tomllib imported; a failing assert fails the test.
py() {
  local out
  out=$("$PY" -c "import json, sys, tomllib
$1" "${@:2}" 2>&1) || fail "python check failed: $out"
  [[ -z $out ]] || printf '%s\n' "$out"
}

ticket_path() { printf 'tickets/%s/%s.toml' "${1:0:2}" "$1"; }

# new_desk [DIR]: creates a desk (default $TMP/desk) and changes into it.
new_desk() {
  local dir=${1:-$TMP/desk}
  run_desk init "$dir"
  expect_code 0
  cd "$dir"
}

# new_ticket TITLE [ARGS...]: files a ticket and sets ID to its id.
new_ticket() {
  desk_ok new "$@"
  ID=$OUT
}

assert_clean() {
  local st
  st=$(git status --porcelain)
  [[ -z $st ]] || fail "the working tree is not clean: $st"
}

# snapshot, then later assert_unchanged: HEAD and `git status --porcelain` are as they were.
snapshot() {
  SNAP_HEAD=$(git rev-parse HEAD)
  SNAP_STATUS=$(git status --porcelain)
}
assert_unchanged() {
  local head st
  head=$(git rev-parse HEAD)
  st=$(git status --porcelain)
  [[ $head == "$SNAP_HEAD" ]] || fail "HEAD moved: $(git log --format='%h %s' "$SNAP_HEAD..HEAD")"
  [[ $st == "$SNAP_STATUS" ]] || fail "git status changed from '$SNAP_STATUS' to '$st'"
}

# assert_desk_commit ID ACTION: since the last snapshot exactly one commit landed, touching only
# ID's file, with the Desk-Ticket/Desk-Action trailers, the pinned identity and DESK_NOW, and the
# working tree is clean.
assert_desk_commit() {
  local id=$1 action=$2 n files v
  n=$(git rev-list --count "$SNAP_HEAD..HEAD")
  [[ $n == 1 ]] || fail "expected exactly one new commit, got $n"
  [[ $(git rev-parse HEAD^) == "$SNAP_HEAD" ]] || fail "the new commit's parent is not the previous HEAD"
  files=$(git show --name-only --format= HEAD)
  [[ $files == "$(ticket_path "$id")" ]] || fail "the commit touches '$files', not only $(ticket_path "$id")"
  v=$(git log -1 --format='%(trailers:key=Desk-Ticket,valueonly)')
  [[ $v == "$id" ]] || fail "Desk-Ticket trailer is '$v', expected $id"
  v=$(git log -1 --format='%(trailers:key=Desk-Action,valueonly)')
  [[ $v == "$action" ]] || fail "Desk-Action trailer is '$v', expected $action"
  v=$(git log -1 --format='%an <%ae>|%cn <%ce>')
  [[ $v == "$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>|$GIT_COMMITTER_NAME <$GIT_COMMITTER_EMAIL>" ]] ||
    fail "author|committer is '$v'"
  v=$(git log -1 --format='%at %ct')
  [[ $v == "$DESK_NOW_EPOCH $DESK_NOW_EPOCH" ]] || fail "author/commit dates are '$v', expected $DESK_NOW_EPOCH (DESK_NOW)"
  assert_clean
}

# run_case FUNCTION: runs one independent case in a subshell; a failure is counted and reported,
# and the script goes on with the next case.
run_case() {
  local rc=0
  # Not `( ... ) || rc=$?`: bash ignores set -e inside a command whose status is tested.
  trap - ERR
  set +e
  (
    set -e
    trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR
    "$1"
  )
  rc=$?
  set -e
  trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR
  if ((rc == 0)); then
    echo "ok   $1"
  else
    echo "FAIL $1" >&2
    FAILURES=$((FAILURES + 1))
  fi
}

# run_all_cases: run_case for every case_* function of the script, in the order they are written.
run_all_cases() {
  local c cases
  cases=$(grep -oE '^case_[A-Za-z0-9_]+' "$E2E_SCRIPT")
  [[ -n $cases ]] || fail "no case_* functions in $E2E_SCRIPT"
  for c in $cases; do run_case "$c"; done
}

# finish: the closing line of every script.
finish() {
  FINISHED=1
  if ((FAILURES)); then
    echo "$E2E_NAME: FAILED ($FAILURES case(s))" >&2
    exit 1
  fi
  echo "$E2E_NAME: all passed"
}
