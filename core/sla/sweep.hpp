#pragma once
// `desk sweep`: the scheduled job. Escalates tickets past their tier's time limit (one tier per
// run, never into a vendor tier) and records each SLA breach once in the ticket's history.
#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/sla/sla.hpp"
#include "core/model/workflow.hpp"

namespace desk {

struct SweepEscalation {
  std::string id, title, from, to;
  std::chrono::seconds elapsed{0}, limit{0};
};

struct SweepBreach {
  std::string id, title, clock;
  Timestamp due{};
  std::chrono::seconds overdue{0};
  std::string tier;  // the ticket's tier (for over_limit)
  std::string why;   // over_limit: why the sweep did not escalate
};

struct SweepPlan {
  std::vector<Change> changes;  // one per ticket that changes
  std::vector<SweepEscalation> escalations;
  std::vector<SweepBreach> new_breaches;  // recorded by this run
  std::vector<SweepBreach> breached;      // every SLA clock breached now, recorded before or not
  std::vector<SweepBreach> over_limit;    // tier time limits passed where the sweep cannot escalate
};

/// Adds what a sweep at ctx.now does to one ticket to the plan (plan_sweep, one ticket at a time).
void plan_sweep_ticket(SweepPlan& plan, const Ticket& t, const Config& cfg, const Context& ctx);

/// What a sweep at ctx.now does to these tickets. Pure: the same tickets give the same plan,
/// and applying it then planning again gives no changes.
SweepPlan plan_sweep(const std::vector<Ticket>& tickets, const Config& cfg, const Context& ctx);

}  // namespace desk
