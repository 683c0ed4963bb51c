#!/usr/bin/env bash
# Shell completion: the committed scripts are what `desk completion SHELL` generates from the
# command tree (regenerate them when the CLI changes), `desk __complete` prints the desk's values,
# and each real shell (bash with bash-completion, zsh, fish) offers the expected candidates.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${DESK_SOURCE_DIR:?set DESK_SOURCE_DIR to the source tree}"
COMPLETIONS=$DESK_SOURCE_DIR/completions

# The scripts call `desk`: the binary under test comes first in PATH, behind a wrapper that
# logs each call as <arg><arg>... to $DESK_ARGV_LOG when that is set (see expect_asks).
mkdir -p "$TMP/bin"
cat >"$TMP/bin/desk" <<WRAPPER
#!/usr/bin/env bash
if [[ -n \${DESK_ARGV_LOG:-} ]]; then printf '<%s>' "\$@" >>"\$DESK_ARGV_LOG"; echo >>"\$DESK_ARGV_LOG"; fi
exec $(printf %q "$DESK") "\$@"
WRAPPER
chmod +x "$TMP/bin/desk"
export PATH=$TMP/bin:$PATH

# A desk with known tickets: two active ones and a resolved one; sets VPN, PRINTER, OLD.
make_desk() {
  cd "$TMP" && rm -rf "$TMP/desk"
  new_desk
  new_ticket "VPN drops every hour" --tag network --assign bob
  VPN=$ID
  new_ticket "Printer jams" --tag hardware --requester carol
  PRINTER=$ID
  new_ticket "Old request"
  OLD=$ID
  desk_ok resolve "$OLD" -m "done"
  desk_ok kb new "Reset the VPN client" -m "Choose Reset, sign in again."
  desk_ok kb new "Clear a printer jam" -m "Open tray 2."
}

# A prefix of id that no other ticket's id starts with.
unique_prefix() {
  local id=$1 n other ok
  for ((n = 2; n <= ${#id}; n++)); do
    ok=1
    for other in "$VPN" "$PRINTER" "$OLD"; do
      [[ $other != "$id" && $other == "${id:0:n}"* ]] && ok=0
    done
    ((ok)) && { printf '%s' "${id:0:n}"; return; }
  done
  printf '%s' "$id"
}

# expect_candidates WHAT ACTUAL EXPECTED...: ACTUAL (one candidate a line) holds every EXPECTED.
expect_candidates() {
  local what=$1 actual=$2 e
  shift 2
  for e in "$@"; do
    grep -qxF -- "$e" <<<"$actual" || fail "$what: '$e' is not among the candidates: $(tr '\n' ' ' <<<"$actual")"
  done
}
# expect_only WHAT ACTUAL EXPECTED...: ACTUAL is exactly the EXPECTED set.
expect_only() {
  local got want
  got=$(sort -u <<<"$2" | sed '/^$/d')
  want=$(printf '%s\n' "${@:3}" | sort -u)
  [[ $got == "$want" ]] || fail "$1: expected candidates '$(tr '\n' ' ' <<<"$want")', got '$(tr '\n' ' ' <<<"$got")'"
}

# ---- the shells ----

# bash_complete LINE: the candidates bash (with bash-completion) offers for LINE, completing its
# last word (a trailing blank: a new word).
bash_complete() {
  bash --norc --noprofile -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"
    COMP_LINE=$2
    COMP_POINT=${#COMP_LINE}
    read -ra COMP_WORDS <<<"$COMP_LINE"
    [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _desk desk "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}"
    exit 0
  ' bash "$COMPLETIONS/desk.bash" "$1"
}

# fish_complete LINE: the candidates fish offers for LINE (without descriptions).
fish_complete() {
  fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$COMPLETIONS/desk.fish" "$1" | cut -f1
}

# zsh_complete LINE: the candidates zsh's completion system offers for LINE<TAB>: an interactive
# zsh in a pseudo-terminal (zpty) with compinit and _desk from completions/, where compadd is
# wrapped to print each match it adds.
zsh_complete() {
  cat >"$TMP/zsh-setup.zsh" <<EOF
PROMPT= RPROMPT=
fpath=("$COMPLETIONS" \$fpath)
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
  # Calls that only compute matches (-O, -A, -D) are zsh's own bookkeeping.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a hits
  builtin compadd -A hits "\$@"
  local h
  for h in \$hits; do print -r -- "<<\$h>>"; done
  builtin compadd "\$@"
}
_desk_test_done() { print -r -- '<<END>>'; exit }
comppostfuncs=(_desk_test_done)
print READY
EOF
  cat >"$TMP/zsh-drive.zsh" <<'EOF'
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "source ${(q)1}"
local out
while zpty -r z out; do [[ $out == READY* ]] && break; done
zpty -w -n z "$2"$'\t'
while zpty -r z out; do
  print -rn -- "$out"
  [[ $out == *'<<END>>'* ]] && break
done
zpty -d z
EOF
  timeout 30 zsh -f "$TMP/zsh-drive.zsh" "$TMP/zsh-setup.zsh" "$1" | tr -d '\r' | grep -o '<<[^>]*>>' |
    sed 's/^<<//; s/>>$//' | grep -vx END || true
}

# bash_line KEYS: what an interactive bash (readline, bash-completion and desk.bash) shows as KEYS
# are typed ($'\t' for TAB), ending with <<LINE:the command line>>: what the user sees, which
# bash_complete cannot show (readline inserts the candidates' common prefix, lists them, and
# breaks words at : and =).
bash_line() {
  cat >"$TMP/bash-setup.bash" <<SETUP
PS1= PS2=
source /usr/share/bash-completion/bash_completion
source "$COMPLETIONS/desk.bash"
bind 'set bell-style none'
bind -x '"\C-x\C-l": printf "<<LINE:%s>>\n" "\$READLINE_LINE"'
echo READY
SETUP
  cat >"$TMP/bash-drive.zsh" <<'DRIVE'
zmodload zsh/zpty || exit 2
zpty b bash --norc --noprofile -i
zpty -w b "source ${(q)1}"
local out
while zpty -r b out; do [[ $out == *READY* ]] && break; done
zpty -w -n b "$2"$'\C-x\C-l'
while zpty -r b out; do
  print -rn -- "$out"
  [[ $out == *'<<LINE:'*'>>'* ]] && break
done
zpty -d b
DRIVE
  INPUTRC=/dev/null timeout 30 zsh -f "$TMP/bash-drive.zsh" "$TMP/bash-setup.bash" "$1" | tr -d '\r'
}

# bash_line_after KEYS: the command line after KEYS.
bash_line_after() {
  bash_line "$1" | grep -o '<<LINE:.*>>' | tail -n 1 | sed 's/^<<LINE://; s/>>$//' || true
}

# expect_asks COMPLETE_FN LINE CALL: completing LINE in a shell runs `desk` as CALL (<arg>...).
expect_asks() {
  local log=$TMP/argv.log
  : >"$log"
  DESK_ARGV_LOG=$log "$1" "$2" >/dev/null
  grep -qxF -- "$3" "$log" || fail "$1 '$2': expected the call $3, got: $(tr '\n' ' ' <"$log")"
}

# ---- cases ----

case_committed_scripts_match_the_generator() {
  local shell file
  for shell in bash zsh fish; do
    case $shell in bash) file=desk.bash ;; zsh) file=_desk ;; fish) file=desk.fish ;; esac
    desk_ok completion "$shell"
    [[ -f $COMPLETIONS/$file ]] || fail "completions/$file is missing"
    cmp -s "$OUT_FILE" "$COMPLETIONS/$file" ||
      fail "completions/$file differs from \`desk completion $shell\`: the CLI changed; regenerate with
    desk completion bash >completions/desk.bash; desk completion zsh >completions/_desk; desk completion fish >completions/desk.fish
$(diff "$COMPLETIONS/$file" "$OUT_FILE" | head -20)"
  done
}

case_scripts_are_valid_shell() {
  bash -n "$COMPLETIONS/desk.bash" || fail "desk.bash does not parse"
  zsh -n "$COMPLETIONS/_desk" || fail "_desk does not parse"
  fish --no-execute "$COMPLETIONS/desk.fish" || fail "desk.fish does not parse"
}

case_completion_rejects_an_unknown_shell() {
  run_desk completion tcsh
  expect_error 2 "tcsh"
}

case_every_visible_command_and_option_is_in_each_script() {
  local commands c opt file
  commands=$("$DESK" --help | awk '/^Subcommands:/{f=1;next} f&&NF&&/^  [a-z]/{print $1} f&&!NF{f=0}')
  [[ -n $commands ]] || fail "no commands in desk --help"
  for c in $commands; do
    for file in desk.bash _desk desk.fish; do
      grep -qw -- "$c" "$COMPLETIONS/$file" || fail "$file lacks the command $c"
    done
    for opt in $("$DESK" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
      grep -qF -- "${opt#--}" "$COMPLETIONS/desk.fish" || fail "desk.fish lacks $opt of $c"
      grep -qF -- "$opt" "$COMPLETIONS/desk.bash" || fail "desk.bash lacks $opt of $c"
      grep -qF -- "$opt" "$COMPLETIONS/_desk" || fail "_desk lacks $opt of $c"
    done
  done
}

case_complete_prints_the_desk_values() {
  make_desk
  desk_ok __complete ids
  [[ $(head -n 2 <<<"$OUT" | cut -f1 | sort) == "$(printf '%s\n' "$VPN" "$PRINTER" | sort)" ]] ||
    fail "active tickets do not come first"
  [[ $(sed -n 3p <<<"$OUT" | cut -f1) == "$OLD" ]] || fail "the resolved ticket is not last"
  expect_out_contains "$VPN"$'\t'"VPN drops every hour"
  desk_ok __complete ids "$(unique_prefix "$VPN")"
  [[ $(cut -f1 <<<"$OUT") == "$VPN" ]] || fail "a prefix does not select its ticket"
  desk_ok __complete tiers
  expect_only tiers "$(cut -f1 <<<"$OUT")" L0 L1 L2 L3 L4
  desk_ok __complete tiers L
  [[ $(wc -l <<<"$OUT") == 5 ]] || fail "prefix L does not keep the five tiers"
  desk_ok __complete statuses
  expect_only statuses "$OUT" new open pending resolved closed
  desk_ok __complete assignees
  expect_only assignees "$OUT" bob
  desk_ok __complete requesters
  expect_candidates requesters "$OUT" carol
  desk_ok __complete tags
  expect_candidates tags "$OUT" network hardware
  desk_ok __complete priorities
  [[ -n $OUT ]] || fail "no priorities"
  desk_ok __complete templates
  [[ -n $OUT ]] || fail "no templates"
  desk_ok __complete macros
  expect_only macros "$(cut -f1 <<<"$OUT")" ask-for-logs known-issue password-reset-done waiting-on-vendor
  expect_out_contains "ask-for-logs"$'\t'"Ask for logs"
  desk_ok __complete slugs
  expect_only slugs "$(cut -f1 <<<"$OUT")" reset-the-vpn-client clear-a-printer-jam
  desk_ok __complete articles kb/re
  expect_only articles "$(cut -f1 <<<"$OUT")" kb/reset-the-vpn-client
  git remote add origin https://example.com/desk.git
  desk_ok __complete remotes
  [[ $OUT == "origin"$'\t'"https://example.com/desk.git" ]] || fail "remotes"
  # -C reaches it like any command.
  cd "$TMP"
  desk_ok -C desk __complete assignees
  expect_only "assignees with -C" "$OUT" bob
}

# A KIND or PREFIX that names a command or looks like an option is taken verbatim: `templates`
# is a KIND and a command, `show` and `list` are commands, -C and -q global options.
case_complete_takes_its_words_verbatim() {
  make_desk
  new_ticket "Release blocker" --tag show-stopper
  local templates word
  templates=$("$DESK" templates | tail -n +2 | awk '{print $1}')
  [[ -n $templates ]] || fail "no templates in \`desk templates\`"
  desk_ok __complete templates ""
  expect_only '__complete templates ""' "$(cut -f1 <<<"$OUT")" $templates
  desk_ok __complete templates
  expect_only "__complete templates" "$(cut -f1 <<<"$OUT")" $templates
  desk_ok __complete templates pass
  expect_only "__complete templates pass" "$(cut -f1 <<<"$OUT")" password-reset
  desk_ok __complete tags show
  expect_only "__complete tags show" "$OUT" show-stopper
  # Not a KIND: nothing, rather than the ticket `desk show be` would print.
  desk_ok __complete show be
  [[ -z $OUT && -z $ERR ]] || fail "__complete show be printed something"
  for word in list -C -q --help --; do
    desk_ok __complete ids "$word"
    [[ -z $OUT && -z $ERR ]] || fail "__complete ids $word printed something"
    desk_ok __complete "$word" ""
    [[ -z $OUT && -z $ERR ]] || fail "__complete $word '' printed something"
  done
  cd "$TMP"
  desk_ok -C desk -q __complete templates pass
  expect_only "-C desk -q __complete templates pass" "$(cut -f1 <<<"$OUT")" password-reset
}

case_complete_prints_nothing_on_any_error() {
  mkdir -p "$TMP/plain" && cd "$TMP/plain"
  desk_ok __complete ids
  [[ -z $OUT && -z $ERR ]] || fail "outside a desk it printed something"
  git init -q . && desk_ok __complete tiers
  [[ -z $OUT && -z $ERR ]] || fail "in a plain git repository it printed something"
  make_desk
  local kind
  for kind in nonsense ""; do
    desk_ok __complete $kind
    [[ -z $OUT && -z $ERR ]] || fail "__complete '$kind' printed something"
  done
  desk_ok __complete ids a b c
  [[ -z $OUT && -z $ERR ]] || fail "too many arguments printed something"
  desk_ok -C "$TMP/nowhere" __complete ids
  [[ -z $OUT && -z $ERR ]] || fail "a missing -C directory printed something"
  printf 'this is [not toml\n' >.desk/config.toml
  git commit -qam "break the config"
  desk_ok __complete tiers
  [[ -z $OUT && -z $ERR ]] || fail "a broken config printed something"
}

# The four lines the requirement names, in one shell: complete_fn is bash_complete, zsh_complete
# or fish_complete.
check_shell() {
  local complete_fn=$1 got prefix
  make_desk
  got=$($complete_fn "desk esc")
  expect_only "$complete_fn 'desk esc'" "$got" escalate
  got=$($complete_fn "desk escalate ")
  expect_only "$complete_fn 'desk escalate '" "$got" "$VPN" "$PRINTER" "$OLD"
  prefix=$(unique_prefix "$VPN")
  got=$($complete_fn "desk escalate $prefix")
  expect_only "$complete_fn 'desk escalate $prefix'" "$got" "$VPN"
  got=$($complete_fn "desk escalate $VPN --to ")
  expect_only "$complete_fn 'desk escalate ID --to '" "$got" L0 L1 L2 L3 L4
  got=$($complete_fn "desk escalate $VPN --to L")
  expect_only "$complete_fn 'desk escalate ID --to L'" "$got" L0 L1 L2 L3 L4
  got=$($complete_fn "desk assign $VPN ")
  expect_only "$complete_fn 'desk assign ID '" "$got" bob
  got=$($complete_fn "desk list --status ")
  expect_only "$complete_fn 'desk list --status '" "$got" new open pending resolved closed
  got=$($complete_fn "desk --color ")
  expect_only "$complete_fn 'desk --color '" "$got" auto always never
  got=$($complete_fn "desk wait $VPN --on ")
  expect_only "$complete_fn 'desk wait ID --on '" "$got" customer vendor
  got=$($complete_fn "desk new x --tag ")
  expect_candidates "$complete_fn 'desk new x --tag '" "$got" network hardware
  got=$($complete_fn "desk escalate --v")
  expect_only "$complete_fn 'desk escalate --v'" "$got" --vendor --version
  # Templates, whose KIND is also the name of a command.
  got=$($complete_fn "desk new x -t ")
  expect_only "$complete_fn 'desk new x -t '" "$got" $("$DESK" templates | tail -n +2 | awk '{print $1}')
  got=$($complete_fn "desk new x --template pass")
  expect_only "$complete_fn 'desk new x --template pass'" "$got" password-reset
  # desk apply: a macro, then ticket ids.
  got=$($complete_fn "desk apply ")
  expect_only "$complete_fn 'desk apply '" "$got" ask-for-logs known-issue password-reset-done waiting-on-vendor
  got=$($complete_fn "desk apply known-issue ")
  expect_only "$complete_fn 'desk apply MACRO '" "$got" "$VPN" "$PRINTER" "$OLD"
  # What was typed of the value reaches `desk __complete` as PREFIX: unquoted, without --opt=.
  expect_asks $complete_fn "desk escalate $prefix" "<__complete><ids><$prefix>"
  expect_asks $complete_fn "desk escalate " "<__complete><ids><>"
  expect_asks $complete_fn "desk escalate $VPN --to=L" "<__complete><tiers><L>"
  expect_asks $complete_fn "desk new x --tag 'net" "<__complete><tags><net>"
  expect_asks $complete_fn "desk new x -t pass" "<__complete><templates><pass>"
  git remote add origin https://example.com/desk.git
  # desk kb: its subcommands, then the articles; desk link: the articles as kb/SLUG.
  got=$($complete_fn "desk kb ")
  expect_only "$complete_fn 'desk kb '" "$got" new edit show list search link
  got=$($complete_fn "desk kb show ")
  expect_only "$complete_fn 'desk kb show '" "$got" reset-the-vpn-client clear-a-printer-jam
  got=$($complete_fn "desk kb edit reset-the-vpn-client --pub")
  expect_only "$complete_fn 'desk kb edit SLUG --pub'" "$got" --publish
  got=$($complete_fn "desk link $VPN ")
  expect_only "$complete_fn 'desk link ID '" "$got" kb/reset-the-vpn-client kb/clear-a-printer-jam
  got=$($complete_fn "desk close $VPN --duplicate-of ")
  expect_only "$complete_fn 'desk close ID --duplicate-of '" "$got" "$VPN" "$PRINTER" "$OLD"
  got=$($complete_fn "desk sync ")
  expect_only "$complete_fn 'desk sync '" "$got" origin
  # A file option completes files.
  : >notes-for-vpn.txt
  got=$($complete_fn "desk comment $VPN -F notes-")
  expect_only "$complete_fn 'desk comment ID -F notes-'" "$got" notes-for-vpn.txt
  # Every other kind of value, each where a person types it.
  got=$($complete_fn "desk new x -p ")
  expect_only "$complete_fn 'desk new x -p '" "$got" P1 P2 P3 P4 P5
  got=$($complete_fn "desk new x --impact ")
  expect_only "$complete_fn 'desk new x --impact '" "$got" high medium low
  got=$($complete_fn "desk new x --urgency h")
  expect_only "$complete_fn 'desk new x --urgency h'" "$got" high
  got=$($complete_fn "desk new x --type ")
  expect_only "$complete_fn 'desk new x --type '" "$got" incident service-request problem question change
  got=$($complete_fn "desk escalate $VPN --vendor ")
  expect_only "$complete_fn 'desk escalate ID --vendor '" "$got" acme-networks contoso-cloud
  got=$($complete_fn "desk list --requester ca")
  expect_only "$complete_fn 'desk list --requester ca'" "$got" carol
  desk_ok team add Ana --email ana@example.com --tier L1
  desk_ok team add Bo --email bo@example.com --tier L2
  got=$($complete_fn "desk team remove ")
  expect_only "$complete_fn 'desk team remove '" "$got" Ana Bo
  # Outside a desk, dynamic values are simply absent.
  cd "$TMP"
  got=$($complete_fn "desk escalate ")
  [[ -z $(grep -xF -- "$VPN" <<<"$got") ]] || fail "$complete_fn offered ids outside the desk"
  # ... unless -C names the desk.
  got=$($complete_fn "desk -C desk escalate ")
  expect_candidates "$complete_fn 'desk -C desk escalate '" "$got" "$VPN"
}

case_bash_completes_commands_ids_and_tiers() {
  [[ -f /usr/share/bash-completion/bash_completion ]] || fail "bash-completion is not installed (scripts/deps.sh)"
  check_shell bash_complete
}

# What bash's line editor makes of the replies, in an interactive bash.
case_bash_edits_the_line_as_expected() {
  [[ -f /usr/share/bash-completion/bash_completion ]] || fail "bash-completion is not installed (scripts/deps.sh)"
  command -v zsh >/dev/null || fail "zsh (its zpty drives bash) is not installed (scripts/deps.sh)"
  local prefix line first
  make_desk
  prefix=$(unique_prefix "$VPN")
  # The TAB after a completed id offers nothing, rather than every option, whose common prefix
  # (-) bash would insert.
  line=$(bash_line_after "desk escalate $prefix"$'\t\t')
  [[ $line == "desk escalate $VPN " ]] || fail "bash: 'desk escalate $prefix' TAB TAB made '$line'"
  line=$(bash_line_after "desk list "$'\t')
  [[ $line == "desk list " ]] || fail "bash: 'desk list ' TAB made '$line'"
  line=$(bash_line_after "desk list --sta"$'\t')
  [[ $line == "desk list --status " ]] || fail "bash: 'desk list --sta' TAB made '$line'"
  line=$(bash_line_after "desk new x -t pass"$'\t')
  [[ $line == "desk new x -t password-reset " ]] || fail "bash: 'desk new x -t pass' TAB made '$line'"
  line=$(bash_line_after "desk escalate $VPN --to=L3"$'\t')
  [[ $line == "desk escalate $VPN --to=L3 " ]] || fail "bash: 'desk escalate ID --to=L3' TAB made '$line'"
  # : breaks words in bash; the value is still completed whole.
  new_ticket "Badge reader" --tag site:annex
  line=$(bash_line_after "desk list --tag site:an"$'\t')
  [[ $line == "desk list --tag site:annex " ]] || fail "bash: 'desk list --tag site:an' TAB made '$line'"
  # The ids are listed in desk's order, active tickets first, not sorted: resolve the first id in
  # sort order, so that sorting would list a resolved ticket first.
  first=$(printf '%s\n' "$VPN" "$PRINTER" "$OLD" "$ID" | sort | head -n 1)
  [[ $first == "$OLD" ]] || desk_ok resolve "$first" -m "done"
  desk_ok __complete ids
  line=$(bash_line "desk escalate "$'\t\t' | grep -oE "$VPN|$PRINTER|$OLD|$ID" | head -n 1 || true)
  [[ $line == "$(head -n 1 <<<"$OUT" | cut -f1)" ]] || fail "bash lists $line first, desk's order begins with $(head -n 1 <<<"$OUT")"
}

case_zsh_completes_commands_ids_and_tiers() {
  command -v zsh >/dev/null || fail "zsh is not installed (scripts/deps.sh)"
  check_shell zsh_complete
}

case_fish_completes_commands_ids_and_tiers() {
  command -v fish >/dev/null || fail "fish is not installed (scripts/deps.sh)"
  check_shell fish_complete
}

run_all_cases
finish
