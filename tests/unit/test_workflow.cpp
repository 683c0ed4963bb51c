#include <functional>
#include <set>
#include <string>
#include <vector>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/model/embedded.hpp"
#include "core/util/error.hpp"
#include "core/model/id.hpp"
#include "core/model/template.hpp"
#include "core/util/text.hpp"
#include "core/model/limits.hpp"
#include "core/model/workflow.hpp"

using namespace desk;

namespace {

const std::string actor = "Alice Agent <alice@example.com>";
const Timestamp t0 = *parse_time("2026-11-23T09:00:00Z");

const Config& cfg() {
  static const Config c = parse_config(default_config_text(), ".desk/config.toml");
  return c;
}

Timestamp minutes(int m) { return t0 + std::chrono::minutes(m); }

// A context at t0 + m minutes with its own seeded id source.
Context ctx_at(int m = 0, uint64_t seed = 1) { return Context{minutes(m), actor, seeded_random(seed + static_cast<uint64_t>(m))}; }

const Template& password_reset() {
  static const Template t = parse_template(R"(title = "Password reset"
type = "service-request"
priority = "P4"
tier = "L1"
category = "accounts"
tags = ["account", "password"]
description = """
The user cannot sign in.
"""
checklist = ["Verify identity", "Issue a one-time password", "Confirm the sign-in"]
)",
                                           "password-reset", ".desk/templates/password-reset.toml");
  return t;
}

bool none_taken(const std::string&) { return false; }

Change create(NewTicketArgs args, const Template* tmpl = nullptr) {
  return create_ticket(cfg(), ctx_at(0), args, tmpl, none_taken);
}

Ticket fresh(const std::string& title = "VPN drops every hour") {
  NewTicketArgs a;
  a.title = title;
  return create(a).ticket;
}

Ticket with_checklist() {
  NewTicketArgs a;
  a.title = "Cannot sign in";
  return create(a, &password_reset()).ticket;
}

Ticket at_tier(const std::string& tier) {
  Ticket t = fresh();
  t.status = "open";
  t.tier = tier;
  if (cfg().tiers[*cfg().tier_index(tier)].vendor) {
    t.vendor = "acme-networks";
    t.vendor_case = "ACME-1";
  }
  return t;
}

Ticket in_status(const std::string& status) {
  Ticket t = fresh();
  t.status = status;
  if (status == "pending") t.waiting_on = "customer";
  if (status == "resolved" || status == "closed") t.resolution = "fixed";
  return t;
}

// Runs f, which must throw an Error of the given kind whose message contains `message`.
void expect_error(const std::function<void()>& f, ErrorKind kind, const std::string& message) {
  try {
    f();
    FAIL("no error; expected: " << message);
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    CHECK_THAT(std::string(e.what()), Catch::Contains(message));
  }
}

// What every transition does: one new history entry, by the actor, now, with a fresh id,
// whose action is the commit's Desk-Action; `updated` is now.
void check_recorded(const Ticket& before, const Change& c, int at_minute) {
  REQUIRE(c.ticket.history.size() == before.history.size() + 1);
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == c.action);
  CHECK(e.by == actor);
  CHECK(e.at == minutes(at_minute));
  CHECK(e.id.size() == entry_id_length);
  for (const auto& old : before.history) CHECK(old.id != e.id);
  CHECK(c.ticket.updated == minutes(at_minute));
  CHECK(c.ticket.created == before.created);
  CHECK(c.ticket.id == before.id);
}

std::string sid(const Ticket& t) { return t.id.substr(0, 6); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// create

TEST_CASE("a new ticket starts new at the default tier and priority, requested by the actor", "[workflow][create]") {
  NewTicketArgs a;
  a.title = "VPN drops every hour";
  a.description = "Since Monday";
  Change c = create(a);
  const Ticket& t = c.ticket;
  CHECK(is_ticket_id(t.id));
  CHECK(t.title == "VPN drops every hour");
  CHECK(t.status == "new");
  CHECK(t.tier == "L1");
  CHECK(t.priority == "P3");
  CHECK(t.type == "incident");
  CHECK(t.requester == actor);
  CHECK(t.assignee.empty());
  CHECK(t.description == "Since Monday");
  CHECK(t.created == t0);
  CHECK(t.updated == t0);
  CHECK(t.checklist.empty());
  CHECK(t.template_name.empty());
  REQUIRE(t.history.size() == 1);
  const HistoryEntry& e = t.history[0];
  CHECK(e.action == "create");
  CHECK(e.status == "new");
  CHECK(e.to == "L1");
  CHECK(e.by == actor);
  CHECK(e.at == t0);
  CHECK(e.id.size() == entry_id_length);
  CHECK(c.action == "create");
  CHECK(c.subject == "new " + t.id.substr(0, 6) + ": VPN drops every hour");
  CHECK(c.body.empty());
  REQUIRE(t.sla);
  CHECK(t.sla->priority == "P3");
}

TEST_CASE("a new ticket's id is fresh: ids already taken are drawn again", "[workflow][create]") {
  std::set<std::string> taken;
  NewTicketArgs a;
  a.title = "x";
  // Record the first three ids the source would give, then forbid them.
  for (int i = 0; i < 3; ++i) {
    std::string first = create_ticket(cfg(), ctx_at(), a, nullptr, [&](const std::string& id) { return taken.count(id) > 0; }).ticket.id;
    taken.insert(first);
  }
  CHECK(taken.size() == 3);
  int asked = 0;
  Change c = create_ticket(cfg(), ctx_at(), a, nullptr, [&](const std::string& id) {
    ++asked;
    return taken.count(id) > 0;
  });
  CHECK(taken.count(c.ticket.id) == 0);
  CHECK(asked == 4);
}

TEST_CASE("explicit arguments win over the template, the template over the config", "[workflow][create]") {
  NewTicketArgs a;
  a.title = "Cannot sign in";
  SECTION("the template fills what the arguments leave out") {
    Ticket t = create(a, &password_reset()).ticket;
    CHECK(t.type == "service-request");
    CHECK(t.priority == "P4");
    CHECK(t.tier == "L1");
    CHECK(t.category == "accounts");
    CHECK(t.tags == std::vector<std::string>{"account", "password"});
    CHECK(t.template_name == "password-reset");
    REQUIRE(t.checklist.size() == 3);
    CHECK(t.checklist[1].text == "Issue a one-time password");
    for (const auto& item : t.checklist) CHECK_FALSE(item.done);
    CHECK(t.description == "The user cannot sign in.");
  }
  SECTION("arguments override the template") {
    a.priority = "P2";
    a.type = "incident";
    a.tier = "L2";
    a.category = "identity";
    a.tags = {"vip", "password"};
    a.description = "CEO's laptop";
    Ticket t = create(a, &password_reset()).ticket;
    CHECK(t.priority == "P2");
    CHECK(t.type == "incident");
    CHECK(t.tier == "L2");
    CHECK(t.category == "identity");
    CHECK(t.tags == std::vector<std::string>{"account", "password", "vip"});  // merged, no duplicates
    CHECK(t.description == "The user cannot sign in.\n\nCEO's laptop");
  }
  SECTION("requester and assignee come from the arguments") {
    a.requester = "Carol <carol@example.com>";
    a.assignee = "bo";
    Ticket t = create(a).ticket;
    CHECK(t.requester == "Carol <carol@example.com>");
    CHECK(t.assignee == "bo");
    CHECK(t.status == "new");
  }
}

TEST_CASE("a new ticket's priority derives from impact x urgency unless given", "[workflow][create]") {
  auto [impact, urgency, priority] = GENERATE(table<std::string, std::string, std::string>({
      {"high", "high", "P1"}, {"high", "medium", "P2"}, {"medium", "low", "P4"}, {"low", "low", "P5"}}));
  NewTicketArgs a;
  a.title = "x";
  a.impact = impact;
  a.urgency = urgency;
  CHECK(create(a).ticket.priority == priority);
  CHECK(create(a, &password_reset()).ticket.priority == priority);  // derived beats the template's P4
  a.priority = "P3";
  CHECK(create(a).ticket.priority == "P3");
}

TEST_CASE("a new ticket's description is normalized: CRLF to LF, outer white space trimmed", "[workflow][create]") {
  NewTicketArgs a;
  a.title = "  padded title  ";
  a.description = "\r\n  first\r\nsecond  \r\n\r\n";
  Ticket t = create(a).ticket;
  CHECK(t.title == "padded title");
  CHECK(t.description == "first\nsecond");
}

TEST_CASE("a long title is cut in the commit subject, not in the ticket", "[workflow][create]") {
  std::string title(100, 'x');
  NewTicketArgs a;
  a.title = title;
  Change c = create(a);
  CHECK(c.ticket.title == title);
  CHECK(c.subject == "new " + c.ticket.id.substr(0, 6) + ": " + std::string(71, 'x') + "\xe2\x80\xa6");
}

TEST_CASE("create refuses bad titles and unusable values as invalid, unknown values as usage errors", "[workflow][create]") {
  struct Case {
    std::string name;
    std::function<void(NewTicketArgs&)> set;
    ErrorKind kind;
    std::string message;
  };
  auto c = GENERATE(values<Case>({
      {"empty title", [](NewTicketArgs& a) { a.title = "   "; }, ErrorKind::invalid, "the title is empty"},
      {"two-line title", [](NewTicketArgs& a) { a.title = "one\ntwo"; }, ErrorKind::invalid, "the title has a line break"},
      {"escape in title", [](NewTicketArgs& a) { a.title = "red \x1b[31m"; }, ErrorKind::invalid, "the title contains control characters"},
      {"invalid UTF-8 title", [](NewTicketArgs& a) { a.title = "caf\xe9"; }, ErrorKind::invalid, "the title contains control characters"},
      {"long title", [](NewTicketArgs& a) { a.title = std::string(201, 'x'); }, ErrorKind::invalid, "the title is longer than 200 characters"},
      {"unknown tier", [](NewTicketArgs& a) { a.tier = "L9"; }, ErrorKind::usage, "unknown tier 'L9'"},
      {"self-service tier", [](NewTicketArgs& a) { a.tier = "L0"; }, ErrorKind::invalid, "tier L0 does not take tickets"},
      {"vendor tier", [](NewTicketArgs& a) { a.tier = "L4"; }, ErrorKind::invalid, "a ticket cannot start at vendor tier L4"},
      {"unknown priority", [](NewTicketArgs& a) { a.priority = "P0"; }, ErrorKind::usage, "unknown priority 'P0'"},
      {"unknown type", [](NewTicketArgs& a) { a.type = "bug"; }, ErrorKind::usage, "unknown type 'bug'"},
      {"unknown impact", [](NewTicketArgs& a) { a.impact = "huge"; }, ErrorKind::usage, "unknown impact 'huge'"},
      {"unknown urgency", [](NewTicketArgs& a) { a.urgency = "now"; }, ErrorKind::usage, "unknown urgency 'now'"},
      {"bad tag", [](NewTicketArgs& a) { a.tags = {"ok", "bad\ttag"}; }, ErrorKind::invalid, "invalid tag"},
      {"bad assignee", [](NewTicketArgs& a) { a.assignee = "bo\n"; }, ErrorKind::invalid, "invalid assignee"},
      {"bad requester", [](NewTicketArgs& a) { a.requester = ""; }, ErrorKind::invalid, "invalid requester"},
  }));
  CAPTURE(c.name);
  NewTicketArgs a;
  a.title = "VPN drops";
  c.set(a);
  expect_error([&] { create(a); }, c.kind, c.message);
}

TEST_CASE("every shipped template parses and files a valid ticket", "[workflow][create]") {
  REQUIRE_FALSE(embedded_templates().empty());
  for (const auto& f : embedded_templates()) {
    std::string name(f.name.substr(0, f.name.size() - 5));
    CAPTURE(name);
    Template tmpl = parse_template(f.content, name, std::string(f.name));
    CHECK_FALSE(tmpl.title.empty());
    CHECK_FALSE(tmpl.checklist.empty());
    NewTicketArgs a;
    a.title = "From " + name;
    Ticket t = create(a, &tmpl).ticket;
    CHECK(t.template_name == name);
    CHECK(t.checklist.size() == tmpl.checklist.size());
    CHECK(cfg().tier_index(t.tier));
    CHECK(cfg().priority_index(t.priority));
  }
}

// ---------------------------------------------------------------------------------------------
// triage

TEST_CASE("triage with impact and urgency derives the priority, records the changes and opens the ticket", "[workflow][triage]") {
  Ticket t = fresh();
  TriageArgs a;
  a.impact = "high";
  a.urgency = "medium";
  Change c = triage(t, cfg(), ctx_at(5), a);
  check_recorded(t, c, 5);
  CHECK(c.ticket.impact == "high");
  CHECK(c.ticket.urgency == "medium");
  CHECK(c.ticket.priority == "P2");
  CHECK(c.ticket.status == "open");
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "triage");
  CHECK(e.status == "open");
  REQUIRE(e.changes.size() == 3);
  CHECK((e.changes[0].field == "impact" && e.changes[0].from == "" && e.changes[0].to == "high"));
  CHECK((e.changes[1].field == "urgency" && e.changes[1].from == "" && e.changes[1].to == "medium"));
  CHECK((e.changes[2].field == "priority" && e.changes[2].from == "P3" && e.changes[2].to == "P2"));
  CHECK(c.subject == "triage " + sid(t) + " (impact high, urgency medium, priority P3 -> P2): VPN drops every hour");
  REQUIRE(c.ticket.sla);
  CHECK(c.ticket.sla->priority == "P2");
}

TEST_CASE("triage: an explicit priority wins over the matrix", "[workflow][triage]") {
  TriageArgs a;
  a.impact = "low";
  a.urgency = "low";
  a.priority = "P1";
  Change c = triage(fresh(), cfg(), ctx_at(1), a);
  CHECK(c.ticket.priority == "P1");
}

TEST_CASE("triage with only one of impact and urgency leaves the priority alone", "[workflow][triage]") {
  TriageArgs a;
  a.impact = "high";
  Change c = triage(fresh(), cfg(), ctx_at(1), a);
  CHECK(c.ticket.priority == "P3");
  CHECK(c.ticket.history.back().changes.size() == 1);
}

TEST_CASE("triage sets type and category, adds and removes tags", "[workflow][triage]") {
  Ticket t = fresh();
  t.status = "open";
  t.tags = {"vpn", "old"};
  TriageArgs a;
  a.type = "problem";
  a.category = "network";
  a.add_tags = {"remote", "vpn"};
  a.remove_tags = {"old"};
  Change c = triage(t, cfg(), ctx_at(2), a);
  check_recorded(t, c, 2);
  CHECK(c.ticket.type == "problem");
  CHECK(c.ticket.category == "network");
  CHECK(c.ticket.tags == std::vector<std::string>{"vpn", "remote"});
  const auto& ch = c.ticket.history.back().changes;
  REQUIRE(ch.size() == 3);
  CHECK((ch[0].field == "type" && ch[0].from == "incident" && ch[0].to == "problem"));
  CHECK((ch[1].field == "category" && ch[1].from == "" && ch[1].to == "network"));
  CHECK((ch[2].field == "tags" && ch[2].from == "vpn,old" && ch[2].to == "vpn,remote"));
  CHECK(c.ticket.history.back().status.empty());  // already open: no status change
  CHECK(c.subject == "triage " + sid(t) + " (type incident -> problem, category network, tags vpn,old -> vpn,remote): VPN drops every hour");
}

TEST_CASE("triage of a new ticket with nothing to change still opens it", "[workflow][triage]") {
  Ticket t = fresh();
  Change c = triage(t, cfg(), ctx_at(3), TriageArgs{});
  check_recorded(t, c, 3);
  CHECK(c.ticket.status == "open");
  CHECK(c.ticket.history.back().changes.empty());
  CHECK(c.subject == "triage " + sid(t) + ": VPN drops every hour");
}

TEST_CASE("triage refusals", "[workflow][triage]") {
  Ticket open = in_status("open");
  SECTION("nothing would change on an open ticket") {
    expect_error([&] { triage(open, cfg(), ctx_at(1), TriageArgs{}); }, ErrorKind::usage, "triage would change nothing on ticket " + sid(open));
    TriageArgs same;
    same.priority = "P3";
    same.type = "incident";
    same.remove_tags = {"not-there"};
    expect_error([&] { triage(open, cfg(), ctx_at(1), same); }, ErrorKind::usage, "triage would change nothing");
  }
  SECTION("unknown values are usage errors") {
    TriageArgs a;
    a.impact = "huge";
    expect_error([&] { triage(open, cfg(), ctx_at(1), a); }, ErrorKind::usage, "unknown impact 'huge'");
    a = {};
    a.urgency = "now";
    expect_error([&] { triage(open, cfg(), ctx_at(1), a); }, ErrorKind::usage, "unknown urgency 'now'");
    a = {};
    a.priority = "P0";
    expect_error([&] { triage(open, cfg(), ctx_at(1), a); }, ErrorKind::usage, "unknown priority 'P0'");
    a = {};
    a.type = "bug";
    expect_error([&] { triage(open, cfg(), ctx_at(1), a); }, ErrorKind::usage, "unknown type 'bug'");
    a = {};
    a.add_tags = {" spaced"};
    expect_error([&] { triage(open, cfg(), ctx_at(1), a); }, ErrorKind::invalid, "invalid tag");
  }
  SECTION("resolved and closed tickets") {
    auto status = GENERATE(std::string("resolved"), std::string("closed"));
    TriageArgs a;
    a.priority = "P1";
    expect_error([&] { triage(in_status(status), cfg(), ctx_at(1), a); }, ErrorKind::state, "cannot triage ticket");
  }
}

// ---------------------------------------------------------------------------------------------
// assign

TEST_CASE("assign sets the assignee, records from and to, and opens a new ticket", "[workflow][assign]") {
  Ticket t = fresh();
  Change c = assign(t, ctx_at(4), "bo");
  check_recorded(t, c, 4);
  CHECK(c.ticket.assignee == "bo");
  CHECK(c.ticket.status == "open");
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "assign");
  CHECK(e.from == "");
  CHECK(e.to == "bo");
  CHECK(e.status == "open");
  CHECK(c.subject == "assign " + sid(t) + " to bo: VPN drops every hour");

  Change again = assign(c.ticket, ctx_at(6), "cy");
  CHECK(again.ticket.history.back().from == "bo");
  CHECK(again.ticket.history.back().to == "cy");
  CHECK(again.ticket.history.back().status.empty());
}

TEST_CASE("assign with an empty user unassigns", "[workflow][assign]") {
  Ticket t = in_status("open");
  t.assignee = "bo";
  Change c = assign(t, ctx_at(1), "");
  check_recorded(t, c, 1);
  CHECK(c.ticket.assignee.empty());
  CHECK(c.ticket.history.back().from == "bo");
  CHECK(c.ticket.history.back().to == "");
  CHECK(c.subject == "unassign " + sid(t) + ": VPN drops every hour");
}

TEST_CASE("assign refusals", "[workflow][assign]") {
  Ticket t = in_status("open");
  t.assignee = "bo";
  expect_error([&] { assign(t, ctx_at(1), "bo"); }, ErrorKind::state, "is already assigned to bo");
  expect_error([&] { assign(fresh(), ctx_at(1), ""); }, ErrorKind::state, "is not assigned");
  expect_error([&] { assign(t, ctx_at(1), "bo\x1b[2J"); }, ErrorKind::invalid, "invalid assignee");
  expect_error([&] { assign(in_status("closed"), ctx_at(1), "bo"); }, ErrorKind::state, "cannot assign ticket");
}

// ---------------------------------------------------------------------------------------------
// comment

TEST_CASE("a public reply is recorded and opens a new ticket, an internal note does not", "[workflow][comment]") {
  Ticket t = fresh();
  Change reply = comment(t, ctx_at(2), "Could you send the client log?\r\n\r\n", false);
  check_recorded(t, reply, 2);
  CHECK(reply.ticket.status == "open");
  const HistoryEntry& e = reply.ticket.history.back();
  CHECK(e.action == "comment");
  CHECK_FALSE(e.internal);
  CHECK(e.text == "Could you send the client log?");
  CHECK(e.status == "open");
  CHECK(reply.subject == "comment " + sid(t) + ": VPN drops every hour");
  CHECK(reply.body == "Could you send the client log?");

  Change note = comment(t, ctx_at(3), "Looks like the rekey", true);
  check_recorded(t, note, 3);
  CHECK(note.ticket.status == "new");
  CHECK(note.ticket.history.back().internal);
  CHECK(note.ticket.history.back().status.empty());
  CHECK(note.subject == "note " + sid(t) + ": VPN drops every hour");
}

TEST_CASE("a comment needs text", "[workflow][comment]") {
  auto text = GENERATE(std::string(""), std::string("  \n\t\r\n"));
  expect_error([&] { comment(fresh(), ctx_at(1), text, false); }, ErrorKind::usage, "the comment text is required");
  expect_error([&] { comment(fresh(), ctx_at(1), text, true); }, ErrorKind::usage, "the note text is required");
}

TEST_CASE("a text over 1 MiB is refused, whatever it is for", "[workflow][limits]") {
  std::string max(max_text_bytes, 'a'), over(max_text_bytes + 1, 'a');
  CHECK(comment(fresh(), ctx_at(1), max, false).ticket.history.back().text.size() == max_text_bytes);
  expect_error([&] { comment(fresh(), ctx_at(1), over, false); }, ErrorKind::invalid, "the comment text is over 1.0 MiB");
  expect_error([&] { comment(fresh(), ctx_at(1), over, true); }, ErrorKind::invalid, "the note text is over 1.0 MiB");
  expect_error([&] { resolve(fresh(), ctx_at(1), over); }, ErrorKind::invalid, "a resolution is over 1.0 MiB");
  expect_error([&] { wait(fresh(), ctx_at(1), "customer", over); }, ErrorKind::invalid, "the text is over 1.0 MiB");
  NewTicketArgs args;
  args.title = "Long";
  args.description = over;
  expect_error([&] { create(args); }, ErrorKind::invalid, "the text is over 1.0 MiB");
}

TEST_CASE("a ticket with 10,000 history entries takes no more, but can still be resolved and closed", "[workflow][limits]") {
  Ticket t = fresh();
  while (t.history.size() < max_history_entries) t.history.push_back(t.history.front());
  expect_error([&] { comment(t, ctx_at(1), "one more", false); }, ErrorKind::invalid, "it has 10000 history entries");
  expect_error([&] { assign(t, ctx_at(1), "bo"); }, ErrorKind::invalid, "it has 10000 history entries");
  Change resolved = resolve(t, ctx_at(2), "fixed");
  CHECK(resolved.ticket.history.size() == max_history_entries + 1);
  CHECK(close(resolved.ticket, ctx_at(3), std::nullopt, "").ticket.history.size() == max_history_entries + 2);
  t.history.pop_back();
  CHECK(comment(t, ctx_at(1), "the last one", false).ticket.history.size() == max_history_entries);
}

// ---------------------------------------------------------------------------------------------
// escalate

TEST_CASE("escalate moves the ticket one tier up with the hand-off note and clears the assignee", "[workflow][escalate]") {
  auto [from, to] = GENERATE(table<std::string, std::string>({{"L1", "L2"}, {"L2", "L3"}}));
  Ticket t = at_tier(from);
  t.assignee = "bo";
  EscalateArgs a;
  a.note = "Reinstalled the client; still drops.\n";
  Change c = escalate(t, cfg(), ctx_at(7), a);
  check_recorded(t, c, 7);
  CHECK(c.ticket.tier == to);
  CHECK(c.ticket.assignee.empty());
  CHECK(c.ticket.status == "open");
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "escalate");
  CHECK(e.from == from);
  CHECK(e.to == to);
  CHECK(e.text == "Reinstalled the client; still drops.");
  CHECK(e.vendor.empty());
  CHECK(c.action == "escalate");
  CHECK(c.subject == "escalate " + sid(t) + " " + from + " -> " + to + ": VPN drops every hour");
  CHECK(c.body == "Reinstalled the client; still drops.");
}

TEST_CASE("escalate of a new ticket opens it", "[workflow][escalate]") {
  EscalateArgs a;
  a.note = "needs L2";
  Change c = escalate(fresh(), cfg(), ctx_at(1), a);
  CHECK(c.ticket.status == "open");
  CHECK(c.ticket.history.back().status == "open");
}

TEST_CASE("escalate --to skips tiers", "[workflow][escalate]") {
  EscalateArgs a;
  a.note = "straight to engineering";
  a.to = "L3";
  Change c = escalate(at_tier("L1"), cfg(), ctx_at(1), a);
  CHECK(c.ticket.tier == "L3");
  CHECK(c.ticket.history.back().from == "L1");
  CHECK(c.ticket.history.back().to == "L3");
}

TEST_CASE("escalate to the vendor tier records the vendor and the case on the ticket and the entry", "[workflow][escalate]") {
  EscalateArgs a;
  a.note = "Firmware defect";
  a.to = "L4";
  a.vendor = "acme-networks";
  a.vendor_case = "ACME-4411";
  Ticket t = at_tier("L2");
  Change c = escalate(t, cfg(), ctx_at(9), a);
  check_recorded(t, c, 9);
  CHECK(c.ticket.tier == "L4");
  CHECK(c.ticket.vendor == "acme-networks");
  CHECK(c.ticket.vendor_case == "ACME-4411");
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.vendor == "acme-networks");
  CHECK(e.vendor_case == "ACME-4411");
  CHECK(c.subject == "escalate " + sid(t) + " L2 -> L4: VPN drops every hour");

  SECTION("the next tier up from L3 is the vendor tier and needs the same") {
    a.to.reset();
    Change up = escalate(at_tier("L3"), cfg(), ctx_at(1), a);
    CHECK(up.ticket.tier == "L4");
    CHECK(up.ticket.vendor == "acme-networks");
  }
}

TEST_CASE("with no vendors configured any vendor name is accepted", "[workflow][escalate]") {
  Config c = parse_config(R"(
[[tiers]]
name = "desk"
[[tiers]]
name = "outside"
vendor = true
[[priorities]]
name = "P1"
)",
                          "cfg.toml");
  Ticket t = fresh();
  t.tier = "desk";
  t.priority = "P1";
  EscalateArgs a;
  a.note = "n";
  a.vendor = "anyone-at-all";
  a.vendor_case = "1";
  CHECK(escalate(t, c, ctx_at(1), a).ticket.vendor == "anyone-at-all");
}

TEST_CASE("escalate refusals", "[workflow][escalate]") {
  EscalateArgs a;
  a.note = "a note";
  SECTION("past the top tier") {
    expect_error([&] { escalate(at_tier("L4"), cfg(), ctx_at(1), a); }, ErrorKind::state, "is already at the top tier L4");
  }
  SECTION("to the vendor tier without the vendor or the case") {
    auto [vendor, vendor_case] = GENERATE(table<std::optional<std::string>, std::optional<std::string>>({
        {std::nullopt, std::nullopt},
        {std::string("acme-networks"), std::nullopt},
        {std::nullopt, std::string("ACME-1")},
        {std::string("  "), std::string("ACME-1")},
        {std::string("acme-networks"), std::string("")},
    }));
    a.to = "L4";
    a.vendor = vendor;
    a.vendor_case = vendor_case;
    expect_error([&] { escalate(at_tier("L3"), cfg(), ctx_at(1), a); }, ErrorKind::usage,
                 "escalating to L4 (External vendors) needs the vendor and the vendor's case reference");
    a.to.reset();
    expect_error([&] { escalate(at_tier("L3"), cfg(), ctx_at(1), a); }, ErrorKind::usage, "needs the vendor");
  }
  SECTION("to an unknown vendor") {
    a.to = "L4";
    a.vendor = "globex";
    a.vendor_case = "G-1";
    try {
      escalate(at_tier("L3"), cfg(), ctx_at(1), a);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      CHECK(std::string(e.what()) == "unknown vendor 'globex'");
      CHECK(e.hint() == "use one of: acme-networks, contoso-cloud");
    }
  }
  SECTION("vendor and case for a tier that is not a vendor tier") {
    a.vendor = "acme-networks";
    expect_error([&] { escalate(at_tier("L1"), cfg(), ctx_at(1), a); }, ErrorKind::usage,
                 "--vendor and --case apply only to a vendor tier, and L2 is not one");
  }
  SECTION("to the same or a lower tier") {
    a.to = "L2";
    expect_error([&] { escalate(at_tier("L2"), cfg(), ctx_at(1), a); }, ErrorKind::state, "L2 is not above L2");
    expect_error([&] { escalate(at_tier("L3"), cfg(), ctx_at(1), a); }, ErrorKind::state, "L2 is not above L3");
  }
  SECTION("to an unknown tier") {
    a.to = "L9";
    expect_error([&] { escalate(at_tier("L1"), cfg(), ctx_at(1), a); }, ErrorKind::usage, "unknown tier 'L9'");
  }
  SECTION("without a hand-off note") {
    a.note = " \n ";
    expect_error([&] { escalate(at_tier("L1"), cfg(), ctx_at(1), a); }, ErrorKind::usage, "a hand-off note is required");
  }
  SECTION("a ticket at a tier the config does not know") {
    expect_error([&] { escalate(at_tier("L1"), parse_config("[[tiers]]\nname = \"X\"\n[[priorities]]\nname = \"P3\"\n", "c"), ctx_at(1), a); },
                 ErrorKind::invalid, "is at unknown tier 'L1'");
  }
  SECTION("a resolved or closed ticket") {
    auto status = GENERATE(std::string("resolved"), std::string("closed"));
    expect_error([&] { escalate(in_status(status), cfg(), ctx_at(1), a); }, ErrorKind::state, "cannot escalate ticket");
  }
}

// ---------------------------------------------------------------------------------------------
// deescalate

TEST_CASE("deescalate moves the ticket to the next lower tier that takes tickets, with the note", "[workflow][deescalate]") {
  auto [from, to] = GENERATE(table<std::string, std::string>({{"L2", "L1"}, {"L3", "L2"}, {"L4", "L3"}}));
  Ticket t = at_tier(from);
  t.assignee = "cy";
  Change c = deescalate(t, cfg(), ctx_at(8), std::nullopt, "Fixed by the firmware update; tell the user");
  check_recorded(t, c, 8);
  CHECK(c.ticket.tier == to);
  CHECK(c.ticket.assignee.empty());
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "deescalate");
  CHECK(e.from == from);
  CHECK(e.to == to);
  CHECK(e.text == "Fixed by the firmware update; tell the user");
  CHECK(c.subject == "deescalate " + sid(t) + " " + from + " -> " + to + ": VPN drops every hour");
  CHECK(c.body == "Fixed by the firmware update; tell the user");
}

TEST_CASE("deescalate from the vendor tier clears the vendor and case", "[workflow][deescalate]") {
  Ticket t = at_tier("L4");
  REQUIRE(t.vendor == "acme-networks");
  Change c = deescalate(t, cfg(), ctx_at(1), std::string("L1"), "Vendor fixed it");
  CHECK(c.ticket.tier == "L1");
  CHECK(c.ticket.vendor.empty());
  CHECK(c.ticket.vendor_case.empty());
}

TEST_CASE("deescalate refusals", "[workflow][deescalate]") {
  SECTION("below the lowest tier that takes tickets") {
    expect_error([&] { deescalate(at_tier("L1"), cfg(), ctx_at(1), std::nullopt, "n"); }, ErrorKind::state,
                 "is at L1, the lowest tier that takes tickets");
  }
  SECTION("to L0, which takes no tickets") {
    expect_error([&] { deescalate(at_tier("L2"), cfg(), ctx_at(1), std::string("L0"), "n"); }, ErrorKind::state,
                 "tier L0 does not take tickets; L1 is the lowest that does");
  }
  SECTION("to the same or a higher tier") {
    expect_error([&] { deescalate(at_tier("L2"), cfg(), ctx_at(1), std::string("L2"), "n"); }, ErrorKind::state, "L2 is not below L2");
    expect_error([&] { deescalate(at_tier("L2"), cfg(), ctx_at(1), std::string("L3"), "n"); }, ErrorKind::state, "L3 is not below L2");
  }
  SECTION("to an unknown tier") {
    expect_error([&] { deescalate(at_tier("L2"), cfg(), ctx_at(1), std::string("L9"), "n"); }, ErrorKind::usage, "unknown tier 'L9'");
  }
  SECTION("without a note") {
    expect_error([&] { deescalate(at_tier("L2"), cfg(), ctx_at(1), std::nullopt, ""); }, ErrorKind::usage, "a note is required");
  }
  SECTION("a resolved or closed ticket") {
    auto status = GENERATE(std::string("resolved"), std::string("closed"));
    Ticket t = in_status(status);
    t.tier = "L2";
    expect_error([&] { deescalate(t, cfg(), ctx_at(1), std::nullopt, "n"); }, ErrorKind::state, "cannot de-escalate ticket");
  }
}

// ---------------------------------------------------------------------------------------------
// wait and resume

TEST_CASE("wait pauses the ticket on the customer or a vendor", "[workflow][wait]") {
  auto on = GENERATE(std::string("customer"), std::string("vendor"));
  Ticket t = in_status("open");
  Change c = wait(t, ctx_at(10), on, "Asked for the log");
  check_recorded(t, c, 10);
  CHECK(c.ticket.status == "pending");
  CHECK(c.ticket.waiting_on == on);
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "wait");
  CHECK(e.on == on);
  CHECK(e.status == "pending");
  CHECK(e.text == "Asked for the log");
  CHECK(c.subject == "wait " + sid(t) + " on " + on + ": VPN drops every hour");
  CHECK(c.body == "Asked for the log");
}

TEST_CASE("wait text is optional", "[workflow][wait]") {
  Change c = wait(in_status("open"), ctx_at(1), "customer", "  ");
  CHECK(c.ticket.history.back().text.empty());
  CHECK(c.body.empty());
}

TEST_CASE("a pending ticket may switch the party it waits on", "[workflow][wait]") {
  Ticket t = in_status("pending");  // waiting on the customer
  Change c = wait(t, ctx_at(1), "vendor", "");
  CHECK(c.ticket.waiting_on == "vendor");
  CHECK(c.ticket.status == "pending");
}

TEST_CASE("wait refusals", "[workflow][wait]") {
  Ticket pending = in_status("pending");
  expect_error([&] { wait(pending, ctx_at(1), "customer", ""); }, ErrorKind::state, "is already waiting on the customer");
  expect_error([&] { wait(in_status("open"), ctx_at(1), "bob", ""); }, ErrorKind::usage, "cannot wait on 'bob'");
  auto status = GENERATE(std::string("resolved"), std::string("closed"));
  expect_error([&] { wait(in_status(status), ctx_at(1), "customer", ""); }, ErrorKind::state, "cannot pause ticket");
}

TEST_CASE("resume ends the wait and records whom it waited on", "[workflow][resume]") {
  Ticket t = in_status("open");
  t = wait(t, ctx_at(1), "vendor", "").ticket;
  Change c = resume(t, ctx_at(20), "Vendor shipped a patch");
  check_recorded(t, c, 20);
  CHECK(c.ticket.status == "open");
  CHECK(c.ticket.waiting_on.empty());
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "resume");
  CHECK(e.from == "vendor");
  CHECK(e.status == "open");
  CHECK(e.text == "Vendor shipped a patch");
  CHECK(c.subject == "resume " + sid(t) + ": VPN drops every hour");
}

TEST_CASE("resume refuses a ticket that is not pending", "[workflow][resume]") {
  auto status = GENERATE(std::string("new"), std::string("open"), std::string("resolved"), std::string("closed"));
  expect_error([&] { resume(in_status(status), ctx_at(1), ""); }, ErrorKind::state, "it is " + status + ", not waiting");
}

// ---------------------------------------------------------------------------------------------
// resolve, close, reopen

TEST_CASE("resolve records the resolution and ends any wait", "[workflow][resolve]") {
  auto status = GENERATE(std::string("new"), std::string("open"), std::string("pending"));
  Ticket t = in_status(status);
  Change c = resolve(t, ctx_at(30), "Firmware 4.2 installed\r\n");
  check_recorded(t, c, 30);
  CHECK(c.ticket.status == "resolved");
  CHECK(c.ticket.resolution == "Firmware 4.2 installed");
  CHECK(c.ticket.waiting_on.empty());
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "resolve");
  CHECK(e.status == "resolved");
  CHECK(e.text == "Firmware 4.2 installed");
  CHECK(c.subject == "resolve " + sid(t) + ": VPN drops every hour");
  CHECK(c.body == "Firmware 4.2 installed");
}

TEST_CASE("resolve refusals", "[workflow][resolve]") {
  expect_error([&] { resolve(in_status("open"), ctx_at(1), ""); }, ErrorKind::usage, "a resolution is required");
  auto status = GENERATE(std::string("resolved"), std::string("closed"));
  expect_error([&] { resolve(in_status(status), ctx_at(1), "again"); }, ErrorKind::state, "cannot resolve ticket");
}

TEST_CASE("close of a resolved ticket records satisfaction when given", "[workflow][close]") {
  Ticket t = in_status("resolved");
  SECTION("with csat") {
    auto csat = GENERATE(1, 3, 5);
    Change c = close(t, ctx_at(40), csat, "Thanks!");
    check_recorded(t, c, 40);
    CHECK(c.ticket.status == "closed");
    CHECK(c.ticket.csat == csat);
    const HistoryEntry& e = c.ticket.history.back();
    CHECK(e.action == "close");
    CHECK(e.status == "closed");
    CHECK(e.csat == csat);
    CHECK(e.text == "Thanks!");
    CHECK(c.subject == "close " + sid(t) + " (csat " + std::to_string(csat) + "): VPN drops every hour");
  }
  SECTION("without csat") {
    Change c = close(t, ctx_at(40), std::nullopt, "");
    CHECK(c.ticket.status == "closed");
    CHECK_FALSE(c.ticket.csat);
    CHECK_FALSE(c.ticket.history.back().csat);
    CHECK(c.subject == "close " + sid(t) + ": VPN drops every hour");
    CHECK(c.ticket.resolution == "fixed");  // kept
  }
}

TEST_CASE("close refusals", "[workflow][close]") {
  SECTION("csat out of range") {
    auto csat = GENERATE(0, 6, -1, 100);
    expect_error([&] { close(in_status("resolved"), ctx_at(1), csat, ""); }, ErrorKind::usage,
                 "--csat must be between 1 and 5, not " + std::to_string(csat));
  }
  SECTION("a ticket that is not resolved") {
    auto status = GENERATE(std::string("new"), std::string("open"), std::string("pending"));
    expect_error([&] { close(in_status(status), ctx_at(1), std::nullopt, ""); }, ErrorKind::state, "it is " + status + ", not resolved");
  }
  SECTION("a closed ticket") {
    Ticket closed = close(in_status("resolved"), ctx_at(1), 4, "").ticket;
    expect_error([&] { close(closed, ctx_at(2), std::nullopt, ""); }, ErrorKind::state, "is already closed");
  }
}

TEST_CASE("reopen brings a resolved or closed ticket back, dropping resolution and csat", "[workflow][reopen]") {
  auto status = GENERATE(std::string("resolved"), std::string("closed"));
  Ticket t = in_status(status);
  t.csat = 2;
  Change c = reopen(t, ctx_at(50), "Dropped again this morning");
  check_recorded(t, c, 50);
  CHECK(c.ticket.status == "open");
  CHECK(c.ticket.resolution.empty());
  CHECK_FALSE(c.ticket.csat);
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "reopen");
  CHECK(e.from == status);
  CHECK(e.status == "open");
  CHECK(e.text == "Dropped again this morning");
  CHECK(c.subject == "reopen " + sid(t) + ": VPN drops every hour");
  CHECK(c.body == "Dropped again this morning");
}

TEST_CASE("reopen refusals", "[workflow][reopen]") {
  auto status = GENERATE(std::string("new"), std::string("open"), std::string("pending"));
  expect_error([&] { reopen(in_status(status), ctx_at(1), "why"); }, ErrorKind::state, "cannot reopen ticket");
  expect_error([&] { reopen(in_status("closed"), ctx_at(1), "\n"); }, ErrorKind::usage, "a reason is required");
}

// ---------------------------------------------------------------------------------------------
// check

TEST_CASE("check ticks off a checklist step and undo un-ticks it", "[workflow][check]") {
  Ticket t = with_checklist();
  Change c = check(t, ctx_at(12), 2, false);
  check_recorded(t, c, 12);
  CHECK(c.ticket.checklist[1].done);
  CHECK_FALSE(c.ticket.checklist[0].done);
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "check");
  CHECK(e.step == 2);
  CHECK(e.text == "Issue a one-time password");
  CHECK(c.subject == "check " + sid(t) + " step 2: Cannot sign in");

  Change u = check(c.ticket, ctx_at(13), 2, true);
  check_recorded(c.ticket, u, 13);
  CHECK_FALSE(u.ticket.checklist[1].done);
  CHECK(u.ticket.history.back().action == "uncheck");
  CHECK(u.subject == "uncheck " + sid(t) + " step 2: Cannot sign in");
}

TEST_CASE("check refusals", "[workflow][check]") {
  Ticket t = with_checklist();
  SECTION("a step out of range") {
    auto step = GENERATE(0, -1, 4, 99);
    expect_error([&] { check(t, ctx_at(1), step, false); }, ErrorKind::usage,
                 "has no step " + std::to_string(step) + "; its checklist has steps 1 to 3");
  }
  SECTION("a step already done, or undoing one not done") {
    Ticket done = check(t, ctx_at(1), 1, false).ticket;
    expect_error([&] { check(done, ctx_at(2), 1, false); }, ErrorKind::state, "step 1 of ticket " + sid(t) + " is already done");
    expect_error([&] { check(done, ctx_at(2), 2, true); }, ErrorKind::state, "step 2 of ticket " + sid(t) + " is already not done");
    // check_steps, what `desk check` runs, leaves such steps alone instead.
    Change same = check_steps(done, ctx_at(2), {1}, false);
    CHECK(same.ticket.history.size() == done.history.size());
    CHECK(same.ticket.checklist[0].done);
    Change rest = check_steps(done, ctx_at(2), {1, 2, 2}, false);
    CHECK(rest.ticket.history.size() == done.history.size() + 1);
    CHECK(rest.ticket.history.back().step == 2);
  }
  SECTION("a ticket without a checklist") {
    expect_error([&] { check(fresh(), ctx_at(1), 1, false); }, ErrorKind::state, "has no checklist");
  }
}

// ---------------------------------------------------------------------------------------------
// edited

TEST_CASE("edited records each changed field and stamps updated", "[workflow][edit]") {
  Ticket before = with_checklist();
  Ticket after = before;
  after.title = "Cannot sign in on the VPN";
  after.category = "vpn";
  after.tags.push_back("vip");
  after.assignee = "bo";
  Change c = edited(before, after, cfg(), ctx_at(15));
  check_recorded(before, c, 15);
  const HistoryEntry& e = c.ticket.history.back();
  CHECK(e.action == "edit");
  REQUIRE(e.changes.size() == 4);
  CHECK((e.changes[0].field == "title" && e.changes[0].from == "Cannot sign in" && e.changes[0].to == "Cannot sign in on the VPN"));
  CHECK((e.changes[1].field == "category" && e.changes[1].from == "accounts" && e.changes[1].to == "vpn"));
  CHECK((e.changes[2].field == "tags" && e.changes[2].from == "account,password" && e.changes[2].to == "account,password,vip"));
  CHECK((e.changes[3].field == "assignee" && e.changes[3].from == "" && e.changes[3].to == "bo"));
  CHECK(c.ticket.title == "Cannot sign in on the VPN");
  CHECK(c.ticket.status == "new");  // an edit does not open the ticket
  CHECK(c.subject == "edit " + sid(before) + " (title, category, tags, assignee): Cannot sign in on the VPN");
}

TEST_CASE("edited writes (text) for long values, and names checklist and unknown-key changes", "[workflow][edit]") {
  Ticket before = with_checklist();
  Ticket after = before;
  after.description = std::string(81, 'd');
  after.checklist[0].done = true;
  after.extra.insert("x_note", "kept");
  Change c = edited(before, after, cfg(), ctx_at(1));
  const auto& ch = c.ticket.history.back().changes;
  REQUIRE(ch.size() == 3);
  CHECK((ch[0].field == "description" && ch[0].from == "The user cannot sign in." && ch[0].to == "(text)"));
  CHECK(ch[1].field == "checklist");
  CHECK(ch[2].field == "other");
  CHECK(c.ticket.extra["x_note"].value<std::string>() == "kept");
}

TEST_CASE("an edited priority re-targets the SLA policy", "[workflow][edit]") {
  Ticket before = fresh();
  Ticket after = before;
  after.priority = "P1";
  Change c = edited(before, after, cfg(), ctx_at(1));
  CHECK(c.ticket.priority == "P1");
  REQUIRE(c.ticket.sla);
  CHECK(c.ticket.sla->priority == "P1");
  CHECK(c.ticket.history.back().changes.at(0).field == "priority");
}

TEST_CASE("edited refuses changes that only transitions may make", "[workflow][edit]") {
  Ticket before = in_status("open");
  before = comment(before, ctx_at(1), "first reply", false).ticket;
  struct Case {
    std::string name;
    std::function<void(Ticket&)> change;
    ErrorKind kind;
    std::string message;
  };
  auto c = GENERATE(values<Case>({
      {"id", [](Ticket& t) { t.id = "zzzzzzzzzz"; }, ErrorKind::invalid, "the id changed from"},
      {"history text", [](Ticket& t) { t.history.back().text = "rewritten"; }, ErrorKind::invalid, "the history was changed; it is append-only"},
      {"history removed", [](Ticket& t) { t.history.pop_back(); }, ErrorKind::invalid, "the history was changed"},
      {"history added", [](Ticket& t) { t.history.push_back(t.history.back()); }, ErrorKind::invalid, "the history was changed"},
      {"history extra", [](Ticket& t) { t.history.front().extra.insert("x", 1); }, ErrorKind::invalid, "the history was changed"},
      {"created", [](Ticket& t) { t.created += std::chrono::hours(1); }, ErrorKind::invalid, "'created' cannot change"},
      {"status", [](Ticket& t) { t.status = "resolved"; }, ErrorKind::invalid, "the status cannot be changed by editing"},
      {"waiting_on", [](Ticket& t) { t.waiting_on = "vendor"; }, ErrorKind::invalid, "the status cannot be changed by editing"},
      {"tier", [](Ticket& t) { t.tier = "L3"; }, ErrorKind::invalid, "the tier cannot be changed by editing"},
      {"unknown tier", [](Ticket& t) { t.tier = "L9"; }, ErrorKind::invalid, "unknown tier 'L9'"},
      {"unknown priority", [](Ticket& t) { t.priority = "P0"; }, ErrorKind::invalid, "unknown priority 'P0'"},
      {"unknown type", [](Ticket& t) { t.type = "bug"; }, ErrorKind::invalid, "unknown type 'bug'"},
      {"unknown impact", [](Ticket& t) { t.impact = "huge"; }, ErrorKind::invalid, "unknown impact 'huge'"},
      {"empty title", [](Ticket& t) { t.title = ""; }, ErrorKind::invalid, "the title is empty"},
      {"bad tag", [](Ticket& t) { t.tags = {"a\nb"}; }, ErrorKind::invalid, "invalid tag"},
      {"sla policy", [](Ticket& t) { t.sla->resolution = std::chrono::seconds(1); }, ErrorKind::invalid, "the [sla] policy cannot be edited"},
      {"nothing", [](Ticket&) {}, ErrorKind::usage, "no changes to ticket"},
      {"only updated", [](Ticket& t) { t.updated += std::chrono::hours(5); }, ErrorKind::usage, "no changes to ticket"},
  }));
  CAPTURE(c.name);
  Ticket after = before;
  c.change(after);
  expect_error([&] { edited(before, after, cfg(), ctx_at(2)); }, c.kind, c.message);
}

// ---------------------------------------------------------------------------------------------
// helpers

TEST_CASE("require_text normalizes line ends and trims, and refuses empty text naming what is missing", "[workflow]") {
  CHECK(require_text("a\r\nb\r\n", "x", "") == "a\nb");
  CHECK(require_text("  keep  inner  spaces \n", "x", "") == "keep  inner  spaces");
  CHECK(require_text("lone\rcr", "x", "") == "lone\rcr");
  try {
    require_text(" \r\n\t", "the widget", "pass -m");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()) == "the widget is required");
    CHECK(e.hint() == "pass -m");
  }
}

TEST_CASE("validate_title accepts one printable line of up to 200 characters", "[workflow]") {
  CHECK_NOTHROW(validate_title("VPN drops"));
  CHECK_NOTHROW(validate_title(std::string(200, 'x')));
  CHECK_NOTHROW(validate_title("Dr\xc3\xbc" "cker \xe6\x97\xa5\xe6\x9c\xac"));
  CHECK_THROWS_AS(validate_title("tab\tinside"), Error);
  CHECK_THROWS_AS(validate_title("del\x7f"), Error);
}

TEST_CASE("short_id is the first six characters", "[workflow]") {
  CHECK(short_id("7kq2x9ab3d") == "7kq2x9");
}

TEST_CASE("a whole lifecycle keeps one history entry per step, in order, with unique ids", "[workflow]") {
  Ticket t = fresh();
  std::vector<std::string> actions = {"create"};
  auto step = [&](Change c) {
    actions.push_back(c.action);
    t = std::move(c.ticket);
  };
  TriageArgs ta;
  ta.impact = "high";
  ta.urgency = "high";
  step(triage(t, cfg(), ctx_at(1), ta));
  step(assign(t, ctx_at(2), "bo"));
  step(comment(t, ctx_at(3), "On it", false));
  EscalateArgs ea;
  ea.note = "needs L2";
  step(escalate(t, cfg(), ctx_at(4), ea));
  step(wait(t, ctx_at(5), "customer", ""));
  step(resume(t, ctx_at(6), ""));
  step(deescalate(t, cfg(), ctx_at(7), std::nullopt, "fixed"));
  step(resolve(t, ctx_at(8), "done"));
  step(close(t, ctx_at(9), 5, ""));
  step(reopen(t, ctx_at(10), "again"));
  REQUIRE(t.history.size() == actions.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < actions.size(); ++i) {
    CHECK(t.history[i].action == actions[i]);
    ids.insert(t.history[i].id);
    if (i) CHECK(t.history[i].at > t.history[i - 1].at);
  }
  CHECK(ids.size() == actions.size());
  CHECK(t.status == "open");
  CHECK(t.tier == "L1");
  CHECK(t.priority == "P1");
}

// ---------------------------------------------------------------------------------------------
// Known bugs: correct behaviour, tagged [!mayfail] until fixed.

TEST_CASE("edited records a change to an unknown key inside a checklist step", "[workflow][edit]") {
  // Only text and done of checklist steps are compared, so such an edit is reported as "no
  // changes" (usage) and `desk edit` silently drops it.
  Ticket before = with_checklist();
  Ticket after = before;
  after.checklist[0].extra.insert("owner", "bo");
  Change c = edited(before, after, cfg(), ctx_at(1));
  REQUIRE_FALSE(c.ticket.history.back().changes.empty());
  CHECK(c.ticket.checklist[0].extra["owner"].value<std::string>() == "bo");
}

TEST_CASE("texts with invalid UTF-8 never make a ticket file that cannot be read back", "[workflow]") {
  // The title is checked for invalid UTF-8; descriptions, comments and resolutions are not, and
  // toml++ refuses the file desk then writes ("Encountered invalid utf-8 sequence").
  NewTicketArgs a;
  a.title = "Latin-1 upload";
  Ticket t;
  try {
    a.description = "caf\xe9 cr\xe8me";
    t = create(a).ticket;
    t = comment(t, ctx_at(1), "na\xefve", false).ticket;
    t = resolve(t, ctx_at(2), "r\xe9solu").ticket;
  } catch (const Error& e) {
    SUCCEED("refused: " << e.what());  // refusing the text is correct too
    return;
  }
  std::string text = emit_ticket(t);
  CHECK_NOTHROW(parse_ticket(text, "t.toml"));
}

TEST_CASE("a template's required steps: true, a list of step numbers, or an error naming the place") {
  auto parse = [](const std::string& req) {
    return parse_template("title = \"x\"\nchecklist = [\"a\", \"b\", \"c\"]\nrequired = " + req + "\n", "x", "x.toml");
  };
  CHECK(parse("true").required == std::vector<bool>{true, true, true});
  CHECK(parse("[1, 3]").required == std::vector<bool>{true, false, true});
  CHECK(parse("[]").required == std::vector<bool>{false, false, false});
  CHECK_THROWS_WITH(parse("[4]"), Catch::Contains("x.toml:3:13:") && Catch::Contains("step numbers from 1 to 3"));
  CHECK_THROWS_WITH(parse("\"yes\""), Catch::Contains("'required' must be true, false or an array"));
  Template t = parse("[2]");
  NewTicketArgs a;
  a.title = "x";
  Change c = create_ticket(cfg(), ctx_at(), a, &t, [](const std::string&) { return false; });
  REQUIRE(c.ticket.checklist.size() == 3);
  CHECK(c.ticket.checklist[1].required);
  CHECK_FALSE(c.ticket.checklist[0].required);
  CHECK_THROWS_WITH(require_required_steps(c.ticket, "resolve"), Catch::Contains("1 required checklist step is not done: 2. b"));
  c.ticket.checklist[1].done = true;
  CHECK_NOTHROW(require_required_steps(c.ticket, "resolve"));
  // The flag survives the file and the index's binary form.
  std::string file = emit_ticket(c.ticket);
  CHECK_THAT(file, Catch::Contains("required = true"));
  CHECK(parse_ticket(file, "t.toml").checklist[1].required);
  CHECK(parse_ticket_toml(file, "t.toml").checklist[1].required);
}
