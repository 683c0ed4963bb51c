// Mail: parsing real clients' messages (tests/mail/corpus, with EXPECTED.toml), quotes, ratings,
// composing, and the inbox and outbox decisions.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "core/mail/inbox.hpp"
#include "core/mail/message.hpp"
#include "core/mail/outbox.hpp"
#include "core/model/config.hpp"
#include "core/model/id.hpp"
#include "core/model/workflow.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

using namespace desk;
using namespace desk::mail;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

const std::string corpus = DESK_TEST_CORPUS;
const Timestamp t0 = *parse_time("2026-11-30T10:00:00Z");

Config mail_cfg() {
  std::string text(default_config_text());
  text += "\n[mail]\naddress = \"help@example.com\"\nname = \"Example Help Desk\"\nreopen_within = \"7d\"\n";
  return parse_config(text, ".desk/config.toml");
}

Context at(int minutes, const std::string& who, uint64_t seed = 7) {
  return Context{t0 + std::chrono::minutes(minutes), who, seeded_random(seed + static_cast<uint64_t>(minutes))};
}

const std::string agent = "Ada Agent <ada@example.com>";
const std::string customer = "Ana Souza <ana@example.org>";

Ticket customer_ticket(const Config& cfg) {
  NewTicketArgs a;
  a.title = "Printer jams";
  a.description = "every morning";
  a.requester = customer;
  return create_ticket(cfg, at(0, agent), a, nullptr, [](const std::string&) { return false; }).ticket;
}

Inbound reply_from(const std::string& from, const std::string& body) {
  Inbound m;
  m.from = Address{"", from};
  m.message_id = "reply-" + std::to_string(body.size()) + "@example.org";
  m.subject = "Re: [desk x] Printer jams";
  m.body = body;
  return m;
}

}  // namespace

TEST_CASE("every message of the corpus parses as EXPECTED.toml says") {
  auto expected = toml::parse_file(corpus + "/EXPECTED.toml");
  size_t checked = 0;
  for (auto&& [key, node] : expected) {
    const toml::table& x = *node.as_table();
    std::string name(key.str());
    INFO("message " << name);
    std::string raw = slurp(corpus + "/" + name + ".eml");
    REQUIRE(!raw.empty());
    ++checked;
    if (x["error"].value_or(false)) {
      REQUIRE_THROWS_AS(parse_message(raw), Error);
      continue;
    }
    Inbound m = parse_message(raw);
    if (auto v = x["subject"].value<std::string>()) CHECK(m.subject == *v);
    if (auto v = x["from_name"].value<std::string>()) CHECK(m.from.name == *v);
    if (auto v = x["from_addr"].value<std::string>()) CHECK(m.from.addr == *v);
    if (auto v = x["message_id"].value<std::string>()) CHECK(m.message_id == *v);
    if (auto v = x["in_reply_to"].value<std::string>()) CHECK(m.in_reply_to == *v);
    if (auto* refs = x["references"].as_array()) {
      std::vector<std::string> want;
      for (auto&& r : *refs) want.push_back(*r.value<std::string>());
      CHECK(m.references == want);
    }
    if (auto* cc = x["cc"].as_array()) {
      std::vector<std::string> want, got;
      for (auto&& r : *cc) want.push_back(*r.value<std::string>());
      for (const auto& a : m.cc) got.push_back(a.addr);
      CHECK(got == want);
    }
    if (auto v = x["kind"].value<std::string>()) CHECK(std::string(kind_name(m.kind)) == *v);
    if (auto* a = x["body_contains"].as_array())
      for (auto&& s : *a) CHECK_THAT(m.body, Catch::Contains(*s.value<std::string>()));
    if (auto* a = x["body_excludes"].as_array())
      for (auto&& s : *a) CHECK_THAT(m.body, !Catch::Contains(*s.value<std::string>()));
    if (auto v = x["reply"].value<std::string>()) CHECK(split_reply(m.body).reply == *v);
    if (auto v = x["csat"].value<int64_t>()) CHECK(rating_in(split_reply(m.body).reply) == static_cast<int>(*v));
    if (auto* a = x["attachments"].as_array()) {
      REQUIRE(m.attachments.size() == a->size());
      for (size_t i = 0; i < a->size(); ++i) {
        const toml::table& want = *a->get(i)->as_table();
        CHECK(m.attachments[i].name == *want["name"].value<std::string>());
        CHECK(static_cast<int64_t>(m.attachments[i].data.size()) == *want["size"].value<int64_t>());
      }
    }
  }
  CHECK(checked >= 13);
}

TEST_CASE("html_to_text drops style, script and tags, decodes entities, keeps paragraphs") {
  std::string html = "<html><head><style>p{color:red}</style><title>x</title></head><body>"
                     "<p>Hello&nbsp;there &amp; <b>welcome</b>&#33;</p><script>alert(1)</script>"
                     "<div>line one<br>line&#x20;two</div><!-- hidden --><table><tr><td>a</td><td>b</td></tr></table></body></html>";
  std::string t = html_to_text(html);
  CHECK(t == "Hello there & welcome!\nline one\nline two\na b");
  // Paragraphs are lines; an empty one (Outlook's spacing) is an empty line.
  CHECK(html_to_text("<p>one</p><p>&nbsp;</p><p>two</p><div><br></div><div>three</div>") == "one\n\ntwo\n\nthree");
  CHECK(html_to_text("<p>unterminated <b") == "unterminated");
  CHECK(html_to_text("a &bogus; b &#xD800; c") == "a &bogus; b &#xD800; c");
}

TEST_CASE("split_reply finds the quote by attribution, Outlook header, Original Message or trailing > lines") {
  CHECK(split_reply("Thanks!\n\nOn Mon, 30 Nov 2026 at 10:12, Desk <help@example.com>\nwrote:\n> old\n").reply == "Thanks!");
  auto s = split_reply("Fixed now.\n\nFrom: Desk <help@example.com>\nSent: Monday\nTo: me\n\nold text");
  CHECK(s.reply == "Fixed now.");
  CHECK(s.quoted.rfind("From: Desk", 0) == 0);
  CHECK(split_reply("ok\n-----Original Message-----\nold").reply == "ok");
  CHECK(split_reply("yes\n> a\n>b\n\n> c").reply == "yes");
  // Interleaved answers keep the quotes: the reply goes on after them.
  CHECK(split_reply("> question?\nanswer\n").reply == "> question?\nanswer");
  CHECK(split_reply("hello\n-- \nAna\nPhone 123").reply == "hello");
  CHECK(split_reply("hello\n\nSent from my iPhone").reply == "hello");
  CHECK(split_reply("From: here to there, the cable is loose.").reply == "From: here to there, the cable is loose.");
}

TEST_CASE("rating_in reads a leading digit 1-5 only") {
  CHECK(rating_in("5") == 5);
  CHECK(rating_in("  4 - great") == 4);
  CHECK(rating_in("3/5") == 3);
  CHECK(rating_in("1.") == 1);
  CHECK_FALSE(rating_in("10"));
  CHECK_FALSE(rating_in("3.5"));
  CHECK_FALSE(rating_in("0"));
  CHECK_FALSE(rating_in("6"));
  CHECK_FALSE(rating_in("great, 5"));
  CHECK_FALSE(rating_in(""));
}

TEST_CASE("subject tags, cleaned subjects and safe file names") {
  CHECK(subject_tag("Re: [desk 7kq2x9m4ab] Printer") == "7kq2x9m4ab");
  CHECK(subject_tag("[DESK 7KQ2X9M4AB] x") == "7kq2x9m4ab");
  CHECK(subject_tag("[desk 7kq2] short") == "");
  CHECK(subject_tag("[desk ../../etc] x") == "");
  CHECK(clean_subject("Re: AW: Fwd: [desk 7kq2x9m4ab] Printer jams") == "Printer jams");
  CHECK(clean_subject("Re[2]: hello") == "hello");
  CHECK(clean_subject("Rechnung: März") == "Rechnung: März");
  CHECK(safe_file_name("../../etc/passwd") == "passwd");
  CHECK(safe_file_name("C:\\Users\\x\\report.pdf") == "report.pdf");
  CHECK(safe_file_name(".bashrc") == "bashrc");
  CHECK(safe_file_name("") == "attachment");
  CHECK(safe_file_name("..") == "attachment");
  CHECK(safe_file_name("a\x1b[31mb;$(rm).txt") == "a__31mb__(rm).txt");
  CHECK(safe_file_name("Rechnung März.pdf") == "Rechnung März.pdf");
  CHECK(safe_file_name("Re\xc2\x9b" "31mx\xe2\x80\xae" "fdp.exe") == "Re_31mx_fdp.exe");  // C1 CSI, RLO
  CHECK(safe_file_name("\xff\xfe.txt") == "\xef\xbf\xbd\xef\xbf\xbd.txt");
  CHECK(safe_file_name(std::string(300, 'x')).size() == 100);
}

TEST_CASE("a composed message parses back: encoded headers, threading, desk's own marks") {
  Outgoing o;
  o.from = {"Ëxample Desk", "help@example.com"};
  o.to = {{"Zoë Martin", "zoe@example.net"}};
  o.cc = {{"", "bo@example.net"}};
  o.reply_to = "support@example.com";
  o.subject = "[desk 7kq2x9m4ab] Réunion: badge reader";
  o.message_id = message_id_for("7kq2x9m4ab", "h3k9p2qdxx", o.from.addr);
  o.in_reply_to = "abc@example.net";
  o.references = {"first@example.net", "abc@example.net"};
  o.date = t0;
  o.body = "Grüße,\n\na line with = and a very long line that goes on and on and on beyond seventy-six characters for sure.\n";
  o.ticket = "7kq2x9m4ab";
  std::string text = compose(o);
  CHECK_THAT(text, Catch::Contains("Auto-Submitted: auto-generated"));
  CHECK_THAT(text, Catch::Contains("X-Desk-Ticket: 7kq2x9m4ab"));
  Inbound m = parse_message(text);
  CHECK(m.subject == o.subject);
  CHECK(m.from.name == "Ëxample Desk");
  CHECK(m.to.front().name == "Zoë Martin");
  CHECK(m.message_id == "desk.7kq2x9m4ab.h3k9p2qdxx@example.com");
  CHECK(ticket_of_message_id(m.message_id) == "7kq2x9m4ab");
  CHECK(m.in_reply_to == "abc@example.net");
  CHECK(m.references == o.references);
  CHECK(m.kind == Kind::auto_reply);
  CHECK(m.desk_ticket == "7kq2x9m4ab");
  CHECK(trim(m.body) == trim(o.body));
  CHECK(refusal(m, mail_cfg().mail) != "");
}

TEST_CASE("the outbox queues what the customer hears about and records what was sent") {
  Config cfg = mail_cfg();
  Ticket t = customer_ticket(cfg);
  size_t n0 = t.history.size();
  t = comment(t, at(5, agent), "Which tray?", false).ticket;
  t = comment(t, at(6, agent), "looks like the fuser", true).ticket;
  t = wait(t, at(7, agent), "vendor", "asked HP").ticket;
  t = resume(t, at(8, agent), "").ticket;
  t = wait(t, at(9, agent), "customer", "please send the model").ticket;
  CHECK(queue_notices(t, n0, cfg.mail) == 2);  // the reply and the wait on the customer
  CHECK(pending_count(t) == 2);
  auto p = pending_messages(t, cfg, {}, t0);
  REQUIRE(p.size() == 2);
  CHECK(p[0].kind == "reply");
  CHECK(p[1].kind == "wait");
  CHECK(p[0].message.to.front().addr == "ana@example.org");
  CHECK(p[0].message.subject == "Re: [desk " + t.id + "] Printer jams");
  CHECK_THAT(p[0].message.body, Catch::Contains("Which tray?"));
  CHECK(p[0].message.message_id == message_id_for(t.id, p[0].entry, "help@example.com"));
  // Nothing was mailed before them: no thread yet.
  CHECK(p[1].message.in_reply_to.empty());
  Ticket sent = record_sent(t, at(10, agent), {p[0]}).ticket;
  CHECK(pending_count(sent) == 1);
  auto p2 = pending_messages(sent, cfg, {}, t0);
  REQUIRE(p2.size() == 1);
  CHECK(p2[0].message.in_reply_to.empty());  // mailed after the wait entry: not before it in the history
  CHECK_THROWS_AS(record_sent(record_sent(sent, at(11, agent), p2).ticket, at(12, agent), p2), Error);
  // A template of the desk's own replaces the built-in one; one without Subject is refused.
  auto custom = pending_messages(sent, cfg, {{"wait", "Subject: need {id}\n\nHi {requester_name}: {text}"}}, t0);
  CHECK(custom[0].message.subject == "need " + t.id);
  CHECK(custom[0].message.body == "Hi Ana: please send the model");
  CHECK_THROWS_AS(pending_messages(sent, cfg, {{"wait", "no subject"}}, t0), Error);
  // A ticket opened by mail: the acknowledgement answers the customer's message.
  Ticket byMail = customer_ticket(cfg);
  byMail.history.front().message_id = "first@example.org";
  CHECK(queue_notices(byMail, 0, cfg.mail) == 1);
  auto ack = pending_messages(byMail, cfg, {}, t0);
  REQUIRE(ack.size() == 1);
  CHECK(ack[0].kind == "ack");
  CHECK(ack[0].message.in_reply_to == "first@example.org");
  CHECK(ack[0].message.auto_submitted);
  // Mail off, or a requester without an address: nothing is queued.
  Config off = parse_config(default_config_text(), "c.toml");
  Ticket u = customer_ticket(cfg);
  u = comment(u, at(5, agent), "hi", false).ticket;
  CHECK(queue_notices(u, 1, off.mail) == 0);
  u.requester = "Ana";
  CHECK(queue_notices(u, 1, cfg.mail) == 0);
}

TEST_CASE("a reply by mail: survey answers, reopening, resuming, follow-ups") {
  Config cfg = mail_cfg();
  Ticket t = customer_ticket(cfg);
  // An ordinary reply: a customer message, which does not open a new ticket.
  auto c = take_reply(t, cfg, at(10, customer), reply_from("ana@example.org", "More info\n\nOn Mon, X wrote:\n> old"), "");
  REQUIRE(c);
  CHECK(c->ticket.status == "new");
  CHECK(c->ticket.history.back().text == "More info");
  CHECK(c->ticket.history.back().quoted == "On Mon, X wrote:\n> old");
  CHECK(c->ticket.history.back().message_id != "");
  // Waiting on the customer: the requester's reply resumes.
  Ticket w = wait(triage(t, cfg, at(1, agent), {}).ticket, at(2, agent), "customer", "model?").ticket;
  c = take_reply(w, cfg, at(20, customer), reply_from("ana@example.org", "HP 4250"), "");
  REQUIRE(c);
  CHECK(c->ticket.status == "open");
  // Resolved: a rating closes it with the rating; words within the window reopen it.
  Ticket r = resolve(w, at(30, agent), "replaced the roller").ticket;
  c = take_reply(r, cfg, at(40, customer), reply_from("ana@example.org", "5 - great"), "");
  REQUIRE(c);
  CHECK(c->ticket.status == "closed");
  CHECK(c->ticket.csat == 5);
  c = take_reply(r, cfg, at(40, customer), reply_from("ana@example.org", "still jams"), "");
  REQUIRE(c);
  CHECK(c->ticket.status == "open");
  CHECK(c->ticket.history[c->ticket.history.size() - 2].action == "reopen");
  // Past the window, or closed: a new ticket.
  CHECK_FALSE(take_reply(r, cfg, at(60 * 24 * 8, customer), reply_from("ana@example.org", "still jams"), ""));
  Ticket closed = close(r, at(50, agent), std::nullopt, "").ticket;
  CHECK_FALSE(take_reply(closed, cfg, at(60, customer), reply_from("ana@example.org", "again"), ""));
  // A closed ticket without a rating takes one.
  c = take_reply(closed, cfg, at(60, customer), reply_from("ana@example.org", "4"), "");
  REQUIRE(c);
  CHECK(c->ticket.csat == 4);
  CHECK(c->ticket.history.back().action == "rate");
  // Someone else's digit is not a rating.
  Ticket watched = r;
  watched.watchers = {"bo@example.net"};
  c = take_reply(watched, cfg, at(40, "bo@example.net"), reply_from("bo@example.net", "5"), "");
  REQUIRE(c);
  CHECK(c->ticket.status == "open");
}

TEST_CASE("threading: In-Reply-To, then References, then the tag, and only the people on a ticket") {
  Inbound m;
  m.in_reply_to = "unknown@x";
  m.references = {"a@x", "desk.7kq2x9m4ab.h3k9p2qdxx@example.com", "b@x"};
  m.subject = "Re: [desk zzzzzzzzzz] hi";
  auto lookup = [](const std::string& mid) { return mid == "a@x" ? std::vector<std::string>{"aaaaaaaaaa"} : std::vector<std::string>{}; };
  auto all = [](const std::string&) { return true; };
  Thread th = thread_of(m, lookup, all);
  CHECK(th.ticket == "7kq2x9m4ab");  // the newest reference desk knows
  CHECK(th.by == "References");
  th = thread_of(m, lookup, [](const std::string& id) { return id != "7kq2x9m4ab"; });
  CHECK(th.ticket == "aaaaaaaaaa");
  m.references.clear();
  th = thread_of(m, lookup, all);
  CHECK(th.ticket == "zzzzzzzzzz");
  CHECK(th.by == "subject tag");
  CHECK(thread_of(m, lookup, [](const std::string&) { return false; }).ticket.empty());
  Ticket t;
  t.requester = "Ana <ANA@example.org>";
  t.watchers = {"bo@example.net"};
  CHECK(on_ticket(t, "ana@example.org"));
  CHECK(on_ticket(t, "bo@example.net"));
  CHECK_FALSE(on_ticket(t, "mallory@example.net"));
  CHECK_FALSE(on_ticket(t, ""));
}

TEST_CASE("a hostile sender name stays data: the ticket is filed, the controls shown") {
  Config cfg = mail_cfg();
  Inbound m;
  m.from = Address{"Eve \xe2\x80\xae" "gnp.exe\x1b[2J", "eve@example.net"};
  m.cc = {Address{"\xc2\x9b" "Cc", "cc@example.net"}};
  m.message_id = "x@example.net";
  m.subject = "Help \xe2\x80\xae me";
  m.body = "text";
  Change c = take_new(cfg, at(0, person_of(m.from)), m, "", "", [](const std::string&) { return false; });
  // The escape sequence goes; the marker's '<' makes the name quoted, so the address still reads.
  CHECK(c.ticket.requester == "\"Eve <U+202E>gnp.exe\" <eve@example.net>");
  CHECK(address_of(c.ticket.requester) == "eve@example.net");
  CHECK(c.ticket.watchers == std::vector<std::string>{"\"<U+009B>Cc\" <cc@example.net>"});
  CHECK(c.ticket.title == "Help <U+202E> me");
}

TEST_CASE("attachments become safe paths under attachments/ID, the large ones are refused") {
  Inbound m;
  m.attachments = {{"../../etc/passwd", "text/plain", "root"}, {"a.pdf", "application/pdf", "12345"},
                   {"a.pdf", "application/pdf", "678"}, {"big.iso", "application/octet-stream", std::string(2000, 'x')}};
  auto plan = plan_attachments(m, "7kq2x9m4ab", 1000, [](const std::string& p) { return p == "attachments/7kq2x9m4ab/passwd"; });
  REQUIRE(plan.files.size() == 3);
  CHECK(plan.files[0].first == "attachments/7kq2x9m4ab/passwd-2");
  CHECK(plan.files[1].first == "attachments/7kq2x9m4ab/a.pdf");
  CHECK(plan.files[2].first == "attachments/7kq2x9m4ab/a-2.pdf");
  CHECK(plan.files[2].second == "678");
  CHECK_THAT(plan.note, Catch::Contains("Attachments not kept: big.iso"));
}
