// desk stats against hand-computed values. The fixture is one week of a small desk built with the
// pure workflow functions at pinned times, on the default config: calendar "business" is UTC
// Mon-Fri 09:00-17:00; P2 targets first response 1h, resolution 8h; P3 4h and 24h.
// 2026-11-23 is a Monday; the period is that week, Monday 00:00 to Sunday 23:59:59.
#include "catch.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/report/stats.hpp"
#include "core/model/workflow.hpp"

using namespace desk;
using namespace std::chrono;

namespace {

Timestamp T(const char* s) {
  auto t = parse_time(s);
  REQUIRE(t);
  return *t;
}

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Context at(const char* when, const char* who = "Ada Agent <ada@example.com>") {
  static uint64_t seed = 100;
  return Context{T(when), who, seeded_random(seed++)};
}

Ticket make(const char* when, const char* priority, const char* title) {
  NewTicketArgs args;
  args.title = title;
  args.priority = priority;
  args.requester = "Lee Customer <lee@example.com>";
  return create_ticket(config(), at(when), args, nullptr, [](const std::string&) { return false; }).ticket;
}

Ticket reply(Ticket t, const char* when) { return comment(std::move(t), at(when), "Looking into it", false).ticket; }

// Each ticket's story, and what it contributes (FR = first response, RES = resolution, business time).
std::vector<Ticket> fixture() {
  std::vector<Ticket> out;

  // A, P3, L1: replied after 1h, resolved after 2h, closed with CSAT 5. First contact.
  Ticket a = make("2026-11-23T09:00:00Z", "P3", "A printer jam");
  a = reply(a, "2026-11-23T10:00:00Z");
  a = resolve(a, at("2026-11-23T11:00:00Z"), "Cleared the jam").ticket;
  a = close(a, at("2026-11-23T12:00:00Z"), 5, "").ticket;
  out.push_back(a);

  // B, P3: reassigned (not first contact); waits on the customer from Monday 10:00 to Tuesday
  // 10:00 (8h of business time paused); FR 30m; RES 1h (Mon 9-10) + 2h (Tue 10-12) = 3h. CSAT 4.
  Ticket b = make("2026-11-23T09:00:00Z", "P3", "B mailbox full");
  b = assign(b, at("2026-11-23T09:10:00Z"), "bob").ticket;
  b = assign(b, at("2026-11-23T09:20:00Z"), "carol").ticket;
  b = reply(b, "2026-11-23T09:30:00Z");
  b = wait(b, at("2026-11-23T10:00:00Z"), "customer", "which mailbox?").ticket;
  b = resume(b, at("2026-11-24T10:00:00Z"), "").ticket;
  b = resolve(b, at("2026-11-24T12:00:00Z"), "Archived").ticket;
  b = close(b, at("2026-11-24T13:00:00Z"), 4, "").ticket;
  out.push_back(b);

  // C, P2: resolved Tuesday, closed with CSAT 2, reopened Wednesday, resolved and closed again
  // with CSAT 3. FR 30m; RES 1h (Tue 9-10) + 2h (Wed 9-11); the resolved night does not count.
  Ticket c = make("2026-11-24T09:00:00Z", "P2", "C VPN drops");
  c = reply(c, "2026-11-24T09:30:00Z");
  c = resolve(c, at("2026-11-24T10:00:00Z"), "Restarted the tunnel").ticket;
  c = close(c, at("2026-11-24T10:30:00Z"), 2, "").ticket;
  c = reopen(c, at("2026-11-25T09:00:00Z"), "drops again").ticket;
  c = resolve(c, at("2026-11-25T11:00:00Z"), "Replaced the router").ticket;
  c = close(c, at("2026-11-25T11:30:00Z"), 3, "").ticket;
  out.push_back(c);

  // D, P3: crosses three tiers, L1 -> L2 -> L3 -> L4 (a vendor wait does not pause resolution),
  // comes back down to L1 and is resolved there. FR 15m; RES Wed 8h + Thu 8h + Fri 2h = 18h.
  Ticket d = make("2026-11-25T09:00:00Z", "P3", "D database slow");
  d = reply(d, "2026-11-25T09:15:00Z");
  d = escalate(d, config(), at("2026-11-25T10:00:00Z"), {std::nullopt, "needs DB access", std::nullopt, std::nullopt, std::nullopt}).ticket;
  d = escalate(d, config(), at("2026-11-25T13:00:00Z"), {std::nullopt, "engine bug", std::nullopt, std::nullopt, std::nullopt}).ticket;
  d = escalate(d, config(), at("2026-11-26T10:00:00Z"), {std::nullopt, "vendor patch", std::string("acme-networks"), std::string("AC-1"), std::nullopt}).ticket;
  d = wait(d, at("2026-11-26T11:00:00Z"), "vendor", "").ticket;
  d = resume(d, at("2026-11-26T15:00:00Z"), "patch arrived").ticket;
  d = deescalate(d, config(), at("2026-11-27T10:00:00Z"), std::string("L1"), "apply patch 4.2").ticket;
  d = resolve(d, at("2026-11-27T11:00:00Z"), "Patched").ticket;
  out.push_back(d);

  // E, P2: nobody replies; resolved Friday 10:00, so FR and RES both stop there after 9h:
  // both breached. First contact all the same.
  Ticket e = make("2026-11-26T09:00:00Z", "P2", "E laptop dead");
  e = resolve(e, at("2026-11-27T10:00:00Z"), "Swapped the laptop").ticket;
  out.push_back(e);

  // F, P3: from the week before, answered then; still open: backlog, aged over 7 days.
  Ticket f = make("2026-11-16T09:00:00Z", "P3", "F old request");
  f = reply(f, "2026-11-16T10:00:00Z");
  out.push_back(f);

  // G, P3: waiting on the customer since Friday: backlog (pending), aged 1-3 days.
  Ticket g = make("2026-11-27T16:00:00Z", "P3", "G access request");
  g = wait(g, at("2026-11-27T16:30:00Z"), "customer", "manager approval?").ticket;
  out.push_back(g);

  // H, P3: filed Sunday evening, untouched: backlog (new), under 1 day.
  out.push_back(make("2026-11-29T20:00:00Z", "P3", "H keyboard"));

  // J, P3: assigned to dave (a first assignment), open: backlog, aged 3-7 days.
  Ticket j = make("2026-11-23T12:00:00Z", "P3", "J monitor");
  j = assign(j, at("2026-11-23T12:05:00Z"), "dave").ticket;
  out.push_back(j);

  // I: all of it the month before; K: filed after the period. Neither counts.
  Ticket i = make("2026-11-02T09:00:00Z", "P3", "I done long ago");
  i = resolve(i, at("2026-11-03T09:00:00Z"), "done").ticket;
  i = close(i, at("2026-11-03T10:00:00Z"), 1, "").ticket;
  out.push_back(i);
  out.push_back(make("2026-11-30T08:00:00Z", "P3", "K next week"));
  return out;
}

// Not built at static initialisation: T() asserts, and Catch2 is not running yet then.
const StatsPeriod week{*parse_time("2026-11-23T00:00:00Z"), *parse_time("2026-11-29T23:59:59Z")};
const Timestamp monday_after = *parse_time("2026-11-30T09:00:00Z");

const TierShare& tier(const Metrics& m, const std::string& name) {
  for (const auto& t : m.tiers)
    if (t.tier == name) return t;
  FAIL("no tier " << name);
  throw std::logic_error("unreachable");
}

const StatsGroup& group(const Stats& s, const std::string& key) {
  for (const auto& g : s.groups)
    if (g.key == key) return g;
  FAIL("no group '" << key << "'");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("stats count created, resolved, closed and reopened tickets in the period", "[stats]") {
  Stats s = compute_stats(fixture(), config(), week, GroupBy::none, monday_after);
  const Metrics& m = s.total;
  CHECK(s.as_of == week.until);
  CHECK(m.tickets == 9);  // A B C D E G H J created in the week, F in the backlog
  CHECK(m.created == 8);
  CHECK(m.resolved == 5);  // A B C D E; C counts once although resolved twice
  CHECK(m.closed == 3);    // A B C
  CHECK(m.reopened == 1);  // C
}

TEST_CASE("stats take the backlog at the end of the period and age it by creation", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  CHECK(m.backlog == 4);  // F J open, G pending, H new; K came later
  CHECK(m.backlog_new == 1);
  CHECK(m.backlog_open == 2);
  CHECK(m.backlog_pending == 1);
  CHECK(m.ageing == std::array<size_t, 4>{1, 1, 1, 1});  // H <1d, G 1-3d, J 3-7d, F >7d
}

TEST_CASE("first contact resolution excludes escalated, reassigned and reopened tickets", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  CHECK(m.first_contact == 2);  // A and E; not B (reassigned), C (reopened), D (escalated)
  REQUIRE(m.fcr_rate);
  CHECK(*m.fcr_rate == Approx(0.4));
  CHECK(m.resolved_then_reopened == 1);
  REQUIRE(m.reopen_rate);
  CHECK(*m.reopen_rate == Approx(0.2));
}

TEST_CASE("each tier keeps the resolved tickets that went no higher", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  REQUIRE(m.tiers.size() == 4);  // L1..L4: L0 takes no tickets
  CHECK(m.tiers.front().tier == "L1");
  const TierShare& l1 = tier(m, "L1");
  CHECK(l1.reached == 5);
  CHECK(l1.resolved_here == 4);  // all but D, which went up to L4 before coming back down
  CHECK(*l1.rate == Approx(0.8));
  CHECK(*l1.share == Approx(0.8));
  for (const char* name : {"L2", "L3"}) {
    CAPTURE(name);
    CHECK(tier(m, name).reached == 1);
    CHECK(tier(m, name).resolved_here == 0);
    CHECK(*tier(m, name).rate == Approx(0.0));
  }
  CHECK(tier(m, "L4").resolved_here == 1);
  CHECK(*tier(m, "L4").rate == Approx(1.0));
  CHECK(*tier(m, "L4").share == Approx(0.2));
}

TEST_CASE("response and resolution times are business time with paused time left out", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  // First response: D 15m, B 30m, C 30m, A 1h, E 9h. F answered the week before; G H J not yet.
  CHECK(m.first_response.samples == std::vector<seconds>{minutes{15}, minutes{30}, minutes{30}, hours{1}, hours{9}});
  CHECK(m.first_response.mean == seconds{8100});  // 40500 / 5 = 2h15m
  CHECK(m.first_response.median == minutes{30});
  CHECK(m.first_response.p90 == hours{9});  // nearest rank: ceil(0.9 * 5) = 5th
  // Resolution: A 2h, B 3h (8h waiting on the customer left out), C 3h (the resolved night left
  // out), E 9h, D 18h (a vendor wait does not pause it).
  CHECK(m.resolution.samples == std::vector<seconds>{hours{2}, hours{3}, hours{3}, hours{9}, hours{18}});
  CHECK(m.resolution.mean == hours{7});  // 35h / 5
  CHECK(m.resolution.median == hours{3});
  CHECK(m.resolution.p90 == hours{18});
}

TEST_CASE("SLA compliance counts met and breached clocks that stopped in the period", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  const Compliance& fr = m.sla.at("first_response");
  CHECK(fr.met == 4);
  CHECK(fr.breached == 1);  // E: 9h against 1h
  CHECK(*fr.rate == Approx(0.8));
  const Compliance& res = m.sla.at("resolution");
  CHECK(res.met == 4);
  CHECK(res.breached == 1);  // E: 9h against 8h
  CHECK(*res.rate == Approx(0.8));
}

TEST_CASE("escalations and de-escalations are counted per tier pair", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  CHECK(m.escalations == 3);
  CHECK(m.escalations_by_pair == std::map<std::string, size_t>{{"L1->L2", 1}, {"L2->L3", 1}, {"L3->L4", 1}});
  CHECK(m.deescalations == 1);
  CHECK(m.deescalations_by_pair == std::map<std::string, size_t>{{"L4->L1", 1}});
}

TEST_CASE("CSAT averages every rating given on a close in the period", "[stats]") {
  const Metrics m = compute_stats(fixture(), config(), week, GroupBy::none, monday_after).total;
  CHECK(m.csat_count == 4);  // A 5, B 4, C 2 then 3; I's 1 is from the month before
  CHECK(m.csat == std::array<size_t, 5>{0, 1, 1, 1, 1});
  REQUIRE(m.csat_mean);
  CHECK(*m.csat_mean == Approx(3.5));
}

TEST_CASE("a period that ended earlier sees the tickets as they stood then", "[stats]") {
  // Monday and Tuesday only: C is resolved and closed and not yet reopened; D E G H not filed.
  StatsPeriod two_days{T("2026-11-23T00:00:00Z"), T("2026-11-24T23:59:59Z")};
  Stats s = compute_stats(fixture(), config(), two_days, GroupBy::none, monday_after);
  const Metrics& m = s.total;
  CHECK(m.created == 4);  // A B C J
  CHECK(m.resolved == 3);
  CHECK(m.reopened == 0);
  CHECK(m.first_contact == 2);  // A and C (its reopen is still to come)
  CHECK(*m.reopen_rate == Approx(0.0));
  CHECK(m.backlog == 2);  // F and J
  CHECK(m.ageing == std::array<size_t, 4>{0, 1, 0, 1});
  CHECK(m.csat_count == 3);
  CHECK(*m.csat_mean == Approx(11.0 / 3.0));
  // C's resolution clock as of Tuesday night: stopped after 1h.
  CHECK(m.resolution.samples == std::vector<seconds>{hours{1}, hours{2}, hours{3}});
}

TEST_CASE("an empty period has counts of zero and no rates", "[stats]") {
  StatsPeriod quiet{T("2026-10-01T00:00:00Z"), T("2026-10-31T23:59:59Z")};
  const Metrics m = compute_stats(fixture(), config(), quiet, GroupBy::none, monday_after).total;
  CHECK(m.tickets == 0);
  CHECK(m.created == 0);
  CHECK_FALSE(m.fcr_rate);
  CHECK_FALSE(m.first_response.mean);
  CHECK_FALSE(m.sla.at("resolution").rate);
  CHECK_FALSE(m.csat_mean);
  CHECK(m.escalations_by_pair.at("L1->L2") == 0);  // adjacent pairs are listed at zero
}

TEST_CASE("grouping by priority splits every metric by the ticket's current priority", "[stats]") {
  Stats s = compute_stats(fixture(), config(), week, GroupBy::priority, monday_after);
  REQUIRE(s.groups.size() == 2);
  CHECK(s.groups[0].key == "P2");  // config order
  CHECK(s.groups[1].key == "P3");
  const Metrics& p2 = group(s, "P2").metrics;  // C and E
  CHECK(p2.created == 2);
  CHECK(p2.resolved == 2);
  CHECK(p2.first_contact == 1);
  CHECK(p2.sla.at("first_response").met == 1);
  CHECK(p2.sla.at("first_response").breached == 1);
  CHECK(p2.resolution.median == hours{6});  // (3h + 9h) / 2
  CHECK(p2.csat_count == 2);
  const Metrics& p3 = group(s, "P3").metrics;
  CHECK(p3.created == 6);
  CHECK(p3.backlog == 4);
  CHECK(p3.escalations == 3);
}

TEST_CASE("grouping by assignee puts the unassigned last", "[stats]") {
  Stats s = compute_stats(fixture(), config(), week, GroupBy::assignee, monday_after);
  REQUIRE(s.groups.size() == 3);
  CHECK(s.groups[0].key == "carol");
  CHECK(s.groups[1].key == "dave");
  CHECK(s.groups[2].key == "");
  CHECK(s.groups[1].metrics.backlog == 1);
}

TEST_CASE("grouping by week and month: each week or month of the period, its backlog at its end", "[stats]") {
  Stats s = compute_stats(fixture(), config(), week, GroupBy::week, monday_after);
  REQUIRE(s.groups.size() == 1);  // the period is one ISO week
  CHECK(s.groups[0].key == "2026-W48");
  CHECK(s.groups[0].metrics.created == 8);
  CHECK(s.groups[0].metrics.backlog == s.total.backlog);  // the week ends with the period
  CHECK(s.groups[0].metrics.tickets == s.total.tickets);
  Stats by_month = compute_stats(fixture(), config(), week, GroupBy::month, monday_after);
  REQUIRE(by_month.groups.size() == 1);
  CHECK(by_month.groups[0].key == "2026-11");
  CHECK(by_month.groups[0].metrics.tickets == 9);
  // Two weeks from a Wednesday: the first row is the week the period starts in (not the weeks
  // tickets in the backlog were created in), every week is a row, and each row's backlog is the
  // backlog at the end of that week.
  StatsPeriod two{T("2026-11-18T00:00:00Z"), T("2026-11-29T23:59:59Z")};
  Stats w2 = compute_stats(fixture(), config(), two, GroupBy::week, monday_after);
  REQUIRE(w2.groups.size() == 2);
  CHECK(w2.groups[0].key == "2026-W47");
  CHECK(w2.groups[1].key == "2026-W48");
  CHECK(w2.groups[1].metrics.created == 8);
  CHECK(w2.groups[0].metrics.created + w2.groups[1].metrics.created == w2.total.created);
  CHECK(w2.groups[1].metrics.backlog == w2.total.backlog);
  CHECK(w2.groups[0].metrics.backlog <= 1);  // at the end of W47 only F existed
}

TEST_CASE("ISO weeks follow the ISO year at its edges", "[stats]") {
  CHECK(iso_week(T("2026-11-23T00:00:00Z")) == "2026-W48");
  CHECK(iso_week(T("2026-11-29T23:59:59Z")) == "2026-W48");
  CHECK(iso_week(T("2027-01-01T12:00:00Z")) == "2026-W53");
  CHECK(iso_week(T("2024-12-30T12:00:00Z")) == "2025-W01");
  CHECK(iso_week(T("2026-01-01T00:00:00Z")) == "2026-W01");
}

TEST_CASE("group names parse, and a period that ends before it starts is refused", "[stats]") {
  CHECK(parse_group_by("tier") == GroupBy::tier);
  CHECK(parse_group_by("month") == GroupBy::month);
  CHECK(parse_group_by("") == GroupBy::none);
  CHECK_FALSE(parse_group_by("colour"));
  CHECK(group_by_name(GroupBy::week) == "week");
  StatsPeriod backwards{week.until, week.since};
  CHECK_THROWS_AS(compute_stats(fixture(), config(), backwards, GroupBy::none, monday_after), Error);
}

TEST_CASE("the knowledge-base link rate counts only links made by the end of the period", "[stats]") {
  // Resolved on Monday; linked to an article only the next Tuesday, after the period.
  Ticket t = make("2026-11-23T09:00:00Z", "P3", "VPN drops");
  t = reply(t, "2026-11-23T09:30:00Z");
  t = resolve(t, at("2026-11-23T11:00:00Z"), "Reset the token").ticket;
  Ticket linked_later = link_articles(t, at("2026-12-01T10:00:00Z"), {"vpn-token-reset"}, false).ticket;
  Ticket linked_in_time = link_articles(t, at("2026-11-24T10:00:00Z"), {"vpn-token-reset"}, false).ticket;
  Timestamp now = T("2026-12-02T09:00:00Z");
  const Metrics later = compute_stats({linked_later}, config(), week, GroupBy::none, now).total;
  const Metrics in_time = compute_stats({linked_in_time}, config(), week, GroupBy::none, now).total;
  CHECK(later.resolved == 1);
  CHECK(later.kb_linked == 0);  // it was not linked in the week
  CHECK(in_time.kb_linked == 1);
  // a period that includes the link sees it
  StatsPeriod two_weeks{T("2026-11-23T00:00:00Z"), T("2026-12-06T23:59:59Z")};
  CHECK(compute_stats({linked_later}, config(), two_weeks, GroupBy::none, now).total.kb_linked == 1);
}
