#include <string>
#include <vector>

#include "catch.hpp"
#include "core/util/error.hpp"
#include "core/model/ticket.hpp"
#include "core/model/ticket_codec.hpp"
#include "core/model/toml_writer.hpp"
#include "core/util/timeutil.hpp"

using namespace desk;
using namespace std::string_literals;

namespace {

Timestamp time_of(const char* rfc3339) { return *parse_time(rfc3339); }

// A canonical ticket with every field set, unknown keys at every level, and every history field.
const std::string canonical = R"(# desk ticket: edit with `desk edit`, or by hand and commit; desk rewrites it canonically
format = 1
id = "7kq2x9ab3d"
title = "VPN drops every hour"
status = "pending"
waiting_on = "vendor"
tier = "L4"
priority = "P2"
impact = "high"
urgency = "medium"
type = "incident"
category = "network"
tags = ["vpn", "remote-work"]
requester = "Carol Customer <carol@example.com>"
assignee = "bo"
vendor = "acme-networks"
vendor_case = "ACME-4411"
template = "software-bug"
created = 2026-11-22T09:00:00Z
updated = 2026-11-23T10:30:00Z
resolution = "Firmware 4.2 fixes it"
related = ["8aaaaaaaaa", "8bbbbbbbbb"]
parent = "8ccccccccc"
problem = "8ddddddddd"
csat = 4
description = """
Since Monday the VPN drops.
Reconnecting helps \"for an hour\"."""
custom_list = [1, 2, 3]
custom_note = "kept as it is"

[x-imported]
from = "legacy"
number = 1234

[x-support]
paused = true
reason = "vendor"

[sla]
priority = "P2"
calendar = "business"
first_response = "1h"
next_update = "4h"
resolution = "1d2h30m"

[[checklist]]
text = "Collect the client log"
done = true

[[checklist]]
text = "Open the vendor case"
done = false
owner = "bo"

[[history]]
id = "aaaaaaaaaa"
at = 2026-11-22T09:00:00Z
by = "Carol Customer <carol@example.com>"
action = "create"
to = "L1"
status = "new"

[[history]]
id = "bbbbbbbbbb"
at = 2026-11-22T09:10:00Z
by = "Alice Agent <alice@example.com>"
action = "triage"
status = "open"
changes = [{ field = "priority", from = "P3", to = "P2" }, { field = "impact", from = "", to = "high" }]

[[history]]
id = "cccccccccc"
at = 2026-11-22T09:20:00Z
by = "Alice Agent <alice@example.com>"
action = "comment"
internal = true
text = """
Looks like the rekey.
Checking the logs."""
mood = "curious"

[[history]]
id = "dddddddddd"
at = 2026-11-22T10:00:00Z
by = "Alice Agent <alice@example.com>"
action = "escalate"
from = "L3"
to = "L4"
vendor = "acme-networks"
case = "ACME-4411"
text = "Firmware defect"

[history.source]
channel = "phone"

[[history]]
id = "eeeeeeeeee"
at = 2026-11-22T10:05:00Z
by = "Alice Agent <alice@example.com>"
action = "wait"
status = "pending"
on = "vendor"

[[history]]
id = "ffffffffff"
at = 2026-11-22T10:06:00Z
by = "Alice Agent <alice@example.com>"
action = "check"
step = 1
text = "Collect the client log"

[[history]]
id = "gggggggggg"
at = 2026-11-23T10:30:00Z
by = "Carol Customer <carol@example.com>"
action = "close"
status = "closed"
csat = 4

[[history]]
id = "hhhhhhhhhh"
at = 2026-11-23T11:00:00Z
by = "desk sweep"
action = "breach"
clock = "resolution"
due = 2026-11-23T10:00:00Z
)";

// A ticket with every field of the model set, including unknown keys.
Ticket full_ticket() {
  Ticket t;
  t.id = "7kq2x9ab3d";
  t.title = "VPN drops every hour";
  t.status = "pending";
  t.waiting_on = "customer";
  t.tier = "L2";
  t.priority = "P1";
  t.impact = "high";
  t.urgency = "high";
  t.type = "incident";
  t.category = "network";
  t.tags = {"vpn", "remote work", "\xc3\xa9t\xc3\xa9"};
  t.requester = "Carol <carol@example.com>";
  t.assignee = "bo";
  t.vendor = "acme-networks";
  t.vendor_case = "ACME-1";
  t.template_name = "software-bug";
  t.created = time_of("2026-11-22T09:00:00Z");
  t.updated = time_of("2026-11-22T11:00:00Z");
  t.resolution = "Rolled back";
  t.related = {"8aaaaaaaaa", "8bbbbbbbbb"};
  t.parent = "8ccccccccc";
  t.problem = "8ddddddddd";
  t.csat = 5;
  t.description = "line one\nline two";
  SlaPolicy sla;
  sla.priority = "P1";
  sla.calendar = "24x7";
  sla.first_response = std::chrono::seconds(900);
  sla.next_update = std::chrono::seconds(3600);
  sla.resolution = std::chrono::seconds(4 * 3600 + 61);
  t.sla = sla;
  t.extra.insert("zeta", 1.5);
  t.extra.insert("alpha", toml::array{"a", "b"});
  t.extra.insert("nested", toml::table{{"inner", toml::table{{"deep", true}}}, {"n", 2}});
  t.extra.insert("rows", toml::array{toml::table{{"k", 1}}, toml::table{{"k", 2}}});
  t.checklist.push_back({"step one", true, false, {}});
  ChecklistItem item{"step two", false, true, {}};
  item.extra.insert("owner", "bo");
  item.extra.insert("meta", toml::table{{"due", "tomorrow"}});
  t.checklist.push_back(item);
  HistoryEntry e;
  e.id = "hhhhhhhhhh";
  e.at = time_of("2026-11-22T10:00:00Z");
  e.by = "Alice Agent <alice@example.com>";
  e.action = "escalate";
  e.from = "L1";
  e.to = "L2";
  e.status = "open";
  e.on = "customer";
  e.vendor = "acme-networks";
  e.vendor_case = "ACME-1";
  e.internal = true;
  e.clock = "first_response";
  e.due = time_of("2026-11-22T09:15:00Z");
  e.changes = {{"priority", "P3", "P1"}, {"tags", "", "vpn,remote work"}};
  e.step = 2;
  e.csat = 3;
  e.text = "hand-off\nnote";
  e.extra.insert("channel", "phone");
  e.extra.insert("attachments", toml::array{toml::table{{"name", "log.txt"}}});
  t.history.push_back(e);
  HistoryEntry plain;
  plain.id = "jjjjjjjjjj";
  plain.at = time_of("2026-11-22T11:00:00Z");
  plain.by = "bo";
  plain.action = "comment";
  t.history.push_back(plain);
  return t;
}

void check_same(const Ticket& a, const Ticket& b) {
  CHECK(a.format == b.format);
  CHECK(a.id == b.id);
  CHECK(a.title == b.title);
  CHECK(a.status == b.status);
  CHECK(a.waiting_on == b.waiting_on);
  CHECK(a.tier == b.tier);
  CHECK(a.priority == b.priority);
  CHECK(a.impact == b.impact);
  CHECK(a.urgency == b.urgency);
  CHECK(a.type == b.type);
  CHECK(a.category == b.category);
  CHECK(a.tags == b.tags);
  CHECK(a.requester == b.requester);
  CHECK(a.assignee == b.assignee);
  CHECK(a.vendor == b.vendor);
  CHECK(a.vendor_case == b.vendor_case);
  CHECK(a.template_name == b.template_name);
  CHECK(a.created == b.created);
  CHECK(a.updated == b.updated);
  CHECK(a.resolution == b.resolution);
  CHECK(a.related == b.related);
  CHECK(a.parent == b.parent);
  CHECK(a.problem == b.problem);
  CHECK(a.csat == b.csat);
  CHECK(a.description == b.description);
  CHECK(a.sla == b.sla);
  CHECK(a.extra == b.extra);
  REQUIRE(a.checklist.size() == b.checklist.size());
  for (size_t i = 0; i < a.checklist.size(); ++i) {
    CHECK(a.checklist[i].text == b.checklist[i].text);
    CHECK(a.checklist[i].done == b.checklist[i].done);
    CHECK(a.checklist[i].extra == b.checklist[i].extra);
  }
  REQUIRE(a.history.size() == b.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) {
    const HistoryEntry &x = a.history[i], &y = b.history[i];
    CHECK(x.id == y.id);
    CHECK(x.at == y.at);
    CHECK(x.by == y.by);
    CHECK(x.action == y.action);
    CHECK(x.from == y.from);
    CHECK(x.to == y.to);
    CHECK(x.status == y.status);
    CHECK(x.on == y.on);
    CHECK(x.vendor == y.vendor);
    CHECK(x.vendor_case == y.vendor_case);
    CHECK(x.internal == y.internal);
    CHECK(x.clock == y.clock);
    CHECK(x.due == y.due);
    CHECK(x.step == y.step);
    CHECK(x.csat == y.csat);
    CHECK(x.text == y.text);
    CHECK(x.extra == y.extra);
    REQUIRE(x.changes.size() == y.changes.size());
    for (size_t k = 0; k < x.changes.size(); ++k) {
      CHECK(x.changes[k].field == y.changes[k].field);
      CHECK(x.changes[k].from == y.changes[k].from);
      CHECK(x.changes[k].to == y.changes[k].to);
    }
  }
}

// The "path:line:column: message" of the Error parse_ticket throws.
std::string parse_error(const std::string& text) {
  try {
    parse_ticket(text, "tickets/7k/7kq2x9ab3d.toml");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid);
    CHECK_FALSE(e.hint().empty());
    return e.what();
  }
  FAIL("parse_ticket accepted:\n" << text);
  return {};
}

const std::string minimal = "id = \"7kq2x9ab3d\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n";

}  // namespace

TEST_CASE("a canonical ticket file is re-emitted byte for byte", "[codec]") {
  Ticket t = parse_ticket(canonical, "t.toml");
  CHECK(emit_ticket(t) == canonical);
}

TEST_CASE("a canonical ticket file parses into the fields it shows", "[codec]") {
  Ticket t = parse_ticket(canonical, "t.toml");
  CHECK(t.format == 1);
  CHECK(t.id == "7kq2x9ab3d");
  CHECK(t.status == "pending");
  CHECK(t.waiting_on == "vendor");
  CHECK(t.tags == std::vector<std::string>{"vpn", "remote-work"});
  CHECK(t.template_name == "software-bug");
  CHECK(format_time(t.created) == "2026-11-22T09:00:00Z");
  CHECK(format_time(t.updated) == "2026-11-23T10:30:00Z");
  CHECK(t.csat == 4);
  CHECK(t.description == "Since Monday the VPN drops.\nReconnecting helps \"for an hour\".");
  CHECK(t.extra.size() == 4);
  CHECK(t.extra["custom_note"].value<std::string>() == "kept as it is");
  CHECK(t.extra["x-support"]["paused"].value<bool>() == true);
  REQUIRE(t.sla);
  CHECK(t.sla->priority == "P2");
  CHECK(t.sla->calendar == "business");
  CHECK(t.sla->first_response == std::chrono::seconds(3600));
  CHECK(t.sla->resolution == std::chrono::seconds(95400));
  CHECK(t.extra["x-imported"]["number"].value<int64_t>() == 1234);
  REQUIRE(t.checklist.size() == 2);
  CHECK(t.checklist[0].done);
  CHECK(t.checklist[1].extra["owner"].value<std::string>() == "bo");
  REQUIRE(t.history.size() == 8);
  CHECK(t.history[7].clock == "resolution");
  CHECK(t.history[7].due == time_of("2026-11-23T10:00:00Z"));
  CHECK(t.history[1].changes.size() == 2);
  CHECK(t.history[1].changes[1].from == "");
  CHECK(t.history[2].internal);
  CHECK(t.history[2].extra["mood"].value<std::string>() == "curious");
  CHECK(t.history[3].vendor_case == "ACME-4411");
  CHECK(t.history[3].extra["source"]["channel"].value<std::string>() == "phone");
  CHECK(t.history[4].on == "vendor");
  CHECK(t.history[5].step == 1);
  CHECK(t.history[6].csat == 4);
}

TEST_CASE("a ticket with every field set survives emit and parse unchanged", "[codec]") {
  Ticket t = full_ticket();
  std::string text = emit_ticket(t);
  Ticket back = parse_ticket(text, "t.toml");
  check_same(back, t);
  CHECK(emit_ticket(back) == text);
}

TEST_CASE("a minimal ticket gets its defaults and a canonical form", "[codec]") {
  Ticket t = parse_ticket(minimal, "t.toml");
  CHECK(t.format == 1);
  CHECK(t.updated == t.created);  // updated defaults to created
  CHECK(t.tags.empty());
  CHECK_FALSE(t.csat);
  CHECK(emit_ticket(t) ==
        "# desk ticket: edit with `desk edit`, or by hand and commit; desk rewrites it canonically\n"
        "format = 1\n"
        "id = \"7kq2x9ab3d\"\n"
        "title = \"x\"\n"
        "status = \"new\"\n"
        "tags = []\n"
        "created = 2026-11-22T09:00:00Z\n"
        "updated = 2026-11-22T09:00:00Z\n");
}

TEST_CASE("hostile and unusual texts survive emit and parse in every text field", "[codec]") {
  std::string text = GENERATE(as<std::string>{},
      "plain",
      "two\nlines",
      "trailing newline\n",
      "\nleading newline",
      "\n",
      "\n\n\n",
      "say \"hi\"",
      "ends with a quote\"",
      "ends with two quotes\"\"",
      "\"starts with a quote",
      "back\\slash",
      "ends with a backslash\\",
      "line ending in a backslash\\\nnext line",
      "triple \"\"\" quotes",
      "\"\"\"",
      "\"\"\"\"\"\"",
      "multi\nline with \"\"\" inside\n\"\"\"",
      "'''literal''' quotes",
      "tab\there\tand\tthere",
      "multi\nline\twith\ttabs",
      "cr\rlf\r\nmixed",
      "control \x01\x02\x1b[31mred\x1b[0m\x7f",
      "bell \a form\f back\b vt\v",
      "nul "s + '\0' + " inside",
      "C1 \xc2\x85\xc2\x9b",
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xe2\x80\xae",
      "  leading and trailing spaces  ",
      "# not a comment",
      "x = 1\n[[history]]\nid = \"forged\"",
      "\\u0041 is not an escape here",
      "\\n is not a newline here",
      "${HOME} $(rm -rf /) `id`");
  CAPTURE(text);
  Ticket t = full_ticket();
  t.title = text;
  t.description = text;
  t.resolution = text;
  t.category = text;
  t.requester = text;
  t.assignee = text;
  t.tags = {text, "other"};
  t.checklist[0].text = text;
  t.checklist[1].extra.insert_or_assign("note", text);
  t.history[0].text = text;
  t.history[0].by = text;
  t.history[0].changes[0].from = text;
  t.history[0].changes[0].to = text;
  t.extra.insert_or_assign("free", text);
  std::string emitted = emit_ticket(t);
  Ticket back = parse_ticket(emitted, "t.toml");
  check_same(back, t);
  CHECK(emit_ticket(back) == emitted);
  CHECK(back.history.size() == 2);  // nothing forged
}

TEST_CASE("the fast reader of canonical files reads what toml++ reads, hostile texts included", "[codec][fast]") {
  std::string text = GENERATE(as<std::string>{}, "plain", "two\nlines", "\n", "say \"hi\"", "ends with a quote\"",
                              "back\\slash", "line ending in a backslash\\\nnext line", "\"\"\"", "multi\nline with \"\"\" inside\n\"\"\"",
                              "tab\there", "cr\rlf\r\nmixed", "control \x01\x1b[31mred\x7f", "nul "s + '\0' + " inside",
                              "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xae", "x = 1\n[[history]]\nid = \"forged\"", "\\u0041 \\n");
  CAPTURE(text);
  Ticket t = full_ticket();
  t.extra = {};
  for (auto& c : t.checklist) c.extra = {};
  if (t.sla) t.sla->extra = {};
  for (auto& e : t.history) {
    e.extra = {};
    for (auto& c : e.changes) c.extra = {};
  }
  t.title = t.description = t.resolution = t.requester = text;
  t.tags = {text, "other"};
  t.checklist[0].text = text;
  t.history[0].text = t.history[0].by = t.history[0].changes[0].from = text;
  std::string emitted = emit_ticket(t);
  auto fast = parse_canonical_ticket(emitted);
  REQUIRE(fast);
  // One more newline is not canonical: the fast reader declines and toml++ reads it.
  CHECK_FALSE(parse_canonical_ticket(emitted + "\n"));
  Ticket slow = parse_ticket(emitted + "\n", "t.toml");
  check_same(*fast, slow);
  check_same(*fast, t);
}

TEST_CASE("the fast reader declines a file that is not UTF-8, as toml++ does", "[codec][fast]") {
  // Found by fuzz/fuzz_ticket (crashes/ticket/invalid-utf8-in-string): a canonical file with a
  // stray byte in a string was read by the fast reader while toml++ refused it, so the index and
  // a reader without it disagreed on whether the ticket exists.
  Ticket t = full_ticket();
  t.extra = {};
  for (auto& c : t.checklist) c.extra = {};
  if (t.sla) t.sla->extra = {};
  for (auto& e : t.history) {
    e.extra = {};
    for (auto& c : e.changes) c.extra = {};
  }
  for (std::string bad : {"\x85"s, "\xc3"s, "\xed\xa0\x80"s, "\xf4\x90\x80\x80"s, "\xc0\xaf"s}) {
    t.title = "bad " + bad + " byte";
    std::string emitted = emit_ticket(t);
    CAPTURE(emitted);
    CHECK_FALSE(parse_canonical_ticket(emitted));
    CHECK_THROWS_AS(parse_ticket(emitted, "t.toml"), Error);
  }
}

TEST_CASE("a time desk could not write back is an error in the file, not a ticket it rewrites unreadably", "[codec]") {
  // Found with fuzz/fuzz_ticket (crashes/ticket/year-0000-plus-offset, year-9999-minus-offset).
  for (const char* when : {"0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "\"0000-01-01T00:00:00+00:01\""}) {
    std::string text = std::string("format = 1\nid = \"7kq2x9abcd\"\ntitle = \"t\"\nstatus = \"new\"\ncreated = ") + when + "\n";
    CAPTURE(text);
    CHECK_THROWS_WITH(parse_ticket(text, "t.toml"), Catch::StartsWith("t.toml:5:11: created must be a date-time"));
  }
  Ticket t = parse_ticket("format = 1\nid = \"7kq2x9abcd\"\ntitle = \"t\"\nstatus = \"new\"\ncreated = 0000-01-01T00:00:00-01:00\n", "t.toml");
  CHECK(parse_ticket(emit_ticket(t), "again.toml").created == t.created);
}

TEST_CASE("the fast reader declines what is not canonical", "[codec][fast]") {
  CHECK(parse_canonical_ticket(canonical) == std::nullopt);  // unknown keys
  Ticket t = parse_ticket(canonical, "t.toml");
  t.extra = {};
  std::string text = emit_ticket(Ticket{});
  CHECK_FALSE(parse_canonical_ticket(text));  // no id: parse_ticket's error to report
  CHECK_FALSE(parse_canonical_ticket("format = 1\nid = \"7kq2x9ab3d\"\n"));
  CHECK_FALSE(parse_canonical_ticket(""));
}

TEST_CASE("unknown keys at every level survive and are re-emitted sorted and stable", "[codec]") {
  // Hand-written, not canonical: keys out of order, comments, unknown keys everywhere.
  const std::string hand = R"(# my notes about this ticket
status = "open"
zz_top = "last"
title = "Printer jams"
id = "7kq2x9ab3d"
aa_first = [true, false]
created = 2026-11-22T09:00:00Z
when = 2026-11-22T09:00:00+01:00
day = 2026-11-22
ratio = 0.25
count = 0x10
inline = { b = 2, a = 1 }
mixed = [{ b = 2, a = 1 }, "x"]
"odd key" = "quoted"

[custom]
b = 2
a = 1

[custom.deeper]
flag = true

[[links]]
url = "https://example.com/1"

[[links]]
url = "https://example.com/2"

[[checklist]]
owner = "bo"
text = "Clear the paper path"

[checklist.meta]
minutes = 5

[[history]]
text = "filed by phone"
action = "create"
id = "aaaaaaaaaa"
at = 2026-11-22T09:00:00Z
channel = "phone"

[[history.attachments]]
name = "photo.jpg"
)";
  Ticket t = parse_ticket(hand, "t.toml");
  CHECK(t.extra.size() == 11);
  CHECK(t.checklist.at(0).extra.size() == 2);
  CHECK(t.history.at(0).extra.size() == 2);

  std::string first = emit_ticket(t);
  Ticket again = parse_ticket(first, "t.toml");
  check_same(again, t);
  CHECK(emit_ticket(again) == first);

  // Unknown keys come after the known ones: values sorted by key (inline tables only inside
  // mixed arrays), then tables and arrays of tables as sections, sorted by key.
  const std::string expected_tail = R"(updated = 2026-11-22T09:00:00Z
aa_first = [true, false]
count = 16
day = 2026-11-22
mixed = [{ a = 1, b = 2 }, "x"]
"odd key" = "quoted"
ratio = 0.25
when = 2026-11-22T09:00:00+01:00
zz_top = "last"

[custom]
a = 1
b = 2

[custom.deeper]
flag = true

[inline]
a = 1
b = 2

[[links]]
url = "https://example.com/1"

[[links]]
url = "https://example.com/2"

[[checklist]]
text = "Clear the paper path"
done = false
owner = "bo"

[checklist.meta]
minutes = 5

[[history]]
id = "aaaaaaaaaa"
at = 2026-11-22T09:00:00Z
by = ""
action = "create"
text = "filed by phone"
channel = "phone"

[[history.attachments]]
name = "photo.jpg"
)";
  CHECK_THAT(first, Catch::EndsWith(expected_tail));
  CHECK(first.find("my notes") == std::string::npos);  // comments are not kept
}

TEST_CASE("a chain of dotted keys is written with its path once, not once per level", "[codec][limits]") {
  // x.a.b.c... = 1 once became one [x.a], [x.a.b], [x.a.b.c] ... header per level: a 20 KB
  // ticket grew to 100 MB. A table that holds only tables gets no header of its own.
  std::string path = "x";
  for (int i = 0; i < 15; ++i) path += ".level" + std::to_string(i);
  std::string text = minimal + path + ".leaf = 1\n" + path + ".other = 2\n";
  Ticket t = parse_ticket(text, "t.toml");
  std::string out = emit_ticket(t);
  CHECK_THAT(out, Catch::EndsWith("\n[" + path + "]\nleaf = 1\nother = 2\n"));
  CHECK(out.find("[x]") == std::string::npos);
  CHECK(out.find("[x.level0]") == std::string::npos);
  CHECK(out.size() < text.size() + 400);
  Ticket again = parse_ticket(out, "t.toml");
  CHECK(again.extra == t.extra);
  CHECK(emit_ticket(again) == out);
  // An empty table still has its header (it exists by it); a table with values and tables has one.
  Ticket u = parse_ticket(minimal + "[empty]\n\n[mid]\nv = 1\n\n[mid.sub.deeper]\nw = 2\n", "t.toml");
  std::string emitted = emit_ticket(u);
  CHECK_THAT(emitted, Catch::EndsWith("\n[empty]\n\n[mid]\nv = 1\n\n[mid.sub.deeper]\nw = 2\n"));
  CHECK(parse_ticket(emitted, "t.toml").extra == u.extra);
}

TEST_CASE("unknown keys may nest 16 levels, a deeper one makes the file a problem", "[codec][limits]") {
  auto chain = [](int depth) {
    std::string k = "x";
    for (int i = 0; i < depth; ++i) k += ".k";
    return k + " = 1\n";
  };
  CHECK_NOTHROW(parse_ticket(minimal + chain(16), "t.toml"));
  CHECK_THROWS_WITH(parse_ticket(minimal + chain(17), "t.toml"),
                    Catch::StartsWith("t.toml:") && Catch::Contains("x nests tables or arrays more than 16 levels deep"));
  CHECK_NOTHROW(parse_ticket(minimal + "y = " + std::string(16, '[') + "1" + std::string(16, ']') + "\n", "t.toml"));
  CHECK_THROWS_WITH(parse_ticket(minimal + "y = " + std::string(17, '[') + "1" + std::string(17, ']') + "\n", "t.toml"),
                    Catch::Contains("y nests tables or arrays more than 16 levels deep"));
  // In a history entry too.
  std::string entry = "[[history]]\nid = \"aaaaaaaaaa\"\nat = 2026-11-22T09:00:00Z\naction = \"create\"\n";
  CHECK_NOTHROW(parse_ticket(minimal + entry + chain(16), "t.toml"));
  CHECK_THROWS_WITH(parse_ticket(minimal + entry + chain(17), "t.toml"), Catch::Contains("history[0].x nests"));
}

TEST_CASE("a chain of dotted keys megabytes long is refused before toml++ builds it", "[codec][limits]") {
  std::string deep = "z";
  for (int i = 0; i < 1000000; ++i) deep += ".a";
  CHECK_THROWS_WITH(parse_ticket(minimal + deep + " = 1\n", "t.toml"),
                    Catch::StartsWith("t.toml:5:") && Catch::Contains("levels deep"));
  CHECK_THROWS_WITH(parse_ticket(minimal + "y = " + std::string(100000, '[') + "\n", "t.toml"), Catch::Contains("levels deep"));
}

TEST_CASE("a ticket file over 4 MiB is refused before it is parsed", "[codec][limits]") {
  std::string big = minimal + "description = \"" + std::string((4 << 20) - minimal.size() - 30, 'x') + "\"\n";
  REQUIRE(big.size() <= (4u << 20));
  CHECK_NOTHROW(parse_ticket(big, "t.toml"));
  big.insert(minimal.size() + 16, std::string(64, 'y'));
  CHECK_THROWS_WITH(parse_ticket(big, "tickets/7k/7kq2x9ab3d.toml"),
                    Catch::StartsWith("tickets/7k/7kq2x9ab3d.toml: the file is 4.0 MiB, over the 4.0 MiB"));
}

TEST_CASE("unknown keys inside history changes survive", "[codec]") {
  // DESIGN: "keys desk does not know are kept, not dropped", also inside inline change tables.
  const std::string text = minimal + R"(
[[history]]
id = "aaaaaaaaaa"
at = 2026-11-22T09:00:00Z
action = "edit"
changes = [{ field = "title", from = "a", to = "b", reviewer = "bo" }]
)";
  std::string emitted = emit_ticket(parse_ticket(text, "t.toml"));
  CHECK_THAT(emitted, Catch::Contains(R"(changes = [{ field = "title", from = "a", to = "b", reviewer = "bo" }])"));
  CHECK(emit_ticket(parse_ticket(emitted, "t.toml")) == emitted);
}

TEST_CASE("ticket file errors say path:line:column and what is wrong", "[codec]") {
  auto [text, expected] = GENERATE_REF(table<std::string, std::string>({
      {"id = \"7kq2x9ab3d\"\ntitle = \"unterminated\nstatus = \"new\"\n", "tickets/7k/7kq2x9ab3d.toml:2:"},
      {"id = \"7kq2x9ab3d\"\n[[history]\n", "tickets/7k/7kq2x9ab3d.toml:2:"},
      {minimal + "title = \"twice\"\n", "tickets/7k/7kq2x9ab3d.toml:5:"},
      {"title = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:1: missing required key 'id'"},
      {"id = \"7kq2x9ab3d\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:1: missing required key 'title'"},
      {"id = \"7kq2x9ab3d\"\ntitle = \"x\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:1: missing required key 'status'"},
      {"id = \"7kq2x9ab3d\"\ntitle = \"x\"\nstatus = \"new\"\n", "tickets/7k/7kq2x9ab3d.toml:1:1: missing required key 'created'"},
      {"id = \"7kq2x9ab3d\"\ntitle = \"x\"\nstatus = \"bogus\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:3:10: unknown status 'bogus' (one of new, open, pending, resolved, closed)"},
      {"id = \"7kq2x9ab3d\"\ntitle = 5\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:2:9: title must be a string"},
      {"id = \"7kq2x9ab3d\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = \"yesterday\"\n",
       "tickets/7k/7kq2x9ab3d.toml:4:11: created must be a date-time"},
      {"id = \"7kq2x9ab3d\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22\n",
       "tickets/7k/7kq2x9ab3d.toml:4:11: created must be a date-time"},
      {"id = \"ABCDEFGHJK\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:6: 'ABCDEFGHJK' is not a ticket id"},
      {"id = \"../../etc/pw\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:6: '../../etc/pw' is not a ticket id"},
      {"id = \"7kq2\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:6: '7kq2' is not a ticket id"},
      {"id = 7\ntitle = \"x\"\nstatus = \"new\"\ncreated = 2026-11-22T09:00:00Z\n",
       "tickets/7k/7kq2x9ab3d.toml:1:6: id must be a string"},
      {minimal + "tags = \"vpn\"\n", "tickets/7k/7kq2x9ab3d.toml:5:8: tags must be an array of strings"},
      {minimal + "tags = [\"vpn\", 3]\n", "tickets/7k/7kq2x9ab3d.toml:5:16: tags must be an array of strings"},
      {minimal + "csat = 9\n", "tickets/7k/7kq2x9ab3d.toml:5:8: csat must be between 1 and 5"},
      {minimal + "csat = \"5\"\n", "tickets/7k/7kq2x9ab3d.toml:5:8: csat must be an integer"},
      {"format = 2\n" + minimal, "tickets/7k/7kq2x9ab3d.toml:1:10: ticket format 2 is not supported"},
      {minimal + "checklist = 3\n", "tickets/7k/7kq2x9ab3d.toml:5:13: checklist must be an array of tables"},
      {minimal + "checklist = [\"a\"]\n", "tickets/7k/7kq2x9ab3d.toml:5:13: checklist must be an array of tables"},
      {minimal + "[[checklist]]\ntext = \"a\"\ndone = \"yes\"\n",
       "tickets/7k/7kq2x9ab3d.toml:7:8: checklist[0].done must be true or false"},
      {minimal + "[[history]]\nid = \"aaaaaaaaaa\"\nat = 2026-11-22T09:00:00Z\nstep = \"two\"\naction = \"check\"\n",
       "tickets/7k/7kq2x9ab3d.toml:8:8: history[0].step must be an integer"},
      {minimal + "[[history]]\nid = \"aaaaaaaaaa\"\nat = 2026-11-22T09:00:00Z\naction = \"comment\"\ninternal = 1\n",
       "tickets/7k/7kq2x9ab3d.toml:9:12: history[0].internal must be true or false"},
      {minimal + "[[history]]\nid = \"aaaaaaaaaa\"\nat = \"soon\"\naction = \"comment\"\n",
       "tickets/7k/7kq2x9ab3d.toml:7:6: history[0].at must be a date-time"},
      {minimal + "[[history]]\nid = \"aaaaaaaaaa\"\nat = 2026-11-22T09:00:00Z\naction = \"edit\"\nchanges = \"title\"\n",
       "tickets/7k/7kq2x9ab3d.toml:9:11: history changes must be an array"},
  }));
  CAPTURE(text);
  CHECK_THAT(parse_error(text), Catch::StartsWith(expected));
}

TEST_CASE("a missing key inside an array-of-tables entry names the entry and the key", "[codec]") {
  std::string m1 = parse_error(minimal + "[[checklist]]\ndone = true\n");
  CHECK_THAT(m1, Catch::StartsWith("tickets/7k/7kq2x9ab3d.toml:5:1: "));
  CHECK_THAT(m1, Catch::Contains("checklist[0]") && Catch::Contains("missing required key 'text'"));
  std::string m2 = parse_error(minimal + "[[history]]\nid = \"aaaaaaaaaa\"\nat = 2026-11-22T09:00:00Z\n");
  CHECK_THAT(m2, Catch::StartsWith("tickets/7k/7kq2x9ab3d.toml:5:1: "));
  CHECK_THAT(m2, Catch::Contains("history[0]") && Catch::Contains("missing required key 'action'"));
}

TEST_CASE("times with offsets or without one parse to UTC and are written in UTC", "[codec]") {
  auto [written, utc] = GENERATE(table<std::string, std::string>({
      {"2026-11-22T10:00:00+01:00", "2026-11-22T09:00:00Z"},
      {"2026-11-22T04:00:00-05:00", "2026-11-22T09:00:00Z"},
      {"2026-11-22T09:00:00.750Z", "2026-11-22T09:00:00Z"},
      {"\"2026-11-22T09:00:00Z\"", "2026-11-22T09:00:00Z"},
  }));
  CAPTURE(written);
  Ticket t = parse_ticket("id = \"7kq2x9ab3d\"\ntitle = \"x\"\nstatus = \"new\"\ncreated = " + written + "\n", "t.toml");
  CHECK(format_time(t.created) == utc);
  CHECK_THAT(emit_ticket(t), Catch::Contains("created = " + utc + "\n"));
}

TEST_CASE("ticket_field gives scalar fields as text and nothing for other names", "[codec]") {
  Ticket t = full_ticket();
  auto [name, value] = GENERATE(table<std::string, std::string>({
      {"id", "7kq2x9ab3d"},
      {"title", "VPN drops every hour"},
      {"status", "pending"},
      {"waiting_on", "customer"},
      {"tier", "L2"},
      {"priority", "P1"},
      {"impact", "high"},
      {"urgency", "high"},
      {"type", "incident"},
      {"category", "network"},
      {"tags", "vpn,remote work,\xc3\xa9t\xc3\xa9"},
      {"requester", "Carol <carol@example.com>"},
      {"assignee", "bo"},
      {"vendor", "acme-networks"},
      {"vendor_case", "ACME-1"},
      {"template", "software-bug"},
      {"created", "2026-11-22T09:00:00Z"},
      {"updated", "2026-11-22T11:00:00Z"},
      {"resolution", "Rolled back"},
      {"csat", "5"},
      {"description", "line one\nline two"},
  }));
  CAPTURE(name);
  CHECK(ticket_field(t, name) == value);
}

TEST_CASE("ticket_field is empty for unset fields and nullopt for unknown names", "[codec]") {
  Ticket t = parse_ticket(minimal, "t.toml");
  CHECK(ticket_field(t, "csat") == "");
  CHECK(ticket_field(t, "assignee") == "");
  CHECK(ticket_field(t, "tags") == "");
  CHECK_FALSE(ticket_field(t, "history"));
  CHECK_FALSE(ticket_field(t, "checklist"));
  CHECK_FALSE(ticket_field(t, "colour"));
}

TEST_CASE("only new, open and pending are active statuses", "[codec]") {
  CHECK(is_active_status("new"));
  CHECK(is_active_status("open"));
  CHECK(is_active_status("pending"));
  CHECK_FALSE(is_active_status("resolved"));
  CHECK_FALSE(is_active_status("closed"));
  CHECK_FALSE(is_active_status("bogus"));
}

TEST_CASE("unknown keys inside the [sla] table survive", "[codec]") {
  // DESIGN: "keys desk does not know are kept, not dropped", also in [sla].
  const std::string text = minimal + "\n[sla]\npriority = \"P3\"\nx_reviewed_by = \"bo\"\n";
  std::string emitted = emit_ticket(parse_ticket(text, "t.toml"));
  CHECK_THAT(emitted, Catch::Contains("x_reviewed_by = \"bo\""));
  CHECK(emit_ticket(parse_ticket(emitted, "t.toml")) == emitted);
}

TEST_CASE("peek_status reads the status line of canonical files and gives up on anything else", "[codec]") {
  // Every status, from files the emitter wrote.
  for (const auto& status : all_statuses) {
    Ticket t = parse_ticket(minimal, "t.toml");
    t.status = status;
    t.description = "line one\nstatus = \"closed\"\n";
    std::string emitted = emit_ticket(t);  // peek_status returns a view into its argument
    auto peeked = peek_status(emitted);
    REQUIRE(peeked.has_value());
    CHECK(*peeked == status);
  }
  // A multi-line string before the status, a table first, a quoted key, an escape: parse instead.
  CHECK_FALSE(peek_status("id = \"x\"\ndescription = \"\"\"\nstatus = \"closed\"\n\"\"\"\nstatus = \"open\"\n").has_value());
  CHECK_FALSE(peek_status("[sla]\nstatus = \"closed\"\n").has_value());
  CHECK_FALSE(peek_status("\"status\" = \"open\"\n").has_value());
  CHECK_FALSE(peek_status("status = \"op\\u0065n\"\n").has_value());
  CHECK_FALSE(peek_status("status = 'open'\n").has_value());
  CHECK(peek_status("id = \"x\"\r\nstatus = \"pending\"\r\n") == std::optional<std::string_view>("pending"));
  CHECK_FALSE(peek_status("").has_value());
}

namespace {
// The canonical ticket without the keys desk does not know (those stay TOML in the index).
Ticket known_keys_only() {
  Ticket t = parse_ticket(canonical, "t.toml");
  t.extra = {};
  if (t.sla) t.sla->extra = {};
  for (auto& c : t.checklist) c.extra = {};
  for (auto& e : t.history) {
    e.extra = {};
    for (auto& c : e.changes) c.extra = {};
  }
  return t;
}
}  // namespace

TEST_CASE("the index's binary form of a ticket decodes to the same ticket", "[codec][index]") {
  Ticket t = known_keys_only();
  auto enc = encode_ticket(t);
  REQUIRE(enc);
  Ticket back = decode_ticket(*enc);
  CHECK(emit_ticket(back) == emit_ticket(t));
  CHECK(back.history.size() == t.history.size());
  Ticket minimal;
  minimal.id = "7kq2x9ab3d";
  minimal.title = "t";
  CHECK(emit_ticket(decode_ticket(*encode_ticket(minimal))) == emit_ticket(minimal));
}

TEST_CASE("related, parent and problem survive the binary form and the TOML, and stay out when unset", "[codec][index][relations]") {
  Ticket t = known_keys_only();
  REQUIRE(t.related == std::vector<std::string>{"8aaaaaaaaa", "8bbbbbbbbb"});
  REQUIRE(t.parent == "8ccccccccc");
  REQUIRE(t.problem == "8ddddddddd");
  Ticket back = decode_ticket(*encode_ticket(t));
  CHECK(back.related == t.related);
  CHECK(back.parent == t.parent);
  CHECK(back.problem == t.problem);
  // The fast reader and toml++ agree on them.
  std::string text = emit_ticket(t);
  auto fast = parse_canonical_ticket(text);
  REQUIRE(fast);
  CHECK(fast->related == t.related);
  CHECK(fast->parent == t.parent);
  CHECK(fast->problem == t.problem);
  Ticket slow = parse_ticket_toml(text, "t.toml");
  CHECK(slow.related == t.related);
  CHECK(slow.problem == t.problem);
  // Unset: no keys at all, so tickets written before relations existed re-emit unchanged.
  t.related.clear();
  t.parent.clear();
  t.problem.clear();
  std::string none = emit_ticket(t);
  CHECK(none.find("related") == std::string::npos);
  CHECK(none.find("parent") == std::string::npos);
  CHECK(none.find("\nproblem") == std::string::npos);
  Ticket none_back = decode_ticket(*encode_ticket(t));
  CHECK(none_back.related.empty());
  CHECK(none_back.parent.empty());
  CHECK(none_back.problem.empty());
  CHECK(ticket_codec_version >= 4);  // an index of the codec before relations is rebuilt
}

TEST_CASE("a ticket with unknown keys has no binary form", "[codec][index]") {
  CHECK_FALSE(encode_ticket(parse_ticket(canonical, "t.toml")));
  Ticket t = known_keys_only();
  t.history.front().extra.insert("x_new", 1);
  CHECK_FALSE(encode_ticket(t));
}

TEST_CASE("a truncated or foreign binary form is refused, not misread", "[codec][index]") {
  std::string enc = *encode_ticket(known_keys_only());
  for (size_t cut : {size_t{0}, size_t{1}, enc.size() / 2, enc.size() - 1})
    CHECK_THROWS_AS(decode_ticket(std::string_view(enc).substr(0, cut)), Error);
  CHECK_THROWS_AS(decode_ticket(enc + "x"), Error);
  CHECK_THROWS_AS(decode_ticket("not a ticket"), Error);
}
