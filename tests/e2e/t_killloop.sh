# SIGKILL at random moments, hundreds of times, across new, comment, escalate, deescalate, sweep,
# sync, import and kb: after each kill the next desk command succeeds, and then HEAD, git's index
# and the working tree agree, no lock, journal or temporary file is left, and `git fsck` and
# `desk fsck` are clean. Every command that exited 0 before a kill is still in the history.
# Prints its figures.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KILLS=${KILLS:-150}
git init -q --bare "$TMP/remote.git"
new_desk
git remote add origin "$TMP/remote.git"
git push -q -u origin main
new_ticket "Kept busy"
X=$ID
desk_ok sync
git clone -q "$TMP/remote.git" "$TMP/other"
cat >"$TMP/import.json" <<'EOF'
[{"title": "Imported one", "description": "from a file"}, {"title": "Imported two", "status": "open"}]
EOF

# One random command, each a change (so the kill can land inside a commit).
command_for() {
  case $(($1 % 9)) in
    0) echo new "Filed $1" ;;
    1 | 2) echo comment "$X" -m "comment-$1" ;;
    3) echo escalate "$X" -m "up-$1" ;;
    4) echo deescalate "$X" --to L1 -m "down-$1" ;;
    5) echo sweep ;;
    6) echo sync ;;
    7) echo import "$TMP/import.json" ;;
    8) echo kb new "Article $1" -m "body $1" ;;
  esac
}

killed=0 finished=0 failed=0 next_failed=0 inconsistent=0 acked=()
for ((i = 1; i <= KILLS; i++)); do
  # Someone else pushes now and then, so syncs have something to merge.
  if ((i % 10 == 0)); then
    (cd "$TMP/other" && git pull -q --no-rebase origin main && "$DESK" -q comment "$X" -m "remote-$i" >/dev/null && git push -q origin main) 2>/dev/null || true
  fi
  read -ra cmd <<<"$(command_for "$i")"
  [[ ${cmd[0]} == new ]] && cmd=(new "Filed $i")
  [[ ${cmd[0]} == kb ]] && cmd=(kb new "Article $i" -m "body $i")
  "$DESK" -q "${cmd[@]}" >"$TMP/cmd.out" 2>"$TMP/cmd.err" &
  pid=$!
  # 2-41 ms, uniformly (a command takes 15-60 ms here): most kills land mid-command.
  sleep "$(printf '0.%03d' $((RANDOM % 40 + 2)))"
  kill -9 "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  case $rc in
    137) killed=$((killed + 1)) ;;
    0) finished=$((finished + 1)); [[ ${cmd[0]} == comment ]] && acked+=("${cmd[3]}") ;;
    *) failed=$((failed + 1)) ;;  # a refusal (e.g. escalate at the top tier): fine, if nothing breaks
  esac
  # The next command must succeed (and finishes whatever the kill interrupted).
  if ! "$DESK" -q comment "$X" -m "after-$i" >/dev/null 2>"$TMP/next.err"; then
    next_failed=$((next_failed + 1))
    echo "after kill $i (${cmd[*]}, exit $rc): $(cat "$TMP/next.err")" >&2
    continue
  fi
  acked+=("after-$i")
  bad=
  [[ -z $(git status --porcelain) ]] || bad+="status: $(git status --porcelain | head -3); "
  [[ ! -e .git/index.lock && ! -e .git/desk-journal ]] || bad+="lock or journal left; "
  [[ -z $(find . -name '*.desk-tmp' -not -path './.git/*') ]] || bad+="temporary files left; "
  if ((i % 5 == 0)); then
    git fsck --strict --no-dangling >/dev/null 2>&1 || bad+="git fsck: $(git fsck --strict --no-dangling 2>&1 | head -3); "
    "$DESK" -q fsck >/dev/null 2>&1 || bad+="desk fsck: $("$DESK" fsck 2>&1 | head -3); "
  fi
  if [[ -n $bad ]]; then
    inconsistent=$((inconsistent + 1))
    echo "after kill $i (${cmd[*]}, exit $rc): $bad" >&2
    git status --porcelain | grep -q . && git checkout -q HEAD -- . 2>/dev/null  # go on from a clean state
  fi
done

# Every acknowledged comment is in HEAD.
lost=$(py '
with open("tickets/%s/%s.toml" % (sys.argv[1][:2], sys.argv[1]), "rb") as f:
    texts = {e.get("text", "") for e in tomllib.load(f)["history"]}
print(sum(1 for t in sys.argv[2:] if t not in texts))
' "$X" "${acked[@]}")
echo "kill loop: $KILLS kills; $killed landed mid-command, $finished commands had finished, $failed refused;" \
  "next command failed $next_failed times; inconsistent states $inconsistent; acknowledged comments lost $lost of ${#acked[@]}"
((next_failed == 0)) || fail "the command after a kill failed $next_failed times"
((inconsistent == 0)) || fail "$inconsistent inconsistent states after kills"
((lost == 0)) || fail "$lost acknowledged comments lost"
((killed > KILLS / 4)) || fail "only $killed kills landed mid-command: the loop does not test much"
git fsck --strict >/dev/null 2>&1 || fail "git fsck --strict at the end"
desk_ok fsck
finish
