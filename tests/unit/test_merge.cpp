#include <map>
#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/store/merge.hpp"
#include "core/model/workflow.hpp"

using namespace desk;

namespace {

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Context at(const char* when, const char* who) {
  static uint64_t seed = 100;
  return Context{*parse_time(when), who, seeded_random(seed++)};
}

const char* ada = "Ada <ada@example.com>";
const char* bo = "Bo <bo@example.com>";

Ticket base_ticket() {
  NewTicketArgs args;
  args.title = "VPN drops";
  args.tags = {"vpn", "remote"};
  args.requester = "Lee <lee@example.com>";
  Template tmpl;
  tmpl.name = "t";
  tmpl.checklist = {"one", "two"};
  return create_ticket(config(), at("2026-11-23T09:00:00Z", ada), args, &tmpl, [](const std::string&) { return false; }).ticket;
}

std::vector<std::string> entry_ids(const Ticket& t) {
  std::vector<std::string> ids;
  for (const auto& e : t.history) ids.push_back(e.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool contains_all(const Ticket& merged, const Ticket& side) {
  auto m = entry_ids(merged);
  for (const auto& id : entry_ids(side))
    if (!std::binary_search(m.begin(), m.end(), id)) return false;
  return true;
}

// Merges both ways and requires byte-identical results.
Ticket merge_both_ways(const Ticket& base, const Ticket& x, const Ticket& y) {
  std::string xy = emit_ticket(merge_tickets(base, x, y).ticket);
  std::string yx = emit_ticket(merge_tickets(base, y, x).ticket);
  REQUIRE(xy == yx);
  return parse_ticket(xy, "merged.toml");
}

}  // namespace

TEST_CASE("escalated on one side and commented on the other keeps both and the new tier") {
  Ticket base = base_ticket();
  EscalateArgs up;
  up.note = "needs L2";
  Ticket x = escalate(base, config(), at("2026-11-23T10:00:00Z", ada), up).ticket;
  Ticket y = comment(base, at("2026-11-23T10:05:00Z", bo), "any news?", false).ticket;
  Ticket m = merge_both_ways(base, x, y);
  CHECK(m.tier == "L2");
  CHECK(contains_all(m, x));
  CHECK(contains_all(m, y));
  CHECK(m.history.size() == 3);
  CHECK(m.history[1].action == "escalate");  // ordered by time
  CHECK(m.history[2].action == "comment");
  CHECK(std::none_of(m.history.begin(), m.history.end(), [](const HistoryEntry& e) { return e.action == "merge"; }));
}

TEST_CASE("closed on one side and reopened on the other: the later action wins and the loser is recorded") {
  Ticket base = resolve(base_ticket(), at("2026-11-23T11:00:00Z", ada), "reset").ticket;
  Ticket closed = close(base, at("2026-11-23T12:00:00Z", ada), 5, "").ticket;
  Ticket reopened = reopen(base, at("2026-11-23T13:00:00Z", bo), "still broken").ticket;
  Ticket m = merge_both_ways(base, closed, reopened);
  CHECK(m.status == "open");
  CHECK(contains_all(m, closed));
  CHECK(contains_all(m, reopened));
  const FieldChange* status = nullptr;
  for (const auto& e : m.history)
    if (e.action == "merge" && e.changes.size() == 1 && e.changes[0].field == "status") status = &e.changes[0];
  REQUIRE(status);
  CHECK(status->from == "closed");
  CHECK(status->to == "open");
}

TEST_CASE("a reopen that wins over a close with a rating clears the rating and resolution, and records them") {
  Ticket base = resolve(base_ticket(), at("2026-11-23T11:00:00Z", ada), "reset").ticket;
  Ticket closed = close(base, at("2026-11-23T12:00:00Z", ada), 5, "").ticket;
  Ticket reopened = reopen(base, at("2026-11-23T13:00:00Z", bo), "still broken").ticket;
  Ticket m = merge_both_ways(base, closed, reopened);
  CHECK(m.status == "open");
  // As if the reopen came after the close: the open ticket carries no rating and no resolution.
  CHECK_FALSE(m.csat.has_value());
  CHECK(m.resolution.empty());
  std::map<std::string, std::pair<std::string, std::string>> lost;
  for (const auto& e : m.history)
    if (e.action == "merge")
      for (const auto& c : e.changes) lost[c.field] = {c.from, c.to};
  CHECK(lost["csat"] == std::make_pair(std::string("5"), std::string()));
  CHECK(lost["resolution"] == std::make_pair(std::string("reset"), std::string()));
}

TEST_CASE("a close with a rating that wins over a reopen keeps the rating") {
  Ticket base = resolve(base_ticket(), at("2026-11-23T11:00:00Z", ada), "reset").ticket;
  Ticket reopened = reopen(base, at("2026-11-23T12:00:00Z", bo), "still broken").ticket;
  Ticket closed = close(base, at("2026-11-23T13:00:00Z", ada), 4, "").ticket;
  Ticket m = merge_both_ways(base, closed, reopened);
  CHECK(m.status == "closed");
  CHECK(m.csat == 4);
  CHECK(m.resolution == "reset");
}

TEST_CASE("closed on one side and commented on the other stays closed with the comment") {
  Ticket base = resolve(base_ticket(), at("2026-11-23T11:00:00Z", ada), "reset").ticket;
  Ticket closed = close(base, at("2026-11-23T12:00:00Z", ada), 4, "").ticket;
  Ticket commented = comment(base, at("2026-11-23T12:30:00Z", bo), "thanks!", false).ticket;
  Ticket m = merge_both_ways(base, closed, commented);
  CHECK(m.status == "closed");
  CHECK(m.csat == 4);
  CHECK(contains_all(m, commented));
}

TEST_CASE("a field changed on both sides goes to the side that acted last") {
  Ticket base = base_ticket();
  TriageArgs p1, p4;
  p1.priority = "P1";
  p4.priority = "P4";
  Ticket x = triage(base, config(), at("2026-11-23T10:00:00Z", ada), p1).ticket;
  Ticket y = triage(base, config(), at("2026-11-23T10:30:00Z", bo), p4).ticket;
  auto out = merge_tickets(base, x, y);
  CHECK(out.ticket.priority == "P4");
  REQUIRE_FALSE(out.conflicts.empty());
  CHECK(out.conflicts[0].field == "priority");
  CHECK(out.conflicts[0].from == "P1");
  CHECK(out.conflicts[0].to == "P4");
  merge_both_ways(base, x, y);
}

TEST_CASE("tags merge as sets") {
  Ticket base = base_ticket();  // vpn, remote
  TriageArgs a, b;
  a.add_tags = {"urgent"};
  a.remove_tags = {"vpn"};
  b.add_tags = {"network"};
  Ticket x = triage(base, config(), at("2026-11-23T10:00:00Z", ada), a).ticket;
  Ticket y = triage(base, config(), at("2026-11-23T10:01:00Z", bo), b).ticket;
  Ticket m = merge_both_ways(base, x, y);
  CHECK(m.tags == std::vector<std::string>{"remote", "network", "urgent"});
}

TEST_CASE("tags changed on one side only keep that side's order") {
  // Found by fuzz/fuzz_merge (crashes/merge/tags-one-side-reordered): tags added on one side
  // came back sorted, so merging a side that changed nothing rewrote the other's tag line.
  Ticket base = base_ticket();  // vpn, remote
  TriageArgs a;
  a.add_tags = {"zebra", "alpha"};
  Ticket x = triage(base, config(), at("2026-11-23T10:00:00Z", ada), a).ticket;
  Ticket y = comment(base, at("2026-11-23T10:01:00Z", bo), "hi", false).ticket;
  REQUIRE(x.tags == std::vector<std::string>{"vpn", "remote", "zebra", "alpha"});
  CHECK(merge_both_ways(base, x, y).tags == x.tags);
  CHECK(emit_ticket(merge_tickets(base, base, x).ticket) == emit_ticket(x));
  CHECK(emit_ticket(merge_tickets(base, x, base).ticket) == emit_ticket(x));
}

TEST_CASE("checklist steps ticked on different sides are both ticked") {
  Ticket base = base_ticket();
  Ticket x = check(base, at("2026-11-23T10:00:00Z", ada), 1, false).ticket;
  Ticket y = check(base, at("2026-11-23T10:01:00Z", bo), 2, false).ticket;
  Ticket m = merge_both_ways(base, x, y);
  CHECK(m.checklist[0].done);
  CHECK(m.checklist[1].done);
}

TEST_CASE("merging is idempotent and a merge entry is not duplicated by merging again") {
  Ticket base = base_ticket();
  TriageArgs p1, p4;
  p1.priority = "P1";
  p4.priority = "P4";
  Ticket x = triage(base, config(), at("2026-11-23T10:00:00Z", ada), p1).ticket;
  Ticket y = triage(base, config(), at("2026-11-23T10:30:00Z", bo), p4).ticket;
  Ticket m = merge_tickets(base, x, y).ticket;
  CHECK(emit_ticket(merge_tickets(base, x, x).ticket) == emit_ticket(x));
  CHECK(emit_ticket(merge_tickets(x, m, m).ticket) == emit_ticket(m));
  // Two clones that made the same merge and meet again: still one merge entry.
  auto merges = [](const Ticket& t) {
    return std::count_if(t.history.begin(), t.history.end(), [](const HistoryEntry& e) { return e.action == "merge"; });
  };
  CHECK(merges(m) == 1);  // the priority; the SLA policy follows it without an entry of its own
  Ticket again = merge_tickets(y, m, m).ticket;
  CHECK(merges(again) == merges(m));
}

TEST_CASE("unknown keys changed on one side survive the merge") {
  Ticket base = base_ticket();
  Ticket x = base;
  x.extra.insert("customer_ref", "CR-9");
  Ticket y = comment(base, at("2026-11-23T10:01:00Z", bo), "hi", false).ticket;
  Ticket m = merge_both_ways(base, x, y);
  REQUIRE(m.extra.get("customer_ref"));
  CHECK(m.extra.get("customer_ref")->value<std::string>() == "CR-9");
}

TEST_CASE("unknown keys of a checklist step and of the SLA policy changed on one side survive the merge") {
  // Found by fuzz/fuzz_merge (crashes/merge/checklist-step-unknown-key): a step's unknown keys
  // came from ours whatever theirs did, and the policy's were not compared at all, so a change
  // on their side was lost and the result depended on which side was ours.
  Ticket base = base_ticket();
  base.checklist[0].extra.insert("note", "as filed");
  Ticket x = comment(base, at("2026-11-23T10:00:00Z", ada), "hi", false).ticket;
  Ticket y = base;
  y.checklist[0].extra.insert_or_assign("note", "changed");
  y.checklist[1].extra.insert("owner", "bo");
  REQUIRE(y.sla);
  y.sla->extra.insert("contract", "gold");
  for (const Ticket& m : {merge_both_ways(base, x, y), merge_both_ways(base, y, x)}) {
    CHECK(m.checklist[0].extra.get("note")->value<std::string>() == "changed");
    CHECK(m.checklist[1].extra.get("owner")->value<std::string>() == "bo");
    REQUIRE(m.sla);
    REQUIRE(m.sla->extra.get("contract"));
    CHECK(m.sla->extra.get("contract")->value<std::string>() == "gold");
  }
  // Changed on both sides: one deterministic winner, the loser recorded.
  Ticket z = x;
  z.checklist[0].extra.insert_or_assign("note", "other");
  MergeOutcome both = merge_tickets(base, z, y);
  REQUIRE(both.conflicts.size() == 1);
  CHECK(both.conflicts[0].field == "checklist[1].note");
  CHECK(emit_ticket(both.ticket) == emit_ticket(merge_tickets(base, y, z).ticket));
}

TEST_CASE("conflict markers are detected with their line") {
  size_t line = 0;
  CHECK(has_conflict_markers("a = 1\n<<<<<<< HEAD\nb\n", &line));
  CHECK(line == 2);
  CHECK(has_conflict_markers("=======\n"));
  CHECK_FALSE(has_conflict_markers("text = \"\"\"\n  <<<<<<< not at the start\n\"\"\"\n"));
}

TEST_CASE("merging files that are not tickets is refused, naming the path") {
  Ticket base = base_ticket();
  std::string good = emit_ticket(base);
  CHECK_THROWS_WITH(merge_ticket_files(good, good, "<<<<<<< broken", "tickets/ab/x.toml"), Catch::Contains("tickets/ab/x.toml"));
}
