#include "core/sla/sla.hpp"

#include <algorithm>

#include "core/util/text.hpp"

namespace desk {

using std::chrono::seconds;

namespace {

using Interval = std::pair<Timestamp, Timestamp>;

std::string email_of(const std::string& who) {
  auto lt = who.find('<'), gt = who.find('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) return lower(trim(who.substr(lt + 1, gt - lt - 1)));
  return lower(trim(who));
}

// Sorted, merged intervals clipped to [lo, hi).
std::vector<Interval> normalize(std::vector<Interval> v, Timestamp lo, Timestamp hi) {
  std::vector<Interval> out;
  std::sort(v.begin(), v.end());
  for (auto [a, b] : v) {
    a = std::max(a, lo);
    b = std::min(b, hi);
    if (b <= a) continue;
    if (!out.empty() && a <= out.back().second)
      out.back().second = std::max(out.back().second, b);
    else
      out.emplace_back(a, b);
  }
  return out;
}

// Evaluates one clock that counts from `start` to `end` (now, or when it stopped), not counting
// the `inactive` intervals.
ClockStatus evaluate(std::string name, const Calendar& cal, seconds target, Timestamp start, Timestamp end, bool stopped,
                     const std::vector<Interval>& inactive_in, Timestamp now, double at_risk) {
  ClockStatus c;
  c.name = std::move(name);
  c.calendar = cal.name();
  c.start = start;
  c.target = target;
  if (stopped) c.stopped_at = end;
  if (end < start) end = start;
  auto inactive = normalize(inactive_in, start, end);
  // Active segments: [start, end) minus inactive.
  std::vector<Interval> active;
  Timestamp cursor = start;
  for (const auto& [a, b] : inactive) {
    if (a > cursor) active.emplace_back(cursor, a);
    cursor = std::max(cursor, b);
  }
  bool paused_now = !stopped && !inactive.empty() && inactive.back().second >= end && end == now;
  if (cursor < end) active.emplace_back(cursor, end);
  for (const auto& [a, b] : active) c.elapsed += cal.business_time(a, b);
  for (const auto& [a, b] : inactive) c.paused_time += cal.business_time(a, b);
  // The due time: where the target is reached walking the active segments, continuing after the
  // last one if the clock is still counting.
  seconds remaining = target;
  for (const auto& [a, b] : active) {
    seconds here = cal.business_time(a, b);
    if (remaining <= here) {
      c.due = cal.add_business_time(a, remaining);
      break;
    }
    remaining -= here;
  }
  // Not reached: the rest of the target counts from `end` (now, or when the clock stopped; a
  // clock stopped while paused resumes its remainder from the stop, not from the pause).
  if (!c.due && !paused_now) c.due = cal.add_business_time(end, remaining);
  c.paused = paused_now;
  c.running = !stopped && !paused_now;
  if (c.elapsed > target) c.overdue = c.elapsed - target;
  // Breached is past the target, running or stopped: a clock that has used exactly its target
  // is not (yet) breached, and is met if it stops there.
  bool over = c.elapsed > target;
  if (over)
    c.state = "breached";
  else if (stopped)
    c.state = "met";
  else if (c.elapsed.count() >= static_cast<long long>(at_risk * static_cast<double>(target.count())))
    c.state = "at_risk";
  else
    c.state = "ok";
  return c;
}

}  // namespace

bool is_requester(const Ticket& t, const std::string& by) { return !t.requester.empty() && email_of(t.requester) == email_of(by); }

SlaPolicy policy_for(const Config& cfg, const std::string& priority) {
  SlaPolicy p;
  p.priority = priority;
  if (auto i = cfg.priority_index(priority)) {
    const Priority& pr = cfg.priorities[*i];
    p.calendar = pr.calendar.empty() ? cfg.default_calendar : pr.calendar;
    p.first_response = pr.first_response;
    p.next_update = pr.next_update;
    p.resolution = pr.resolution;
  }
  return p;
}

std::vector<ClockStatus> compute_clocks(const Ticket& t, const Config& cfg, Timestamp now, std::vector<ClockStatus>* update_cycles) {
  std::vector<ClockStatus> out;
  // A ticket without a recorded policy (written by hand) runs under its priority's current one.
  SlaPolicy policy;
  if (t.sla) policy = *t.sla;
  else if (cfg.priority_index(t.priority)) policy = policy_for(cfg, t.priority);
  const Calendar* cal_ptr = nullptr;
  auto it = cfg.calendars.find(policy.calendar.empty() ? cfg.default_calendar : policy.calendar);
  cal_ptr = it != cfg.calendars.end() ? &it->second : &cfg.calendars.at("24x7");
  const Calendar& cal = *cal_ptr;

  // Replay the history (in time order) into the intervals each clock needs.
  std::vector<const HistoryEntry*> entries;
  for (const auto& e : t.history) entries.push_back(&e);
  std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->at < b->at; });

  // One pass over the history: replies, tier changes, waits (a wait ends at the next wait or at
  // any status change away from pending) and resolved periods (ended by a reopen).
  std::vector<Interval> customer_wait, any_wait, resolved;
  std::optional<Timestamp> first_reply, last_reply, first_resolve, last_resolve;
  std::vector<Timestamp> replies;  // every public reply, for the next-update cycles
  Timestamp tier_since = t.created;
  std::string status = "new", waiting_on;
  std::optional<Timestamp> wait_since, resolved_since;
  auto end_wait = [&](Timestamp at) {
    if (!wait_since) return;
    any_wait.emplace_back(*wait_since, at);
    if (waiting_on == "customer") customer_wait.emplace_back(*wait_since, at);
    wait_since.reset();
  };
  for (const HistoryEntry* e : entries) {
    if (e->action == "comment" && !e->internal && !is_requester(t, e->by)) {
      if (!first_reply) first_reply = e->at;
      last_reply = e->at;
      if (update_cycles) replies.push_back(e->at);
    }
    if (e->action == "escalate" || e->action == "deescalate") tier_since = e->at;
    if (e->action == "wait") {
      end_wait(e->at);
      wait_since = e->at;
      waiting_on = e->on;
    } else if (!e->status.empty() && e->status != "pending") {
      end_wait(e->at);
    }
    if (e->status.empty() || e->status == status) continue;
    bool was_done = status == "resolved" || status == "closed";
    bool is_done = e->status == "resolved" || e->status == "closed";
    if (was_done && !is_done && resolved_since) {
      resolved.emplace_back(*resolved_since, e->at);
      resolved_since.reset();
    }
    // A ticket closed straight from active work (closed as a duplicate) stops its clocks as a
    // resolve does.
    if (e->status == "resolved" || (e->status == "closed" && !was_done)) {
      if (!first_resolve) first_resolve = e->at;
      last_resolve = e->at;
      if (!resolved_since) resolved_since = e->at;
    }
    status = e->status;
  }
  end_wait(std::max(now, wait_since.value_or(now)));
  if (resolved_since) resolved.emplace_back(*resolved_since, std::max(now, *resolved_since));
  bool done = (t.status == "resolved" || t.status == "closed") && last_resolve;

  // First response: from creation to the first public reply by someone other than the
  // requester (or the resolution, if that came first). Not paused.
  if (policy.first_response) {
    std::optional<Timestamp> stop = first_reply;
    if (first_resolve && (!stop || *first_resolve < *stop)) stop = first_resolve;
    out.push_back(evaluate("first_response", cal, *policy.first_response, t.created, stop.value_or(now), stop.has_value(), {}, now,
                           cfg.at_risk));
  }
  // Next update: after a reply, the next one is due within the target; paused while waiting on
  // the customer; not running once resolved.
  if (policy.next_update && last_reply && !done) {
    std::vector<Interval> inactive = customer_wait;
    inactive.insert(inactive.end(), resolved.begin(), resolved.end());
    out.push_back(evaluate("next_update", cal, *policy.next_update, *last_reply, now, false, inactive, now, cfg.at_risk));
  }
  // The cycles that ended: each reply's next-update clock, stopped by the next reply, or by the
  // resolution when the ticket is done.
  if (update_cycles && policy.next_update) {
    std::vector<Interval> inactive = customer_wait;
    inactive.insert(inactive.end(), resolved.begin(), resolved.end());
    for (size_t i = 0; i < replies.size(); ++i) {
      std::optional<Timestamp> stop;
      if (i + 1 < replies.size()) stop = replies[i + 1];
      else if (done && *last_resolve >= replies[i]) stop = *last_resolve;
      if (!stop) continue;
      auto cycle_inactive = inactive;
      if (i + 1 == replies.size())  // stopped by the resolution: the resolved time after it is not a pause
        cycle_inactive.erase(std::remove_if(cycle_inactive.begin(), cycle_inactive.end(), [&](const Interval& iv) { return iv.first >= *stop; }),
                             cycle_inactive.end());
      update_cycles->push_back(evaluate("next_update", cal, *policy.next_update, replies[i], *stop, true, cycle_inactive, now, cfg.at_risk));
    }
  }
  // Resolution: from creation to resolution; paused while waiting on the customer and while
  // resolved (a reopen resumes it).
  if (policy.resolution) {
    std::vector<Interval> inactive = customer_wait;
    inactive.insert(inactive.end(), resolved.begin(), resolved.end());
    if (done) inactive.erase(std::remove_if(inactive.begin(), inactive.end(), [&](const Interval& iv) { return iv.first >= *last_resolve; }), inactive.end());
    out.push_back(evaluate("resolution", cal, *policy.resolution, t.created, done ? *last_resolve : now, done, inactive, now, cfg.at_risk));
  }
  // Tier: time in the current tier against its limit; paused by any wait.
  if (!done) {
    auto ti = cfg.tier_index(t.tier);
    if (auto limit = ti ? cfg.tiers[*ti].limit_for(t.priority, t.type) : std::nullopt) {
      std::vector<Interval> inactive = any_wait;
      inactive.insert(inactive.end(), resolved.begin(), resolved.end());
      ClockStatus c = evaluate("tier", cal, *limit, tier_since, now, false, inactive, now, cfg.at_risk);
      // The tier's time limit is desk's internal target (when the sweep escalates), not a promise
      // to the customer: past it the clock is over its limit, never "breached".
      if (c.state == "breached") c.state = "over_limit";
      out.push_back(std::move(c));
    }
  }
  for (auto& c : out) {
    if (c.target.count() <= 0) continue;
    double used = static_cast<double>(c.elapsed.count()) / static_cast<double>(c.target.count());
    for (double level : cfg.warn_at)
      if (used >= level) c.warning = level;
  }
  return out;
}

bool is_sla_clock(std::string_view name) { return name == "first_response" || name == "next_update" || name == "resolution"; }

bool any_breached(const std::vector<ClockStatus>& clocks) {
  return std::any_of(clocks.begin(), clocks.end(), [](const ClockStatus& c) { return c.state == "breached"; });
}

bool any_at_risk(const std::vector<ClockStatus>& clocks) {
  return !any_breached(clocks) &&
         std::any_of(clocks.begin(), clocks.end(), [](const ClockStatus& c) { return is_sla_clock(c.name) && c.state == "at_risk"; });
}

bool over_tier_limit(const std::vector<ClockStatus>& clocks) {
  return std::any_of(clocks.begin(), clocks.end(), [](const ClockStatus& c) { return c.state == "over_limit"; });
}

std::optional<Timestamp> next_due(const std::vector<ClockStatus>& clocks) {
  std::optional<Timestamp> best;
  for (const auto& c : clocks)
    if (c.running && c.due && c.state != "met" && (!best || *c.due < *best)) best = c.due;
  return best;
}

}  // namespace desk
