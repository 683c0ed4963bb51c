# Mail with customers, against real parts: a real SMTP server on 127.0.0.1 (Debian's
# python3-aiosmtpd, a Maildir sink started and stopped here, bounded in time) reached through a
# real sendmail-compatible client (Debian's msmtp), and the corpus of real clients' messages in
# tests/mail/corpus. The round trip: a message in -> ticket -> acknowledgement and reply out ->
# the customer's reply to that message in -> threaded into the same ticket -> resolve -> survey
# out -> "4" in -> CSAT 4. Then: the same message twice changes nothing, loops are stopped, a
# crash between sending and committing never sends twice, and bad input is a clear error with
# nothing changed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORPUS=${DESK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/mail/corpus
SYSPY=/usr/bin/python3  # Debian's python: the one with aiosmtpd
command -v msmtp >/dev/null || { echo "msmtp is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
"$SYSPY" -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd is not installed (scripts/deps.sh installs it)" >&2; exit 1; }

# The SMTP sinks this script started, stopped by their PIDs however it ends.
stop_sinks() {
  local f
  for f in "$TMP"/sink*/pid; do
    [[ -f $f ]] || continue
    kill "$(<"$f")" 2>/dev/null || true
    rm -f "$f"
  done
}
mail_on_exit() {
  local rc=$?
  trap - ERR
  set +e
  stop_sinks
  (exit "$rc")
  on_exit
}
trap mail_on_exit EXIT

# start_sink: an SMTP server on a free port of 127.0.0.1 that files every message it takes in
# the Maildir $SINK/box; it stops itself after 240 s. Sets SINK and PORT, and SENDMAIL (msmtp
# pointed at it).
start_sink() {
  SINK=$TMP/sink$RANDOM
  mkdir -p "$SINK"
  PORT=$("$SYSPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  timeout 240 "$SYSPY" -m aiosmtpd -n -l "127.0.0.1:$PORT" -c aiosmtpd.handlers.Mailbox "$SINK/box" >"$SINK/log" 2>&1 &
  echo $! >"$SINK/pid"
  local i
  for ((i = 0; i < 100; i++)); do
    "$SYSPY" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$PORT" 2>/dev/null && break
    sleep 0.1
  done
  ((i < 100)) || fail "the SMTP sink did not start: $(cat "$SINK/log")"
  SENDMAIL="msmtp --host=127.0.0.1 --port=$PORT --auth=off --tls=off"
}

# sunk: how many messages the sink holds.
sunk() { find "$SINK/box/new" "$SINK/box/cur" -type f 2>/dev/null | wc -l; }

# last_sunk: the path of the newest message in the sink.
last_sunk() { ls -t "$SINK"/box/new/* | head -1; }

# mail_desk: a desk with mail on, and the sink as this clone's sendmail (git config).
mail_desk() {
  new_desk "$TMP/d$RANDOM$RANDOM"
  cat >>.desk/config.toml <<'EOF'

[mail]
address = "help@example.com"
name = "Example Help Desk"
reopen_within = "7d"
EOF
  git commit -qam "mail on"
  start_sink
  git config desk.sendmail "$SENDMAIL"
}

# header FILE NAME: a header of a message, decoded, as Python's email package reads it.
header() {
  "$SYSPY" -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m.get(sys.argv[2], ""))' "$1" "$2"
}
# body FILE: the text of a message.
body() {
  "$SYSPY" -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m.get_body(("plain",)).get_content())' "$1"
}

# reply_to FILE FROM TEXT: a customer's reply to a message desk sent, as a mail client writes it
# (In-Reply-To, References, "Re:", the attribution line and the quote).
reply_to() {
  "$SYSPY" -c 'import email, email.policy, email.utils, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
r = email.message.EmailMessage()
r["From"] = sys.argv[2]
r["To"] = "help@example.com"
r["Subject"] = "Re: " + m["Subject"]
r["Message-ID"] = email.utils.make_msgid(domain="client.example.org")
r["In-Reply-To"] = m["Message-ID"]
r["References"] = (m.get("References", "") + " " + m["Message-ID"]).strip()
r["Date"] = "Mon, 30 Nov 2026 11:00:00 +0000"
quoted = "\n".join("> " + l for l in m.get_body(("plain",)).get_content().splitlines())
r.set_content(sys.argv[3] + "\n\nOn Mon, 30 Nov 2026, Example Help Desk <help@example.com> wrote:\n" + quoted + "\n")
sys.stdout.buffer.write(r.as_bytes())' "$1" "$2" "$3"
}

field() { py 'print(tomllib.load(open(sys.argv[1], "rb"))[sys.argv[2]])' "$(ticket_path "$1")" "$2"; }

case_round_trip() {
  mail_desk
  # In: Gmail's message opens a ticket; Bo, on Cc, watches it.
  run_desk mail receive <"$CORPUS/gmail-new.eml"
  expect_code 0
  [[ $OUT == new\ * ]] || fail "not a new ticket: $OUT"
  local id=${OUT#new }
  [[ $(field "$id" requester) == "Ana Souza <ana@example.org>" ]] || fail "requester"
  [[ $(field "$id" watchers) == "['Bo Lind <bo@example.net>']" ]] || fail "watchers"
  [[ $(git log -1 --format='%an <%ae>') == "Ana Souza <ana@example.org>" ]] || fail "the commit's author is not the customer"
  [[ $(git log -1 --format='%(trailers:key=Desk-Message-Id,valueonly)') == CAJ7kQ2x* ]] || fail "no Desk-Message-Id trailer"
  # Out: the acknowledgement, to Ana with Bo on Cc, recorded in one commit.
  snapshot
  desk_ok mail send
  [[ $(sunk) == 1 ]] || fail "the sink holds $(sunk) messages, not 1"
  local ack
  ack=$(last_sunk)
  [[ $(header "$ack" To) == "Ana Souza <ana@example.org>" ]] || fail "ack To: $(header "$ack" To)"
  [[ $(header "$ack" Cc) == "Bo Lind <bo@example.net>" ]] || fail "ack Cc"
  [[ $(header "$ack" Subject) == "[desk $id] Printer on 3rd floor jams every morning" ]] || fail "ack Subject: $(header "$ack" Subject)"
  [[ $(header "$ack" In-Reply-To) == "<CAJ7kQ2x"* ]] || fail "the ack does not answer the customer's message"
  [[ $(header "$ack" Auto-Submitted) == auto-generated ]] || fail "the ack is not Auto-Submitted"
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "mail send made more than one commit"
  [[ $(git log -1 --format='%(trailers:key=Desk-Action,valueonly)') == mailed ]] || fail "trailer"
  assert_clean
  # Nothing queued: nothing sent, nothing committed.
  snapshot
  desk_ok mail send
  expect_err_contains "no messages queued"
  assert_unchanged
  # An internal note stays in; a public reply goes out, threaded under the acknowledgement.
  desk_ok comment "$id" -i -m "probably the fuser"
  desk_ok mail send --dry-run
  expect_err_contains "0 messages queued"
  desk_ok comment "$id" -m "Which tray do you print from?"
  desk_ok mail send
  [[ $(sunk) == 2 ]] || fail "the reply did not reach the sink"
  local out1
  out1=$(last_sunk)
  [[ $(header "$out1" Subject) == "Re: [desk $id] Printer on 3rd floor jams every morning" ]] || fail "reply Subject"
  [[ $(header "$out1" In-Reply-To) == "$(header "$ack" Message-ID)" ]] || fail "the reply is not threaded under the ack"
  [[ $(header "$out1" Message-ID) == "<desk.$id."*"@example.com>" ]] || fail "Message-ID $(header "$out1" Message-ID)"
  [[ $(body "$out1") == *"Which tray do you print from?"* ]] || fail "the reply's text is not in the message"
  [[ $(body "$out1") != *"fuser"* ]] || fail "the internal note went out"
  # The customer answers that message: threaded into the ticket by In-Reply-To, the quote apart.
  reply_to "$out1" "Ana Souza <ana@example.org>" "Tray 2, always." >"$TMP/r1.eml"
  run_desk mail receive <"$TMP/r1.eml"
  expect_code 0
  [[ $OUT == "reply $id (threaded by In-Reply-To)" ]] || fail "not threaded: $OUT"
  py 'h = tomllib.load(open(sys.argv[1], "rb"))["history"][-1]
assert h["action"] == "comment" and h["text"] == "Tray 2, always.", h
assert h["by"] == "Ana Souza <ana@example.org>", h
assert "Which tray do you print from?" in h["quoted"], h
assert h["message_id"].endswith("@client.example.org"), h' "$(ticket_path "$id")"
  # The same message again changes nothing.
  snapshot
  run_desk mail receive <"$TMP/r1.eml"
  expect_code 0
  expect_out_contains "duplicate $id"
  assert_unchanged
  # Resolve: the survey goes out; the answer "4" closes the ticket with CSAT 4.
  desk_ok resolve "$id" -m "Replaced the pickup roller of tray 2."
  desk_ok mail send
  local survey
  survey=$(last_sunk)
  [[ $(header "$survey" Subject) == "Resolved: [desk $id]"* ]] || fail "survey Subject: $(header "$survey" Subject)"
  [[ $(body "$survey") == *"Replaced the pickup roller"* && $(body "$survey") == *"number from 1 (poor) to 5"* ]] || fail "survey text"
  reply_to "$survey" "ana@example.org" "4 - thanks" >"$TMP/r2.eml"
  desk_ok mail receive <"$TMP/r2.eml"
  [[ $(field "$id" status) == closed && $(field "$id" csat) == 4 ]] || fail "not closed with CSAT 4"
  desk_ok stats --json
  py 'c = json.loads(sys.stdin.read())["total"]["csat"]
assert c["count"] == 1 and c["mean"] == 4 and c["distribution"]["4"] == 1, c
assert c["surveys_sent"] == 1 and c["survey_answers"] == 1 and c["survey_response_rate"] == 1, c' <<<"$OUT"
  # A rating closes quietly: the customer is not sent a "closed" notice for their own act.
  desk_ok mail send --dry-run
  expect_err_contains "0 messages queued"
  assert_clean
}

case_loops_are_stopped() {
  mail_desk
  desk_ok mail receive <"$CORPUS/gmail-new.eml"
  local id=${OUT#new }
  desk_ok mail send
  snapshot
  local f
  for f in auto-reply bounce list-post; do
    run_desk mail receive <"$CORPUS/$f.eml"
    expect_code 0
    expect_out_contains "ignored -"
  done
  # desk's own message, come back (a forwarding loop): ignored.
  run_desk mail receive <"$(last_sunk)"
  expect_code 0
  expect_out_contains "ignored -"
  assert_unchanged
  # More than max_per_sender_per_hour messages from one address: the rest are ignored.
  sed -i 's/^reopen_within = "7d"$/&\nmax_per_sender_per_hour = 3/' .desk/config.toml
  git commit -qam "at most 3 an hour"
  local n
  for n in 1 2 3 4; do
    printf 'From: bot@example.net\nTo: help@example.com\nSubject: alert %s\nMessage-ID: <alert-%s@example.net>\n\ndisk full\n' "$n" "$n" >"$TMP/a$n.eml"
    run_desk mail receive <"$TMP/a$n.eml"
    expect_code 0
  done
  expect_out_contains "ignored -"
  expect_out_contains "3 messages from bot@example.net in the last hour"
  [[ $(git log --format=%s | grep -c 'new from bot@example.net') == 3 ]] || fail "expected 3 tickets from bot@, got $(git log --format=%s | grep -c 'new from bot')"
}

case_forged_tag_opens_its_own_ticket() {
  mail_desk
  desk_ok mail receive <"$CORPUS/gmail-new.eml"
  local id=${OUT#new }
  # Mallory puts Ana's ticket's tag in a subject: a ticket of Mallory's own, nothing in Ana's.
  sed "s/7kq2x9m4ab/$id/g" "$CORPUS/forged-tag.eml" >"$TMP/forged.eml"
  local before
  before=$(git show "HEAD:$(ticket_path "$id")")
  run_desk mail receive <"$TMP/forged.eml"
  expect_code 0
  [[ $OUT == new\ * && $OUT != *"new $id"* ]] || fail "the forged tag was followed: $OUT"
  expect_out_contains "mallory@example.net points at ticket"
  [[ $(git show "HEAD:$(ticket_path "$id")") == "$before" ]] || fail "Ana's ticket changed"
  # Bo, a watcher, may add to it by the tag.
  printf 'From: Bo Lind <bo@example.net>\nTo: help@example.com\nSubject: Re: [desk %s] Printer\nMessage-ID: <bo-1@example.net>\n\nIt jammed again at 8:55.\n' "$id" >"$TMP/bo.eml"
  desk_ok mail receive <"$TMP/bo.eml"
  [[ $OUT == "reply $id (threaded by subject tag)" ]] || fail "the watcher's reply was not threaded: $OUT"
}

case_attachments_and_encodings() {
  mail_desk
  desk_ok mail receive <"$CORPUS/thunderbird-attachment.eml"
  local id=${OUT#new }
  local files
  files=$(git ls-files "attachments/$id")
  [[ $files == *"attachments/$id/Rechnung März.pdf"* || $files == *'attachments/'"$id"'/"Rechnung M\303\244rz.pdf"'* ]] || git ls-files -z "attachments/$id" | grep -qz "Rechnung März.pdf" || fail "the PDF is not committed: $files"
  git ls-files -z "attachments/$id" | grep -qz "^attachments/$id/passwd$" || fail "../../etc/passwd was not made safe: $files"
  [[ ! -e etc/passwd && ! -e ../etc/passwd ]] || fail "an attachment was written outside its folder"
  [[ $(git cat-file -s "HEAD:attachments/$id/passwd") == 32 ]] || fail "attachment size"
  [[ $(field "$id" description) == *"Attachments: attachments/$id/"* ]] || fail "the description does not list the attachments"
  desk_ok mail receive <"$CORPUS/apple-mail.eml"
  id=${OUT#new }
  [[ $(field "$id" title) == "Réunion: badge reader broken" ]] || fail "encoded subject: $(field "$id" title)"
  [[ $(field "$id" requester) == "Zoë Martin <zoe@example.net>" ]] || fail "encoded name: $(field "$id" requester)"
  [[ $(field "$id" description) == *café* ]] || fail "ISO-8859-1 body"
  desk_ok mail receive <"$CORPUS/outlook-html.eml"
  id=${OUT#new }
  local d
  d=$(field "$id" description)
  [[ $d != *"<p"* && $d != *"font-family"* && $d == *"every 10 minutes"* ]] || fail "HTML-only mail as text: $d"
  assert_clean
}

case_maildir() {
  mail_desk
  local md=$TMP/Maildir
  mkdir -p "$md"/{new,cur,tmp}
  cp "$CORPUS/gmail-new.eml" "$md/new/1.host"
  cp "$CORPUS/malformed.eml" "$md/new/2.host"
  cp "$CORPUS/auto-reply.eml" "$md/new/3.host"
  cp "$CORPUS/gmail-new.eml" "$md/new/4.host"
  run_desk mail receive --maildir "$md"
  expect_code 1
  expect_err_contains "2.host: not a mail message"
  expect_err_contains "4 messages: 1 new, 1 duplicate, 1 ignored, 1 failed"
  expect_out_contains "1.host: new "
  expect_out_contains "4.host: duplicate "
  [[ -z $(ls "$md/new") ]] || fail "new/ is not empty: $(ls "$md/new")"
  [[ -f $md/cur/1.host:2,S && -f $md/cur/3.host:2,S && -f $md/cur/4.host:2,S ]] || fail "cur/: $(ls "$md/cur")"
  [[ -f $md/failed/new/2.host ]] || fail "the malformed message was not kept in failed/"
  [[ $(git log --format=%s | grep -c '^mail .*: new from') == 1 ]] || fail "one ticket expected"
  run_desk mail receive --maildir "$md"
  expect_code 0
  expect_err_contains "0 messages"
  assert_clean
}

case_a_crash_after_sending_never_sends_twice() {
  mail_desk
  desk_ok mail receive <"$CORPUS/gmail-new.eml"
  local id=${OUT#new }
  desk_ok comment "$id" -m "On it."
  # Killed after the program took both messages, before the commit that records them.
  snapshot
  DESK_TEST_CRASH=locked run_desk mail send
  [[ $CODE != 0 ]] || fail "the crash point was not reached"
  [[ $(sunk) == 2 ]] || fail "expected 2 messages sent before the crash, got $(sunk)"
  assert_unchanged
  rm -f .git/desk-mail.lock  # the killed process could not remove its lock
  # The next run records them and sends nothing again.
  desk_ok mail send
  [[ $(sunk) == 2 ]] || fail "a message was sent twice: $(sunk) in the sink"
  [[ $(git rev-list --count "$SNAP_HEAD..HEAD") == 1 ]] || fail "no record commit"
  [[ $(git show HEAD:"$(ticket_path "$id")" | grep -c 'action = "mailed"') == 2 ]] || fail "not both recorded"
  [[ ! -e .git/desk-mail-sent ]] || fail "the sent log was not cleared: $(cat .git/desk-mail-sent)"
  # A program that fails: nothing recorded, everything still queued, a clear error.
  desk_ok comment "$id" -m "Any news?"
  snapshot
  DESK_SENDMAIL="sh -c 'echo relay refused >&2; exit 75' sh" run_desk mail send
  expect_error 1 "the mail program failed (exit 75)" "relay refused"
  assert_unchanged
  desk_ok mail send --dry-run
  expect_err_contains "1 message queued"
  # Two at once: the second is refused while the first holds the lock.
  : >.git/desk-mail.lock
  run_desk mail send
  expect_error 1 "another desk mail send is running"
  rm .git/desk-mail.lock
}

case_bad_input_is_a_clear_error() {
  new_desk "$TMP/d$RANDOM$RANDOM"
  snapshot
  run_desk mail receive <"$CORPUS/gmail-new.eml"
  expect_error 2 "mail is off for this desk" "[mail]"
  run_desk mail send
  expect_error 2 "mail is off"
  assert_unchanged
  cat >>.desk/config.toml <<'EOF'

[mail]
address = "help@example.com"
max_message_bytes = 2000
EOF
  git commit -qam "mail on"
  snapshot
  run_desk mail receive <"$CORPUS/malformed.eml"
  expect_error 1 "not a mail message desk can take"
  run_desk mail receive <"$CORPUS/no-from.eml"
  expect_error 1 "no From address"
  run_desk mail receive </dev/null
  expect_error 2 "no message on standard input"
  run_desk mail receive <"$CORPUS/thunderbird-attachment.eml"
  expect_error 1 "over the desk's limit of 2000 bytes (max_message_bytes)"
  run_desk mail receive --maildir "$TMP/nowhere"
  expect_error 3 "is not a Maildir"
  assert_unchanged
  new_ticket "Printer" --requester "ana@example.org"
  desk_ok comment "$ID" -m "Which tray?"
  unset DESK_SENDMAIL
  snapshot
  run_desk mail send
  expect_error 2 "no program to send mail with" "git config desk.sendmail"
  assert_unchanged
  sed -i 's/^address = "help@example.com"$/address = "not an address"/' .desk/config.toml
  git commit -qam "bad address"
  run_desk mail send
  expect_error 1 "'address' must be a mail address"
}

run_all_cases
finish
