#!/usr/bin/env bash
# Fails when the command line and its documentation drift: every command and every long option
# that `desk CMD --help` lists must appear in man/desk.1 and the README must name every command;
# the page must pass groff's and mandoc's checks when those are installed.
set -euo pipefail
desk=${DESK:?}; src=${DESK_SOURCE_DIR:?}
page="$src/man/desk.1"
fail=0
commands=$("$desk" --help | awk '/^Subcommands:/{f=1;next} f&&NF&&/^  [a-z]/{print $1} f&&!NF{f=0}')
[ -n "$commands" ] || { echo "no commands found in desk --help"; exit 1; }
# The man page escapes hyphens as \-; compare against the unescaped text.
text=$(sed 's/\\-/-/g' "$page")
for c in $commands; do
  grep -q "desk $c" <<<"$text" || { echo "man/desk.1 does not document 'desk $c'"; fail=1; }
  grep -q "desk $c" "$src/README.md" || { echo "README.md does not show 'desk $c'"; fail=1; }
  for opt in $("$desk" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    case "$opt" in --help|--help-all) continue ;; esac
    grep -qF -- "$opt" <<<"$text" || { echo "man/desk.1 does not mention $opt of 'desk $c'"; fail=1; }
  done
done
for opt in $("$desk" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
  grep -qF -- "$opt" <<<"$text" || { echo "man/desk.1 does not mention global option $opt"; fail=1; }
done
if command -v groff >/dev/null; then
  warnings=$(groff -ww -z -man "$page" 2>&1 || true)
  [ -z "$warnings" ] || { echo "groff warnings:"; echo "$warnings"; fail=1; }
fi
if command -v mandoc >/dev/null; then
  lint=$(mandoc -Tlint "$page" 2>&1 | grep -v 'STYLE:' || true)
  [ -z "$lint" ] || { echo "mandoc -Tlint:"; echo "$lint"; fail=1; }
fi
[ $fail -eq 0 ] && echo "docs: every command and option is documented"
exit $fail
