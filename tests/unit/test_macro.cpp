// Macros (canned replies): parse_macro against the config, the placeholders, apply_macro's steps,
// and reading them from a desk.
#include <functional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/model/embedded.hpp"
#include "core/model/macro.hpp"
#include "core/model/workflow.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"
#include "sandbox.hpp"

using namespace desk;
using desk::testing::Sandbox;

namespace {

const std::string actor = "Alice Agent <alice@example.com>";
const Timestamp t0 = *parse_time("2026-11-23T09:00:00Z");
const std::string path = ".desk/macros/m.toml";

const Config& cfg() {
  static const Config c = parse_config(default_config_text(), ".desk/config.toml");
  return c;
}

Context ctx(uint64_t seed = 7) { return Context{t0 + std::chrono::minutes(5), actor, seeded_random(seed)}; }

Macro parse(const std::string& text) { return parse_macro(text, "m", path, cfg()); }

// The Error f throws; fails the test when it throws none.
Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error was thrown");
  return Error(ErrorKind::usage, "");
}

// A new ticket from Carol, at t0.
Ticket fresh() {
  NewTicketArgs a;
  a.title = "VPN drops every hour";
  a.requester = "Carol Customer <carol@example.com>";
  return create_ticket(cfg(), Context{t0, actor, seeded_random(1)}, a, nullptr, [](const std::string&) { return false; }).ticket;
}

Ticket open_ticket() {
  Ticket t = fresh();
  t.status = "open";
  return t;
}

Macro reply_macro(const std::string& reply) {
  Macro m;
  m.name = "m";
  m.reply = reply;
  return m;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// parse_macro

TEST_CASE("a macro file with every key parses into its steps", "[macro][parse]") {
  Macro m = parse(R"(# an escalation macro
title = "Hand over to network"
description = "Escalate a VPN ticket to L2"
reply = """
Logs attached for {id}; {requester_name} sees drops every hour.
"""
internal = true
tier = "L2"
wait = "customer"
priority = "P2"
impact = "high"
urgency = "medium"
type = "incident"
category = "network"
tags = ["vpn", "handed-over"]
remove_tags = ["logs-requested"]
)");
  CHECK(m.name == "m");
  CHECK(m.title == "Hand over to network");
  CHECK(m.description == "Escalate a VPN ticket to L2");
  CHECK(m.reply == "Logs attached for {id}; {requester_name} sees drops every hour.\n");
  CHECK(m.internal);
  CHECK(m.tier == "L2");
  CHECK(m.wait == "customer");
  CHECK(m.status.empty());
  CHECK(m.fields.priority == "P2");
  CHECK(m.fields.impact == "high");
  CHECK(m.fields.urgency == "medium");
  CHECK(m.fields.type == "incident");
  CHECK(m.fields.category == "network");
  CHECK_FALSE(m.fields.title);
  CHECK(m.fields.add_tags == std::vector<std::string>{"vpn", "handed-over"});
  CHECK(m.fields.remove_tags == std::vector<std::string>{"logs-requested"});
}

TEST_CASE("a macro of only a reply, or only field changes, parses with nothing else set", "[macro][parse]") {
  Macro r = parse("reply = \"Hello {requester_name}\"\n");
  CHECK(r.reply == "Hello {requester_name}");
  CHECK_FALSE(r.internal);
  CHECK(r.title.empty());
  CHECK(r.wait.empty());
  CHECK(r.status.empty());
  CHECK(r.tier.empty());
  CHECK_FALSE(r.fields.priority);
  Macro f = parse("title = \"Monitor\"\ntags = [\"monitor\"]\n");
  CHECK(f.reply.empty());
  CHECK(f.fields.add_tags == std::vector<std::string>{"monitor"});
  Macro w = parse("wait = \"vendor\"\n");
  CHECK(w.wait == "vendor");
}

TEST_CASE("every shipped macro parses against the default config and has the steps its name says", "[macro][parse]") {
  REQUIRE(embedded_macros().size() == 4);
  std::map<std::string, Macro> by_name;
  for (const auto& f : embedded_macros()) {
    std::string name(f.name.substr(0, f.name.size() - 5));
    CAPTURE(name);
    Macro m = parse_macro(f.content, name, ".desk/macros/" + std::string(f.name), cfg());
    CHECK_FALSE(m.title.empty());
    CHECK_FALSE(m.description.empty());
    CHECK_FALSE(m.reply.empty());
    by_name[name] = m;
  }
  REQUIRE(by_name.size() == 4);
  const Macro& logs = by_name.at("ask-for-logs");
  CHECK_FALSE(logs.internal);
  CHECK(logs.wait == "customer");
  CHECK(logs.fields.add_tags == std::vector<std::string>{"logs-requested"});
  const Macro& reset = by_name.at("password-reset-done");
  CHECK_FALSE(reset.internal);
  CHECK(reset.status == "resolved");
  const Macro& vendor = by_name.at("waiting-on-vendor");
  CHECK(vendor.internal);
  CHECK(vendor.wait == "vendor");
  const Macro& known = by_name.at("known-issue");
  CHECK_FALSE(known.internal);
  CHECK(known.fields.add_tags == std::vector<std::string>{"known-issue"});
  CHECK(known.wait.empty());
  CHECK(known.status.empty());
}

TEST_CASE("a bad macro file is refused with its path, line and column and what is wrong", "[macro][parse]") {
  struct Case {
    std::string text;
    std::string where;  // "line:column"
    std::string what;
  };
  const std::vector<Case> cases = {
      {"reply = \"unterminated\n", "1:", ""},
      {"title = \"x\"\nstauts = \"resolved\"\n", "2:1", "unknown key 'stauts'; a macro has title, description, reply"},
      {"reply = 3\n", "1:9", "'reply' must be a string"},
      {"title = [\"x\"]\n", "1:9", "'title' must be a string"},
      {"reply = \"x\"\ninternal = \"yes\"\n", "2:12", "'internal' must be true or false"},
      {"tags = \"vpn\"\n", "1:8", "'tags' must be an array of strings"},
      {"tags = [\"vpn\", 3]\n", "1:16", "'tags' must be an array of strings"},
      {"remove_tags = [\"a\\nb\"]\n", "1:16", "'remove_tags' holds an invalid tag"},
      {"tags = [\"vpn\"]\nremove_tags = [\"vpn\"]\n", "2:15", "tag 'vpn' is both added (tags) and removed (remove_tags)"},
      {"priority = \"P9\"\n", "1:12", "unknown priority 'P9' (use one of: P1, P2, P3, P4, P5)"},
      {"impact = \"huge\"\n", "1:10", "unknown impact 'huge' (use one of: high, medium, low)"},
      {"urgency = \"now\"\n", "1:11", "unknown urgency 'now'"},
      {"type = \"rant\"\n", "1:8", "unknown type 'rant'"},
      {"priority = 1\n", "1:12", "'priority' must be a string"},
      {"reply = \"x\"\ninternal = true\ntier = \"L9\"\n", "3:8", "unknown tier 'L9' (use one of: L0, L1, L2, L3, L4)"},
      {"reply = \"x\"\ninternal = true\ntier = \"L4\"\n", "3:8", "a macro cannot escalate to vendor tier L4"},
      {"reply = \"x\"\ninternal = true\ntier = \"L0\"\n", "3:8", "tier L0 does not take tickets"},
      {"wait = \"boss\"\n", "1:8", "cannot wait on 'boss'"},
      {"reply = \"x\"\nstatus = \"closed\"\n", "2:10", "a macro cannot close a ticket"},
      {"reply = \"x\"\nstatus = \"pending\"\n", "2:10", "status 'pending' cannot be set by a macro"},
      {"reply = \"Hello {requester_nmae}, {tittle}\"\n", "1:9", "in 'reply': unknown placeholders {requester_nmae}, {tittle}"},
      {"reply = \"\"\"\nline one\nA set { of things }\n\"\"\"\n", "1:9", "in 'reply': the '{' in line 2 of the text opens no placeholder"},
      {"reply = \"x\"\nstatus = \"resolved\"\ninternal = true\n", "3:12", "a macro that resolves tells the customer the resolution"},
      {"reply = \"x\"\nstatus = \"resolved\"\nwait = \"customer\"\n", "3:8", "waits on nobody"},
      {"reply = \"x\"\ninternal = true\nstatus = \"resolved\"\ntier = \"L2\"\n", "4:8", "resolves (status) or escalates (tier), not both"},
      {"reply = \"x\"\ntier = \"L2\"\n", "2:8", "set internal = true"},
      {"status = \"resolved\"\n", "1:10", "resolving needs a resolution"},
      {"reply = \"  \"\ninternal = true\ntier = \"L2\"\n", "3:8", "escalating needs a hand-off note"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    Error e = error_of([&] { parse(c.text); });
    CHECK(e.kind() == ErrorKind::invalid);
    CHECK_THAT(std::string(e.what()), Catch::StartsWith(path + ":" + c.where));
    CHECK_THAT(std::string(e.what()), Catch::Contains(c.what));
    CHECK(e.hint() == "fix the macro file and commit it");
  }
}

TEST_CASE("a macro that does nothing is refused with its path", "[macro][parse]") {
  for (const std::string text : {"", "title = \"Nothing\"\ndescription = \"at all\"\n", "reply = \"   \"\ninternal = true\n"}) {
    CAPTURE(text);
    Error e = error_of([&] { parse(text); });
    CHECK(e.kind() == ErrorKind::invalid);
    CHECK(std::string(e.what()) == path + ": the macro does nothing");
  }
}

TEST_CASE("a macro is checked against the desk's own config", "[macro][parse]") {
  Config c = parse_config(std::string(default_config_text()) + "\n", ".desk/config.toml");
  c.priorities.erase(c.priorities.begin() + 4);  // no P5
  Error e = error_of([&] { parse_macro("priority = \"P5\"\n", "m", path, c); });
  CHECK_THAT(std::string(e.what()), Catch::Contains("unknown priority 'P5' (use one of: P1, P2, P3, P4)"));
  CHECK(parse_macro("priority = \"P4\"\n", "m", path, c).fields.priority == "P4");
}

// ---------------------------------------------------------------------------------------------
// placeholders

TEST_CASE("placeholders are filled in, and doubled braces are literal braces", "[macro][placeholders]") {
  std::map<std::string, std::string> vars = {{"a", "Ada"}, {"b", "{b}"}};
  CHECK(fill_placeholders("Hello {a}, {b}!", vars) == "Hello Ada, {b}!");
  CHECK(fill_placeholders("{{a}} is {a}; }} and } stay", vars) == "{a} is Ada; } and } stay");
  CHECK(fill_placeholders("{a}{a}", vars) == "AdaAda");
  CHECK(fill_placeholders("", vars).empty());
  CHECK(fill_placeholders("no braces\nat all", vars) == "no braces\nat all");
}

TEST_CASE("an unknown placeholder is an error naming each of them once, and a lone brace too", "[macro][placeholders]") {
  std::map<std::string, std::string> vars = {{"id", "7kq2"}, {"title", "VPN"}};
  Error e = error_of([&] { fill_placeholders("{id} {nmae} {titel} {nmae}", vars); });
  CHECK(e.kind() == ErrorKind::invalid);
  CHECK(std::string(e.what()) == "unknown placeholders {nmae}, {titel}");
  CHECK_THAT(e.hint(), Catch::Contains("{id}, {title}"));
  Error one = error_of([&] { fill_placeholders("Dear {Name}", vars); });
  CHECK(std::string(one.what()) == "unknown placeholder {Name}");
  for (const std::string text : {"a {", "a { b }", "line 1\n{}", "{\"json\": 1}"}) {
    CAPTURE(text);
    Error lone = error_of([&] { fill_placeholders(text, vars); });
    CHECK(lone.kind() == ErrorKind::invalid);
    CHECK_THAT(std::string(lone.what()), Catch::Contains("opens no placeholder"));
  }
  CHECK_THAT(std::string(error_of([&] { fill_placeholders("one\ntwo\nthree {", vars); }).what()), Catch::Contains("line 3"));
}

TEST_CASE("the placeholder values come from the ticket and the acting agent", "[macro][placeholders]") {
  Ticket t = fresh();
  t.assignee = "bo";
  auto v = macro_values(t, ctx());
  CHECK(v.at("id") == t.id);
  CHECK(v.at("title") == "VPN drops every hour");
  CHECK(v.at("requester") == "Carol Customer <carol@example.com>");
  CHECK(v.at("requester_name") == "Carol");
  CHECK(v.at("assignee") == "bo");
  CHECK(v.at("agent") == "Alice Agent");
  CHECK(v.size() == macro_placeholders.size());
  for (const auto& p : macro_placeholders) CHECK(v.count(p) == 1);
  t.requester = "carol@example.com";
  CHECK(macro_values(t, ctx()).at("requester_name") == "there");
  t.requester = "\"Dana Doe\" <dana@example.com>";
  CHECK(macro_values(t, ctx()).at("requester_name") == "Dana");
  t.requester = "";
  CHECK(macro_values(t, ctx()).at("requester_name") == "there");
}

// ---------------------------------------------------------------------------------------------
// apply_macro

TEST_CASE("a reply macro adds one public reply with its placeholders filled in, as one change", "[macro][apply]") {
  Ticket before = fresh();
  Change c = apply_macro(before, cfg(), ctx(), reply_macro("Hello {requester_name},\r\n\nticket {id} ({title}) is with {agent}.\n"));
  REQUIRE(c.ticket.history.size() == before.history.size() + 1);
  const HistoryEntry& e = c.ticket.history.back();
  std::string text = "Hello Carol,\n\nticket " + before.id + " (VPN drops every hour) is with Alice Agent.";
  CHECK(e.action == "comment");
  CHECK_FALSE(e.internal);
  CHECK(e.text == text);
  CHECK(e.by == actor);
  CHECK(e.at == t0 + std::chrono::minutes(5));
  CHECK(c.ticket.status == "open");  // a public reply on a new ticket opens it
  CHECK(c.ticket.updated == t0 + std::chrono::minutes(5));
  CHECK(c.action == "apply");
  CHECK(c.subject == "apply m to " + before.id.substr(0, 6) + ": VPN drops every hour");
  CHECK(c.body == text);  // normalized as desk comment records it
}

TEST_CASE("an internal macro adds a note, which does not open a new ticket", "[macro][apply]") {
  Macro m = reply_macro("Checked the concentrator for {title}");
  m.internal = true;
  Change c = apply_macro(fresh(), cfg(), ctx(), m);
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "comment");
  CHECK(e.internal);
  CHECK(e.text == "Checked the concentrator for VPN drops every hour");
  CHECK(c.ticket.status == "new");
}

TEST_CASE("field changes come first as one triage entry, then the text", "[macro][apply]") {
  Ticket before = open_ticket();
  before.tags = {"vpn", "logs-requested"};
  Macro m = parse(R"(reply = "We have the logs, thank you."
priority = "P2"
category = "network"
tags = ["logs-received", "vpn"]
remove_tags = ["logs-requested", "absent"]
)");
  Change c = apply_macro(before, cfg(), ctx(), m);
  REQUIRE(c.ticket.history.size() == before.history.size() + 2);
  const HistoryEntry& tri = c.ticket.history[before.history.size()];
  CHECK(tri.action == "triage");
  REQUIRE(tri.changes.size() == 3);
  CHECK(tri.changes[0].field == "priority");
  CHECK(tri.changes[0].from == "P3");
  CHECK(tri.changes[0].to == "P2");
  CHECK(tri.changes[1].field == "category");
  CHECK(tri.changes[2].field == "tags");
  CHECK(tri.changes[2].from == "vpn,logs-requested");
  CHECK(tri.changes[2].to == "vpn,logs-received");
  CHECK(c.ticket.history.back().action == "comment");
  CHECK(c.ticket.priority == "P2");
  REQUIRE(c.ticket.sla);
  CHECK(c.ticket.sla->priority == "P2");  // re-targeted as desk triage does
  CHECK(c.ticket.category == "network");
  CHECK(c.ticket.tags == std::vector<std::string>{"vpn", "logs-received"});
}

TEST_CASE("impact and urgency derive the priority as desk triage does", "[macro][apply]") {
  Macro m = parse("impact = \"high\"\nurgency = \"high\"\n");
  Change c = apply_macro(open_ticket(), cfg(), ctx(), m);
  CHECK(c.ticket.priority == "P1");
  CHECK(c.ticket.impact == "high");
  CHECK(c.ticket.history.back().action == "triage");
}

TEST_CASE("fields the ticket already has make no entry, and a macro that changes nothing changes nothing", "[macro][apply]") {
  Ticket before = open_ticket();
  before.tags = {"known-issue"};
  Macro m = parse("priority = \"P3\"\ntags = [\"known-issue\"]\nremove_tags = [\"gone\"]\n");
  Change c = apply_macro(before, cfg(), ctx(), m);
  CHECK(c.ticket.history.size() == before.history.size());
  CHECK(c.subject.empty());
  CHECK(c.ticket.updated == before.updated);
  Macro reply = parse("reply = \"Known issue\"\ntags = [\"known-issue\"]\n");
  Change r = apply_macro(before, cfg(), ctx(), reply);
  REQUIRE(r.ticket.history.size() == before.history.size() + 1);
  CHECK(r.ticket.history.back().action == "comment");
}

TEST_CASE("a waiting macro replies, then waits, and a ticket already waiting on that party only gets the reply", "[macro][apply]") {
  Ticket before = fresh();
  Macro m = parse("reply = \"Could you send the log, {requester_name}?\"\nwait = \"customer\"\n");
  Change c = apply_macro(before, cfg(), ctx(), m);
  REQUIRE(c.ticket.history.size() == before.history.size() + 2);
  const HistoryEntry& reply = c.ticket.history[before.history.size()];
  CHECK(reply.action == "comment");
  CHECK(reply.text == "Could you send the log, Carol?");
  const HistoryEntry& w = c.ticket.history.back();
  CHECK(w.action == "wait");
  CHECK(w.on == "customer");
  CHECK(w.status == "pending");
  CHECK(w.text.empty());
  CHECK(c.ticket.status == "pending");
  CHECK(c.ticket.waiting_on == "customer");
  Change again = apply_macro(c.ticket, cfg(), ctx(8), m);
  REQUIRE(again.ticket.history.size() == c.ticket.history.size() + 1);
  CHECK(again.ticket.history.back().action == "comment");
  CHECK(again.ticket.waiting_on == "customer");
  Macro vendor = parse("reply = \"With the vendor\"\ninternal = true\nwait = \"vendor\"\n");
  Change v = apply_macro(c.ticket, cfg(), ctx(9), vendor);  // pending on the customer: switches to the vendor
  CHECK(v.ticket.history.back().action == "wait");
  CHECK(v.ticket.waiting_on == "vendor");
}

TEST_CASE("a resolving macro resolves with its text as the resolution, and adds no separate reply", "[macro][apply]") {
  Ticket before = open_ticket();
  before.status = "pending";
  before.waiting_on = "customer";
  Macro m = parse("reply = \"Your password was reset, {requester_name}.\"\nstatus = \"resolved\"\npriority = \"P4\"\n");
  Change c = apply_macro(before, cfg(), ctx(), m);
  REQUIRE(c.ticket.history.size() == before.history.size() + 2);
  CHECK(c.ticket.history[before.history.size()].action == "triage");
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "resolve");
  CHECK(e.text == "Your password was reset, Carol.");
  CHECK(c.ticket.status == "resolved");
  CHECK(c.ticket.waiting_on.empty());
  CHECK(c.ticket.resolution == "Your password was reset, Carol.");
  CHECK(c.body == "Your password was reset, Carol.");
}

TEST_CASE("a resolving macro is refused while required checklist steps are not done, as desk resolve is", "[macro][apply]") {
  Ticket t = open_ticket();
  t.checklist.resize(2);
  t.checklist[0].text = "Confirm the outage";
  t.checklist[1].text = "Write the post-mortem";
  t.checklist[1].required = true;
  Macro m = parse("reply = \"Fixed\"\nstatus = \"resolved\"\n");
  Error e = error_of([&] { apply_macro(t, cfg(), ctx(), m); });
  CHECK(e.kind() == ErrorKind::state);
  CHECK_THAT(std::string(e.what()), Catch::StartsWith("macro 'm': cannot resolve ticket"));
  CHECK_THAT(std::string(e.what()), Catch::Contains("1 required checklist step is not done: 2. Write the post-mortem"));
  CHECK_THAT(e.hint(), Catch::Contains("a macro does not force"));
  t.checklist[1].done = true;
  CHECK(apply_macro(t, cfg(), ctx(), m).ticket.status == "resolved");  // the step not required may stay open
}

TEST_CASE("an escalating macro escalates with its text as the hand-off note, then waits", "[macro][apply]") {
  Ticket before = open_ticket();
  before.assignee = "bo";
  Macro m = parse("reply = \"Logs attached; {assignee} tried a reinstall.\"\ninternal = true\ntier = \"L2\"\nwait = \"customer\"\n");
  Change c = apply_macro(before, cfg(), ctx(), m);
  REQUIRE(c.ticket.history.size() == before.history.size() + 2);
  const HistoryEntry& e = c.ticket.history[before.history.size()];
  CHECK(e.action == "escalate");
  CHECK(e.from == "L1");
  CHECK(e.to == "L2");
  CHECK(e.text == "Logs attached; bo tried a reinstall.");  // the values from before the macro
  CHECK(c.ticket.history.back().action == "wait");
  CHECK(c.ticket.tier == "L2");
  CHECK(c.ticket.assignee.empty());  // the next tier picks it up, as desk escalate does
  CHECK(c.ticket.status == "pending");
}

TEST_CASE("an unknown placeholder in a macro made by hand is an error naming the macro and the placeholder", "[macro][apply]") {
  Ticket before = fresh();
  Error e = error_of([&] { apply_macro(before, cfg(), ctx(), reply_macro("Hello {requester_nmae}")); });
  CHECK(e.kind() == ErrorKind::invalid);
  CHECK(std::string(e.what()) == "macro 'm': unknown placeholder {requester_nmae}");
  CHECK_THAT(e.hint(), Catch::Contains("{requester_name}"));
}

TEST_CASE("a step the ticket does not allow fails the whole macro, naming it", "[macro][apply]") {
  Ticket closed = open_ticket();
  closed.status = "closed";
  closed.resolution = "fixed";
  Macro tag = parse("reply = \"Known issue\"\ntags = [\"known-issue\"]\n");
  Error e = error_of([&] { apply_macro(closed, cfg(), ctx(), tag); });
  CHECK(e.kind() == ErrorKind::state);
  CHECK_THAT(std::string(e.what()), Catch::StartsWith("macro 'm': cannot triage ticket"));
  Macro reply = parse("reply = \"Thanks for the rating\"\n");
  CHECK(apply_macro(closed, cfg(), ctx(), reply).ticket.history.back().action == "comment");  // replies are allowed when closed
  Macro resolve = parse("reply = \"Done\"\nstatus = \"resolved\"\n");
  CHECK(error_of([&] { apply_macro(closed, cfg(), ctx(), resolve); }).kind() == ErrorKind::state);
  Ticket at_l3 = open_ticket();
  at_l3.tier = "L3";
  Macro up = parse("reply = \"Up\"\ninternal = true\ntier = \"L2\"\n");
  Error down = error_of([&] { apply_macro(at_l3, cfg(), ctx(), up); });
  CHECK(down.kind() == ErrorKind::state);
  CHECK_THAT(std::string(down.what()), Catch::Contains("L2 is not above L3"));
}

// ---------------------------------------------------------------------------------------------
// a desk's macros

TEST_CASE("init writes the shipped macros, read from the desk by name", "[macro][desk]") {
  Sandbox s;
  Desk d = s.init();
  Snapshot snap = d.head();
  CHECK(macro_names(snap) == std::vector<std::string>{"ask-for-logs", "known-issue", "password-reset-done", "waiting-on-vendor"});
  for (const auto& f : embedded_macros()) CHECK(s.sh("git show HEAD:.desk/macros/" + std::string(f.name)) == f.content);
  auto [macros, problems] = all_macros(snap, d.config());
  CHECK(macros.size() == 4);
  CHECK(problems.empty());
  CHECK(macro_named(snap, d.config(), "ask-for-logs").wait == "customer");
  auto name = GENERATE(std::string("nope"), std::string("../config"), std::string(""), std::string("Ask-For-Logs"), std::string("ask-for-logs.toml"));
  CAPTURE(name);
  Error e = error_of([&] { macro_named(snap, d.config(), name); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(std::string(e.what()) == "no macro '" + name + "'");
  CHECK(e.hint() == "use one of: ask-for-logs, known-issue, password-reset-done, waiting-on-vendor (desk macros lists them)");
}

TEST_CASE("a broken macro in a desk is a problem with its line, and the others still work", "[macro][desk]") {
  Sandbox s;
  Desk d = s.init();
  s.write(".desk/macros/typo.toml", "title = \"Typo\"\nreply = \"Hi {nmae}\"\n");
  s.write(".desk/macros/Bad Name.toml", "reply = \"x\"\n");
  s.write(".desk/macros/notes.txt", "not a macro\n");
  s.git("add .desk && git -c user.name=Sys -c user.email=sys@example.com commit -q -m macros");
  Snapshot snap = d.head();
  CHECK(macro_names(snap) == std::vector<std::string>{"ask-for-logs", "known-issue", "password-reset-done", "typo", "waiting-on-vendor"});
  auto [macros, problems] = all_macros(snap, d.config());
  CHECK(macros.size() == 4);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].path == ".desk/macros/Bad Name.toml");
  CHECK_THAT(problems[0].message, Catch::Contains("not a macro file name"));
  CHECK(problems[1].path == ".desk/macros/typo.toml");
  CHECK_THAT(problems[1].message, Catch::StartsWith(".desk/macros/typo.toml:2:9: in 'reply': unknown placeholder {nmae}"));
  Error e = error_of([&] { macro_named(snap, d.config(), "typo"); });
  CHECK(e.kind() == ErrorKind::invalid);
  CHECK_THAT(std::string(e.what()), Catch::StartsWith(".desk/macros/typo.toml:2:9: "));
}

TEST_CASE("a desk without macros says so when one is asked for", "[macro][desk]") {
  Sandbox s;
  Desk d = s.init();
  s.git("rm -q -r .desk/macros && git -c user.name=Sys -c user.email=sys@example.com commit -q -m 'no macros'");
  Snapshot snap = d.head();
  CHECK(macro_names(snap).empty());
  CHECK(all_macros(snap, d.config()).first.empty());
  Error e = error_of([&] { macro_named(snap, d.config(), "ask-for-logs"); });
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK_THAT(e.hint(), Catch::Contains("this desk has no macros in .desk/macros/"));
}
