#include "core/sla/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/model/limits.hpp"
#include "core/util/text.hpp"

namespace desk {

namespace {

bool already_recorded(const Ticket& t, const ClockStatus& c) {
  return std::any_of(t.history.begin(), t.history.end(),
                     [&](const HistoryEntry& e) { return e.action == "breach" && e.clock == c.name && e.due == c.due; });
}

std::string clock_label(const std::string& name) {
  if (name == "first_response") return "first response";
  if (name == "next_update") return "next update";
  return name;
}

}  // namespace

SweepPlan plan_sweep(const std::vector<Ticket>& tickets, const Config& cfg, const Context& ctx) {
  SweepPlan plan;
  for (const Ticket& t : tickets) plan_sweep_ticket(plan, t, cfg, ctx);
  return plan;
}

void plan_sweep_ticket(SweepPlan& plan, const Ticket& original, const Config& cfg, const Context& ctx) {
  {
    if (!is_active_status(original.status)) return;
    auto clocks = compute_clocks(original, cfg, ctx.now);
    // A ticket at desk's limits (history entries, file size) is reported, never grown: the
    // sweep must not fail for it, nor write a file that no command would read again.
    bool full = original.history.size() + clocks.size() + 1 > max_history_entries;
    size_t escalations_before = plan.escalations.size(), new_before = plan.new_breaches.size();
    Ticket t = original;
    std::vector<std::string> did;
    for (const auto& c : clocks) {
      if ((c.state != "breached" && c.state != "over_limit") || !c.due) continue;
      SweepBreach b{t.id, t.title, c.name, *c.due, c.overdue, t.tier, {}};
      if (c.state == "over_limit") {
        auto cur = cfg.tier_index(t.tier);
        bool can_escalate = !full && cur && *cur + 1 < cfg.tiers.size() && !cfg.tiers[*cur + 1].vendor && cfg.tiers[*cur + 1].accepts_tickets;
        // A ticket handed down with the fix (its last tier move a de-escalation) is the lower
        // tier's to close with the customer: the sweep never sends it straight back up.
        bool handed_down = false;
        for (auto it = t.history.rbegin(); it != t.history.rend(); ++it)
          if (it->action == "escalate" || it->action == "deescalate") {
            handed_down = it->action == "deescalate";
            break;
          }
        if (full) b.why = "the ticket is at desk's limits";
        else if (!cur || *cur + 1 >= cfg.tiers.size()) b.why = "no tier above to escalate to";
        else if (!can_escalate) b.why = "the next tier is a vendor's or takes no tickets: escalate by hand";
        else b.why = "de-escalated with the fix, not sent back up";
        if (can_escalate && !handed_down) {
          EscalateArgs args;
          args.note = fmt::format("Automatic escalation by desk sweep: {} in {} exceeded its {} time limit.",
                                  format_business(c.elapsed), t.tier, format_business(c.target));
          Change ch = escalate(t, cfg, ctx, args);
          ch.ticket.history.back().clock = "tier";
          plan.escalations.push_back({t.id, t.title, t.tier, ch.ticket.tier, c.elapsed, c.target});
          did.push_back(fmt::format("escalated {} -> {}", t.tier, ch.ticket.tier));
          t = std::move(ch.ticket);
          continue;  // acted on: the ticket is in its new tier's hands
        }
        // Nowhere to go (the top tier, or the next is a vendor's), or handed down: reported, not
        // recorded. The tier limit is desk's internal target, not a breach of the customer's SLA.
        plan.over_limit.push_back(b);
        continue;
      }
      plan.breached.push_back(b);
      if (full || already_recorded(original, c)) continue;
      HistoryEntry e;
      e.id = make_id(ctx.rng, entry_id_length);
      e.at = ctx.now;
      e.by = ctx.actor;
      e.action = "breach";
      e.clock = c.name;
      e.due = c.due;
      e.text = fmt::format("{} target {} breached: due {}, over by {} (business time)", clock_label(c.name),
                           format_business(c.target), format_time(*c.due), format_business(c.overdue));
      t.history.push_back(std::move(e));
      t.updated = ctx.now;
      plan.new_breaches.push_back(b);
      did.push_back(fmt::format("{} breached", clock_label(c.name)));
    }
    if (did.empty()) return;
    if (emit_ticket(t).size() > max_file_bytes) {
      plan.escalations.resize(escalations_before);
      plan.new_breaches.resize(new_before);
      return;
    }
    std::string subject = fmt::format("sweep {}: {}", short_id(t.id), join(did, ", "));
    plan.changes.push_back(Change{std::move(t), "sweep", std::move(subject), {}});
  }
}

}  // namespace desk
