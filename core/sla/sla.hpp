#pragma once
// SLA clocks computed from a ticket's own history, so every clone gets the same answer:
// first response, next update, resolution (targets from the ticket's recorded policy) and the
// tier clock (the current tier's time limit from the config).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/model/ticket.hpp"

namespace desk {

struct ClockStatus {
  std::string name;   // first_response, next_update, resolution, tier
  std::string state;  // ok, at_risk, breached, met; the tier clock: ok, at_risk, over_limit
  bool running = false;  // counting now (not stopped, not paused)
  bool paused = false;   // waiting: not counting now
  Timestamp start{};
  std::optional<Timestamp> due;         // nullopt while paused before reaching the target
  std::optional<Timestamp> stopped_at;  // when the clock stopped (response given, resolved)
  std::chrono::seconds target{0};
  std::chrono::seconds elapsed{0};  // business time counted
  std::chrono::seconds paused_time{0};  // business time spent paused
  std::chrono::seconds overdue{0};  // business time past the target, when breached
  double warning = 0;  // the highest warning level (share of the target) used, 0 when none
  std::string calendar;
};

/// The SLA policy a ticket of this priority runs under: the priority's targets and calendar
/// (the desk's default calendar when the priority names none). Recorded in new, re-prioritized
/// and imported tickets.
SlaPolicy policy_for(const Config& cfg, const std::string& priority);

/// Every clock that applies to the ticket at `now`. Tickets without a recorded policy use the
/// config's policy for their priority. With `update_cycles`, also the next-update cycles that
/// have ended, each a stopped next_update clock: from a public reply to the next one (or to the
/// resolution), paused while waiting on the customer and while resolved; met or breached.
std::vector<ClockStatus> compute_clocks(const Ticket& t, const Config& cfg, Timestamp now,
                                        std::vector<ClockStatus>* update_cycles = nullptr);

/// The customer's SLA clocks (first_response, next_update, resolution); the tier clock is desk's
/// internal target, not one of them.
bool is_sla_clock(std::string_view name);
/// True when any SLA clock is breached.
bool any_breached(const std::vector<ClockStatus>& clocks);
/// True when any SLA clock is at risk (and none breached).
bool any_at_risk(const std::vector<ClockStatus>& clocks);
/// True when the ticket has been in its tier longer than the tier's time limit.
bool over_tier_limit(const std::vector<ClockStatus>& clocks);
/// The earliest due time of a running clock that is not yet met.
std::optional<Timestamp> next_due(const std::vector<ClockStatus>& clocks);

/// True when `by` (an actor "Name <email>") is the ticket's requester.
bool is_requester(const Ticket& t, const std::string& by);

}  // namespace desk
