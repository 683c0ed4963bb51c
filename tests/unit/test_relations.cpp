// Relations between tickets: related (symmetric), parent, problem; their transitions and merge.
#include <functional>
#include <map>

#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/model/workflow.hpp"
#include "core/store/merge.hpp"
#include "core/util/error.hpp"

using namespace desk;

namespace {

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Context at(const char* when, const char* who = "Ada Agent <ada@example.com>") {
  static uint64_t seed = 900;
  return Context{*parse_time(when), who, seeded_random(seed++)};
}

Ticket make(const char* when, const char* title, const char* type = nullptr) {
  NewTicketArgs args;
  args.title = title;
  args.requester = "Lee <lee@example.com>";
  if (type) args.type = type;
  return create_ticket(config(), at(when), args, nullptr, [](const std::string&) { return false; }).ticket;
}

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error");
  return ErrorKind::io;
}

}  // namespace

TEST_CASE("relate writes both tickets, each with a link entry to the other, and unrelate undoes both") {
  Ticket a = make("2026-11-23T09:00:00Z", "VPN drops"), b = make("2026-11-23T09:01:00Z", "VPN slow");
  auto cs = relate(a, b, at("2026-11-23T10:00:00Z"), false);
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].ticket.id == a.id);
  CHECK(cs[0].ticket.related == std::vector<std::string>{b.id});
  CHECK(cs[1].ticket.related == std::vector<std::string>{a.id});
  CHECK(cs[0].ticket.history.back().action == "link");
  CHECK(cs[0].ticket.history.back().to == "related/" + b.id);
  CHECK(cs[1].ticket.history.back().to == "related/" + a.id);
  CHECK(kind_of([&] { relate(cs[0].ticket, cs[1].ticket, at("2026-11-23T10:01:00Z"), false); }) == ErrorKind::state);
  auto un = relate(cs[1].ticket, cs[0].ticket, at("2026-11-23T10:02:00Z"), true);
  REQUIRE(un.size() == 2);
  CHECK(un[0].ticket.related.empty());
  CHECK(un[1].ticket.related.empty());
  CHECK(un[0].ticket.history.back().action == "unlink");
  CHECK(kind_of([&] { relate(un[0].ticket, un[1].ticket, at("2026-11-23T10:03:00Z"), true); }) == ErrorKind::state);
}

TEST_CASE("relate mends a relation a hand edit left on one side only, and refuses a ticket related to itself") {
  Ticket a = make("2026-11-23T09:00:00Z", "VPN drops"), b = make("2026-11-23T09:01:00Z", "VPN slow");
  a.related = {b.id};
  auto cs = relate(a, b, at("2026-11-23T10:00:00Z"), false);
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].ticket.id == b.id);
  CHECK(cs[0].ticket.related == std::vector<std::string>{a.id});
  auto un = relate(b, a, at("2026-11-23T10:01:00Z"), true);  // only a holds it
  REQUIRE(un.size() == 1);
  CHECK(un[0].ticket.id == a.id);
  CHECK(kind_of([&] { relate(a, a, at("2026-11-23T10:02:00Z"), false); }) == ErrorKind::invalid);
}

TEST_CASE("set_parent refuses itself and a cycle through parents, and clears with remove") {
  Ticket a = make("2026-11-23T09:00:00Z", "a"), b = make("2026-11-23T09:01:00Z", "b"), c = make("2026-11-23T09:02:00Z", "c");
  std::map<std::string, std::string> parents;
  auto parent_of = [&](const std::string& id) { return parents.count(id) ? parents[id] : std::string(); };
  Change ch = set_parent(b, at("2026-11-23T10:00:00Z"), a.id, false, parent_of);
  CHECK(ch.ticket.parent == a.id);
  CHECK(ch.ticket.history.back().to == "parent/" + a.id);
  parents[b.id] = a.id;
  parents[c.id] = b.id;
  // a under c would make a -> c -> b -> a.
  CHECK(kind_of([&] { set_parent(a, at("2026-11-23T10:01:00Z"), c.id, false, parent_of); }) == ErrorKind::invalid);
  CHECK(kind_of([&] { set_parent(a, at("2026-11-23T10:01:00Z"), a.id, false, parent_of); }) == ErrorKind::invalid);
  CHECK(kind_of([&] { set_parent(ch.ticket, at("2026-11-23T10:01:00Z"), a.id, false, parent_of); }) == ErrorKind::state);
  Change un = set_parent(ch.ticket, at("2026-11-23T10:02:00Z"), a.id, true, parent_of);
  CHECK(un.ticket.parent.empty());
  CHECK(un.ticket.history.back().action == "unlink");
  CHECK(kind_of([&] { set_parent(un.ticket, at("2026-11-23T10:03:00Z"), a.id, true, parent_of); }) == ErrorKind::state);
}

TEST_CASE("link_problem needs a ticket of type problem") {
  Ticket inc = make("2026-11-23T09:00:00Z", "VPN drops", "incident");
  Ticket prob = make("2026-11-23T09:01:00Z", "VPN concentrator leaks memory", "problem");
  Ticket other = make("2026-11-23T09:02:00Z", "not a problem", "incident");
  Change c = link_problem(inc, at("2026-11-23T10:00:00Z"), prob, false);
  CHECK(c.ticket.problem == prob.id);
  CHECK(c.ticket.history.back().to == "problem/" + prob.id);
  CHECK(kind_of([&] { link_problem(inc, at("2026-11-23T10:00:00Z"), other, false); }) == ErrorKind::invalid);
  CHECK(kind_of([&] { link_problem(prob, at("2026-11-23T10:00:00Z"), prob, false); }) == ErrorKind::invalid);
  CHECK(kind_of([&] { link_problem(c.ticket, at("2026-11-23T10:01:00Z"), prob, false); }) == ErrorKind::state);
  Change un = link_problem(c.ticket, at("2026-11-23T10:02:00Z"), prob, true);
  CHECK(un.ticket.problem.empty());
  CHECK(kind_of([&] { link_problem(un.ticket, at("2026-11-23T10:03:00Z"), prob, true); }) == ErrorKind::state);
}

TEST_CASE("merge: related merges as a set, parent and problem as scalars, symmetrically") {
  Ticket base = make("2026-11-23T09:00:00Z", "VPN drops");
  base.related = {"0000000001", "0000000002"};
  Ticket x = base, y = base;
  // x relates 3 and drops 1; y relates 4; both set a parent, only x a problem.
  x.related = {"0000000002", "0000000003"};
  y.related = {"0000000001", "0000000002", "0000000004"};
  auto none = [](const std::string&) { return std::string(); };
  x = set_parent(x, at("2026-11-23T10:00:00Z"), "00000000aa", false, none).ticket;
  x.problem = "00000000pp";
  y = set_parent(y, at("2026-11-23T11:00:00Z"), "00000000bb", false, none).ticket;  // y acted last
  std::string xy = emit_ticket(merge_tickets(base, x, y).ticket);
  std::string yx = emit_ticket(merge_tickets(base, y, x).ticket);
  REQUIRE(xy == yx);
  Ticket m = parse_ticket(xy, "m.toml");
  CHECK(m.related == std::vector<std::string>{"0000000002", "0000000003", "0000000004"});
  CHECK(m.problem == "00000000pp");  // one side only
  CHECK(m.parent == "00000000bb");   // both: the side that acted last
  bool recorded = false;
  for (const auto& e : m.history)
    if (e.action == "merge" && e.changes.size() == 1 && e.changes[0].field == "parent")
      recorded = e.changes[0].from == "00000000aa" && e.changes[0].to == "00000000bb";
  CHECK(recorded);
}

TEST_CASE("merge: two clones relating the same ticket to different tickets keep both") {
  Ticket base = make("2026-11-23T09:00:00Z", "VPN drops");
  Ticket x = base, y = base;
  x.related = {"0000000003"};
  y.related = {"0000000004"};
  auto out = merge_tickets(base, x, y);
  CHECK(out.ticket.related == std::vector<std::string>{"0000000003", "0000000004"});
  CHECK(out.conflicts.empty());
}

TEST_CASE("edited refuses relation fields that are not other tickets' ids") {
  Ticket t = make("2026-11-23T09:00:00Z", "VPN drops");
  Ticket e = t;
  e.related = {"../../etc"};
  CHECK(kind_of([&] { edited(t, e, config(), at("2026-11-23T10:00:00Z")); }) == ErrorKind::invalid);
  e = t;
  e.parent = t.id;
  CHECK(kind_of([&] { edited(t, e, config(), at("2026-11-23T10:00:00Z")); }) == ErrorKind::invalid);
  e = t;
  e.problem = "0000000001";
  Change c = edited(t, e, config(), at("2026-11-23T10:00:00Z"));
  CHECK(c.ticket.history.back().changes.front().field == "problem");
}
