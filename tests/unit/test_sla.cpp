#include "catch.hpp"
#include "core/sla/calendar.hpp"
#include "core/model/config.hpp"
#include "core/util/error.hpp"
#include "core/sla/sla.hpp"
#include "core/sla/sweep.hpp"
#include "core/model/workflow.hpp"

using namespace desk;
using namespace std::chrono;

namespace {

Timestamp T(const char* s) {
  auto t = parse_time(s);
  REQUIRE(t);
  return *t;
}

std::array<std::vector<std::pair<int, int>>, 7> weekdays(int from_h, int to_h) {
  std::array<std::vector<std::pair<int, int>>, 7> h{};
  for (int d = 1; d <= 5; ++d) h[static_cast<size_t>(d)] = {{from_h * 60, to_h * 60}};
  return h;
}

std::array<std::vector<std::pair<int, int>>, 7> every_day_all_day() {
  std::array<std::vector<std::pair<int, int>>, 7> h{};
  for (auto& d : h) d = {{0, 24 * 60}};
  return h;
}

const Config& config() {
  static Config c = parse_config(default_config_text(), "config.toml");
  return c;
}

Context at(const char* when, const char* who = "Ada Agent <ada@example.com>") {
  static uint64_t seed = 1;
  return Context{T(when), who, seeded_random(seed++)};
}

Ticket make(const char* when, const char* priority = "P3") {
  NewTicketArgs args;
  args.title = "VPN drops";
  args.priority = priority;
  args.requester = "Lee Customer <lee@example.com>";
  return create_ticket(config(), at(when), args, nullptr, [](const std::string&) { return false; }).ticket;
}

const ClockStatus& clock(const std::vector<ClockStatus>& clocks, const std::string& name) {
  for (const auto& c : clocks)
    if (c.name == name) return c;
  FAIL("no clock " << name);
  throw std::logic_error("unreachable");
}

bool has_clock(const std::vector<ClockStatus>& clocks, const std::string& name) {
  for (const auto& c : clocks)
    if (c.name == name) return true;
  return false;
}

}  // namespace

TEST_CASE("business time counts only opening hours across nights, weekends and holidays") {
  std::set<sys_days> holidays = {sys_days{year{2026} / 12 / 25}};
  Calendar cal = Calendar::weekly("business", "UTC", weekdays(9, 17), holidays);
  struct Row {
    const char* from;
    const char* to;
    long long hours_x60;  // minutes
  };
  auto row = GENERATE(values<Row>({
      {"2026-11-23T10:00:00Z", "2026-11-23T12:30:00Z", 150},  // within a day
      {"2026-11-23T16:00:00Z", "2026-11-24T10:00:00Z", 120},  // across a night
      {"2026-11-27T16:00:00Z", "2026-11-30T10:00:00Z", 120},  // Friday to Monday
      {"2026-11-28T10:00:00Z", "2026-11-29T18:00:00Z", 0},    // a weekend
      {"2026-11-23T06:00:00Z", "2026-11-23T08:00:00Z", 0},    // before opening
      {"2026-11-23T18:00:00Z", "2026-11-24T08:00:00Z", 0},    // a night
      {"2026-12-24T16:00:00Z", "2026-12-28T10:00:00Z", 120},  // Thursday, Christmas Friday, weekend, Monday
      {"2026-11-23T09:00:00Z", "2026-11-30T09:00:00Z", 5 * 8 * 60},  // a week
      {"2026-11-23T12:00:00Z", "2026-11-23T11:00:00Z", 0},    // reversed interval
  }));
  CAPTURE(row.from, row.to);
  CHECK(cal.business_time(T(row.from), T(row.to)) == minutes{row.hours_x60});
}

TEST_CASE("adding business time skips closed hours and lands inside opening hours") {
  std::set<sys_days> holidays = {sys_days{year{2026} / 12 / 25}};
  Calendar cal = Calendar::weekly("business", "UTC", weekdays(9, 17), holidays);
  struct Row {
    const char* from;
    long long minutes_to_add;
    const char* expect;
  };
  auto row = GENERATE(values<Row>({
      {"2026-11-23T09:00:00Z", 60, "2026-11-23T10:00:00Z"},
      {"2026-11-23T16:00:00Z", 120, "2026-11-24T10:00:00Z"},
      {"2026-11-23T20:00:00Z", 30, "2026-11-24T09:30:00Z"},  // starts at night
      {"2026-11-27T16:30:00Z", 60, "2026-11-30T09:30:00Z"},  // over a weekend
      {"2026-12-24T16:00:00Z", 120, "2026-12-28T10:00:00Z"},  // over a holiday and a weekend
      {"2026-11-23T09:00:00Z", 8 * 60, "2026-11-23T17:00:00Z"},  // exactly one business day
  }));
  CAPTURE(row.from, row.minutes_to_add);
  Timestamp got = cal.add_business_time(T(row.from), minutes{row.minutes_to_add});
  CHECK(format_time(got) == row.expect);
  CHECK(cal.business_time(T(row.from), got) == minutes{row.minutes_to_add});
}

TEST_CASE("business time follows both daylight-saving transitions in Europe/Berlin") {
  Calendar all_day = Calendar::weekly("berlin", "Europe/Berlin", every_day_all_day(), {});
  // Spring forward: the local day 2027-03-28 has 23 hours; fall back: 2026-10-25 has 25.
  CHECK(all_day.business_time(T("2027-03-27T23:00:00Z"), T("2027-03-28T22:00:00Z")) == hours{23});
  CHECK(all_day.business_time(T("2026-10-24T22:00:00Z"), T("2026-10-25T23:00:00Z")) == hours{25});
  Calendar office = Calendar::weekly("berlin", "Europe/Berlin", weekdays(9, 17), {});
  // Friday 09:00 CET (08:00Z) to Monday 09:00 CEST (07:00Z): one business day, 71 wall hours.
  CHECK(office.business_time(T("2027-03-26T08:00:00Z"), T("2027-03-29T07:00:00Z")) == hours{8});
  // Friday 16:00 CET + 2h lands on Monday 10:00 CEST.
  CHECK(format_time(office.add_business_time(T("2027-03-26T15:00:00Z"), hours{2})) == "2027-03-29T08:00:00Z");
  // Autumn: Friday 16:00 CEST (14:00Z) + 2h lands on Monday 10:00 CET (09:00Z).
  CHECK(format_time(office.add_business_time(T("2026-10-23T14:00:00Z"), hours{2})) == "2026-10-26T09:00:00Z");
}

TEST_CASE("a 24x7 calendar counts wall-clock time") {
  Calendar cal = Calendar::always_open();
  CHECK(cal.business_time(T("2026-11-28T10:00:00Z"), T("2026-11-29T10:00:00Z")) == hours{24});
  CHECK(format_time(cal.add_business_time(T("2026-11-28T23:00:00Z"), hours{4})) == "2026-11-29T03:00:00Z");
}

TEST_CASE("an unknown time zone or malformed hours are refused") {
  CHECK_THROWS_AS(Calendar::weekly("x", "Mars/Olympus", weekdays(9, 17), {}), Error);
  CHECK_FALSE(Calendar::parse_hours("17:00-09:00"));
  CHECK_FALSE(Calendar::parse_hours("9-17"));
  CHECK_FALSE(Calendar::parse_hours("09:00-12:00,11:00-13:00"));
  REQUIRE(Calendar::parse_hours("09:00-12:00,13:00-17:00"));
  CHECK(Calendar::parse_hours("09:00-12:00,13:00-17:00")->size() == 2);
}

TEST_CASE("resolution clock pauses while waiting on the customer") {
  Ticket t = make("2026-11-23T09:00:00Z");  // Monday, P3: resolution 24h of business time
  t = wait(t, at("2026-11-23T10:00:00Z"), "customer", "").ticket;
  t = resume(t, at("2026-11-23T15:00:00Z"), "").ticket;
  auto clocks = compute_clocks(t, config(), T("2026-11-23T16:00:00Z"));
  const auto& r = clock(clocks, "resolution");
  CHECK(r.elapsed == hours{2});
  CHECK(r.paused_time == hours{5});
  CHECK(r.state == "ok");
  CHECK(r.running);
  // 24h of business time = three 8h days, pushed back by the 5h pause.
  CHECK(format_time(*r.due) == "2026-11-26T14:00:00Z");
}

TEST_CASE("a pause that starts and ends outside business hours costs no business time") {
  Ticket t = make("2026-11-23T09:00:00Z");
  t = wait(t, at("2026-11-23T18:00:00Z"), "customer", "").ticket;
  t = resume(t, at("2026-11-24T08:00:00Z"), "").ticket;
  auto clocks = compute_clocks(t, config(), T("2026-11-24T10:00:00Z"));
  CHECK(clock(clocks, "resolution").elapsed == hours{9});
  CHECK(clock(clocks, "resolution").paused_time == hours{0});
}

TEST_CASE("a clock paused now has no due time and says so") {
  Ticket t = make("2026-11-23T09:00:00Z");
  t = wait(t, at("2026-11-23T11:00:00Z"), "customer", "").ticket;
  auto clocks = compute_clocks(t, config(), T("2026-11-24T12:00:00Z"));
  const auto& r = clock(clocks, "resolution");
  CHECK(r.paused);
  CHECK_FALSE(r.running);
  CHECK_FALSE(r.due);
  CHECK(r.elapsed == hours{2});
}

TEST_CASE("waiting on a vendor pauses the tier clock but not the resolution clock") {
  Ticket t = make("2026-11-23T09:00:00Z");
  t = wait(t, at("2026-11-23T09:10:00Z"), "vendor", "").ticket;
  auto clocks = compute_clocks(t, config(), T("2026-11-23T12:10:00Z"));
  CHECK(clock(clocks, "resolution").elapsed == hours{3} + minutes{10});
  CHECK(clock(clocks, "tier").elapsed == minutes{10});
  CHECK(clock(clocks, "tier").state == "ok");  // L1's limit is 30m, but the vendor has it
}

TEST_CASE("only a public reply by an agent stops the first-response clock") {
  Ticket t = make("2026-11-23T09:00:00Z");
  t = comment(t, at("2026-11-23T09:30:00Z"), "looking into it", true).ticket;                       // internal
  t = comment(t, at("2026-11-23T09:40:00Z", "Lee Customer <lee@example.com>"), "any news?", false).ticket;  // requester
  auto open = compute_clocks(t, config(), T("2026-11-23T10:00:00Z"));
  CHECK_FALSE(clock(open, "first_response").stopped_at);
  CHECK(clock(open, "first_response").state == "ok");
  CHECK_FALSE(has_clock(open, "next_update"));
  t = comment(t, at("2026-11-23T10:30:00Z"), "we reset your token", false).ticket;
  auto answered = compute_clocks(t, config(), T("2026-11-23T11:00:00Z"));
  CHECK(clock(answered, "first_response").state == "met");
  CHECK(format_time(*clock(answered, "first_response").stopped_at) == "2026-11-23T10:30:00Z");
  CHECK(clock(answered, "next_update").start == T("2026-11-23T10:30:00Z"));
}

TEST_CASE("clock states go from ok to at risk to breached, with the overdue amount") {
  Ticket t = make("2026-11-23T09:00:00Z", "P2");  // first response 1h
  struct Row {
    const char* now;
    const char* state;
    long long overdue_min;
  };
  auto row = GENERATE(values<Row>({
      {"2026-11-23T09:30:00Z", "ok", 0},
      {"2026-11-23T09:45:00Z", "at_risk", 0},
      {"2026-11-23T10:00:00Z", "at_risk", 0},   // exactly the target used: not yet past it
      {"2026-11-23T10:01:00Z", "breached", 1},
      {"2026-11-23T11:30:00Z", "breached", 90},
      {"2026-11-23T20:00:00Z", "breached", 7 * 60},  // the night does not count
  }));
  CAPTURE(row.now);
  auto c = clock(compute_clocks(t, config(), T(row.now)), "first_response");
  CHECK(c.state == row.state);
  CHECK(c.overdue == minutes{row.overdue_min});
}

TEST_CASE("a priority change re-targets from the ticket's start and keeps paused time") {
  Ticket t = make("2026-11-23T09:00:00Z", "P3");
  t = wait(t, at("2026-11-23T10:00:00Z"), "customer", "").ticket;
  t = resume(t, at("2026-11-23T11:00:00Z"), "").ticket;
  TriageArgs up;
  up.priority = "P2";
  t = triage(t, config(), at("2026-11-23T12:00:00Z"), up).ticket;
  REQUIRE(t.sla);
  CHECK(t.sla->priority == "P2");
  CHECK(t.sla->resolution == hours{8});
  auto r = clock(compute_clocks(t, config(), T("2026-11-23T13:00:00Z")), "resolution");
  CHECK(r.target == hours{8});
  CHECK(r.elapsed == hours{3});
  CHECK(r.paused_time == hours{1});
  CHECK(format_time(*r.due) == "2026-11-24T10:00:00Z");  // 8h + 1h paused from 09:00 Monday
}

TEST_CASE("the recorded policy wins over a later config change") {
  Ticket t = make("2026-11-23T09:00:00Z", "P3");
  Config changed = config();
  changed.priorities[2].resolution = hours{1};
  auto r = clock(compute_clocks(t, changed, T("2026-11-23T12:00:00Z")), "resolution");
  CHECK(r.target == hours{24});
  CHECK(r.state == "ok");
}

TEST_CASE("reopen after resolve resumes the resolution clock without the resolved period") {
  Ticket t = make("2026-11-23T09:00:00Z");
  t = resolve(t, at("2026-11-23T11:00:00Z"), "reset the token").ticket;
  auto done = clock(compute_clocks(t, config(), T("2026-11-25T09:00:00Z")), "resolution");
  CHECK(done.state == "met");
  CHECK(done.elapsed == hours{2});
  t = reopen(t, at("2026-11-24T09:00:00Z"), "drops again").ticket;
  auto again = clock(compute_clocks(t, config(), T("2026-11-24T10:00:00Z")), "resolution");
  CHECK(again.running);
  CHECK(again.elapsed == hours{3});
  CHECK(again.paused_time == hours{6});  // Monday 11:00-17:00 while resolved
}

TEST_CASE("sweep escalates past a tier's time limit once and records each breach once") {
  Ticket a = make("2026-11-23T09:00:00Z", "P3");
  Ticket b = make("2026-11-23T09:00:00Z", "P2");
  std::vector<Ticket> tickets = {a, b};
  Context ctx = at("2026-11-23T10:30:00Z", "desk sweep <ci@example.com>");
  SweepPlan plan = plan_sweep(tickets, config(), ctx);
  REQUIRE(plan.escalations.size() == 2);  // both spent 90m in L1 (limit 30m)
  CHECK(plan.escalations[0].to == "L2");
  REQUIRE(plan.new_breaches.size() == 1);  // b's first response (1h) is breached
  CHECK(plan.new_breaches[0].clock == "first_response");
  CHECK(plan.new_breaches[0].overdue == minutes{30});
  std::vector<Ticket> after;
  for (const auto& c : plan.changes) after.push_back(c.ticket);
  SweepPlan again = plan_sweep(after, config(), at("2026-11-23T10:31:00Z", "desk sweep <ci@example.com>"));
  CHECK(again.changes.empty());
  CHECK(again.breached.size() == 1);  // still in breach, already recorded
}

TEST_CASE("sweep never escalates into a vendor tier") {
  Config cfg = config();
  cfg.tiers[3].time_limit = minutes{30};  // give L3 a limit; L4 is the vendor tier
  Ticket t = make("2026-11-23T09:00:00Z", "P3");
  EscalateArgs to_l3;
  to_l3.to = "L3";
  to_l3.note = "needs engineering";
  t = escalate(t, cfg, at("2026-11-23T09:05:00Z"), to_l3).ticket;
  SweepPlan plan = plan_sweep({t}, cfg, at("2026-11-23T12:00:00Z", "desk sweep <ci@example.com>"));
  CHECK(plan.escalations.empty());
  // The tier limit is an internal target: reported, never recorded or counted as an SLA breach.
  CHECK(plan.new_breaches.empty());
  CHECK(plan.breached.empty());
  CHECK(plan.changes.empty());
  REQUIRE(plan.over_limit.size() == 1);
  CHECK(plan.over_limit[0].clock == "tier");
  CHECK(plan.over_limit[0].overdue == minutes{145});  // 09:05-12:00 in L3 (175m) against its 30m
  auto clocks = compute_clocks(t, cfg, T("2026-11-23T12:00:00Z"));
  CHECK(clock(clocks, "tier").state == "over_limit");
  CHECK_FALSE(any_breached(clocks));
  CHECK(over_tier_limit(clocks));
}

TEST_CASE("clocks report the highest warning level used and are at risk from the last one") {
  Ticket t = make("2026-11-23T09:00:00Z", "P2");  // first response 1h; warn_at = [0.5, 0.75]
  struct Row {
    const char* now;
    double warning;
    const char* state;
  };
  auto row = GENERATE(values<Row>({
      {"2026-11-23T09:20:00Z", 0.0, "ok"},
      {"2026-11-23T09:30:00Z", 0.5, "ok"},
      {"2026-11-23T09:50:00Z", 0.75, "at_risk"},
  }));
  CAPTURE(row.now);
  auto c = clock(compute_clocks(t, config(), T(row.now)), "first_response");
  CHECK(c.warning == row.warning);
  CHECK(c.state == row.state);
}

TEST_CASE("warning levels must increase between 0 and 1") {
  std::string text(default_config_text());
  auto bad = text;
  bad.replace(bad.find("warn_at = [0.5, 0.75]"), 21, "warn_at = [0.75, 0.5]");
  CHECK_THROWS_WITH(parse_config(bad, "config.toml"), Catch::Contains("warn_at"));
}

TEST_CASE("a running clock that has used exactly its target is not breached, as a stopped one is met") {
  // P3 first response 4h on the business calendar (Mon-Fri 09-17): new at 13:00 Monday.
  Ticket t = make("2026-11-23T13:00:00Z");
  auto at_17 = clock(compute_clocks(t, config(), T("2026-11-23T17:00:00Z")), "first_response");
  CHECK(at_17.elapsed == hours{4});
  CHECK(at_17.state == "at_risk");
  CHECK(at_17.overdue == seconds{0});
  // overnight no business time passes, so it is still not past its target...
  CHECK(clock(compute_clocks(t, config(), T("2026-11-24T08:00:00Z")), "first_response").state == "at_risk");
  // ...and one business second later it is
  auto next_day = clock(compute_clocks(t, config(), T("2026-11-24T09:00:01Z")), "first_response");
  CHECK(next_day.state == "breached");
  CHECK(next_day.overdue == seconds{1});
  // the sweep records nothing at exactly the target
  SweepPlan plan;
  plan_sweep_ticket(plan, t, config(), at("2026-11-23T17:00:00Z"));
  CHECK(plan.new_breaches.empty());
  // answered at 17:00 it is met, as it was not breached a moment before
  Ticket answered = comment(t, at("2026-11-23T17:00:00Z"), "on it", false).ticket;
  CHECK(clock(compute_clocks(answered, config(), T("2026-11-23T17:00:00Z")), "first_response").state == "met");
}

TEST_CASE("a clock stopped while paused is due where its remainder runs out after the stop") {
  // P3 resolution 24h business. Paused on the customer at 10:00 Monday (1h used), resolved while
  // still waiting on Tuesday 11:00: the 23h left are not reached, so its due time lies after
  // the stop, one second from where it lies when resumed a second before resolving.
  Ticket t = make("2026-11-23T09:00:00Z");
  t = wait(t, at("2026-11-23T10:00:00Z"), "customer", "").ticket;
  Ticket resolved_waiting = resolve(t, at("2026-11-24T11:00:00Z"), "fixed").ticket;
  Ticket resumed = resume(t, at("2026-11-24T10:59:59Z"), "").ticket;
  resumed = resolve(resumed, at("2026-11-24T11:00:00Z"), "fixed").ticket;
  auto a = clock(compute_clocks(resolved_waiting, config(), T("2026-11-25T09:00:00Z")), "resolution");
  auto b = clock(compute_clocks(resumed, config(), T("2026-11-25T09:00:00Z")), "resolution");
  CHECK(a.state == "met");
  CHECK(a.elapsed == hours{1});
  REQUIRE(a.due);
  REQUIRE(b.due);
  // 23h of business time from Tuesday 11:00: Tue 6h, Wed 8h, Thu 8h, Fri 1h. Before the fix it
  // counted from the pause (Monday 10:00) and said Thursday 09:00... as if the pause never was.
  CHECK(format_time(*a.due) == "2026-11-27T10:00:00Z");
  CHECK(format_time(*b.due) == "2026-11-27T09:59:59Z");  // one second of it used after the resume
}

TEST_CASE("sweep never sends a ticket handed down with the fix straight back up", "[sla][sweep]") {
  Ticket t = make("2026-11-23T09:00:00Z", "P3");
  EscalateArgs up;
  up.note = "needs L2";
  t = escalate(t, config(), at("2026-11-23T09:05:00Z"), up).ticket;
  t = deescalate(t, config(), at("2026-11-23T09:20:00Z"), std::string("L1"), "Fixed the profile; ask the user to log in again").ticket;
  // an hour later L1 (limit 30m) is over its limit: reported, not escalated
  SweepPlan plan = plan_sweep({t}, config(), at("2026-11-23T10:30:00Z", "desk sweep <ci@example.com>"));
  CHECK(plan.escalations.empty());
  CHECK(plan.changes.empty());
  REQUIRE(plan.over_limit.size() == 1);
  CHECK(plan.over_limit[0].why == "de-escalated with the fix, not sent back up");
  // escalated again by hand, the sweep treats it as any other
  t = escalate(t, config(), at("2026-11-23T10:40:00Z"), up).ticket;
  Config cfg = config();
  cfg.tiers[2].time_limit = std::chrono::minutes{30};  // L2
  SweepPlan later = plan_sweep({t}, cfg, at("2026-11-23T12:00:00Z", "desk sweep <ci@example.com>"));
  CHECK(later.escalations.size() == 1);
}

TEST_CASE("a tier's time limit can differ by priority and by type, a priority's winning", "[sla][tier]") {
  std::string text(default_config_text());
  std::string l1 = "name = \"L1\"\ntitle = \"Service desk\"\ntime_limit = \"30m\"\n";
  REQUIRE(text.find(l1) != std::string::npos);
  text.replace(text.find(l1), l1.size(), l1 + "time_limits = { P1 = \"10m\", P5 = \"4h\", change = \"2h\" }\n");
  Config cfg = parse_config(text, "config.toml");
  const Tier& tier = cfg.tiers[*cfg.tier_index("L1")];
  CHECK(tier.limit_for("P1", "incident") == minutes{10});
  CHECK(tier.limit_for("P3", "change") == hours{2});
  CHECK(tier.limit_for("P1", "change") == minutes{10});  // the priority's wins
  CHECK(tier.limit_for("P3", "incident") == minutes{30});
  CHECK_FALSE(cfg.tiers[*cfg.tier_index("L3")].limit_for("P1", "incident"));
  // 15 minutes in (Monday, in business hours): the P1 is over its 10m, the P3 within its 30m.
  NewTicketArgs args;
  args.title = "Mail down";
  args.priority = "P1";
  Ticket p1 = create_ticket(cfg, at("2026-11-23T10:00:00Z"), args, nullptr, [](const std::string&) { return false; }).ticket;
  args.priority = "P3";
  Ticket p3 = create_ticket(cfg, at("2026-11-23T10:00:00Z"), args, nullptr, [](const std::string&) { return false; }).ticket;
  auto c1 = compute_clocks(p1, cfg, T("2026-11-23T10:15:00Z"));
  auto c3 = compute_clocks(p3, cfg, T("2026-11-23T10:15:00Z"));
  CHECK(clock(c1, "tier").target == minutes{10});
  CHECK(clock(c1, "tier").state == "over_limit");
  CHECK(clock(c3, "tier").target == minutes{30});
  CHECK(clock(c3, "tier").state == "ok");
  // A key that is neither a priority nor a type, or not a duration, is refused with its place.
  std::string bad = text;
  bad.replace(bad.find("P5 = \"4h\""), 9, "P9 = \"4h\"");
  CHECK_THROWS_WITH(parse_config(bad, "config.toml"), Catch::Matchers::Contains("time limit for 'P9', which is neither a priority nor a type"));
  bad = text;
  bad.replace(bad.find("P5 = \"4h\""), 9, "P5 = \"4x\"");
  CHECK_THROWS_WITH(parse_config(bad, "config.toml"), Catch::Matchers::Contains("time limit 'P5' must be a duration"));
}

TEST_CASE("next-update cycles run from each public reply to the next, or to the resolution, paused by waits", "[sla]") {
  // P3: next update within 8h of business time (Mon-Fri 09:00-17:00 UTC); 2026-11-23 is a Monday.
  Ticket t = make("2026-11-23T09:00:00Z");
  t = comment(t, at("2026-11-23T10:00:00Z"), "looking into it", false).ticket;
  t = comment(t, at("2026-11-23T11:00:00Z"), "a note", true).ticket;  // internal: no reply
  t = comment(t, at("2026-11-23T12:00:00Z"), "reset your token", false).ticket;            // 2h: met
  t = wait(t, at("2026-11-23T13:00:00Z"), "customer", "which office?").ticket;
  t = resume(t, at("2026-11-24T13:00:00Z"), "").ticket;                                     // 8h paused
  t = comment(t, at("2026-11-25T16:00:00Z"), "still on it", false).ticket;  // 5h + 8h + 7h = 20h, 8h of it paused: 12h, breached
  std::vector<ClockStatus> cycles;
  auto running = compute_clocks(t, config(), T("2026-11-25T16:30:00Z"), &cycles);
  REQUIRE(cycles.size() == 2);  // the third cycle, from the last reply, still runs
  CHECK(cycles[0].start == T("2026-11-23T10:00:00Z"));
  CHECK(*cycles[0].stopped_at == T("2026-11-23T12:00:00Z"));
  CHECK(cycles[0].elapsed == hours{2});
  CHECK(cycles[0].state == "met");
  CHECK(cycles[1].elapsed == hours{12});     // Mon 12-13, Tue 13-17, Wed 9-16
  CHECK(cycles[1].paused_time == hours{8});  // Mon 13-17, Tue 9-13
  CHECK(cycles[1].state == "breached");
  CHECK(clock(running, "next_update").running);
  t = resolve(t, at("2026-11-26T10:00:00Z"), "replaced the token").ticket;
  cycles.clear();
  compute_clocks(t, config(), T("2026-11-27T10:00:00Z"), &cycles);
  REQUIRE(cycles.size() == 3);  // the last one stopped by the resolution
  CHECK(*cycles[2].stopped_at == T("2026-11-26T10:00:00Z"));
  CHECK(cycles[2].elapsed == hours{2});  // Wed 16-17, Thu 9-10
  CHECK(cycles[2].state == "met");
}
