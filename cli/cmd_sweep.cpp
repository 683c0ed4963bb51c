#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/model/id.hpp"
#include "core/store/index.hpp"
#include "core/report/json.hpp"
#include "core/sla/sweep.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

Mutation sweep_mutation(const SweepPlan& plan) {
  Mutation m;
  for (const auto& c : plan.changes) m.files.push_back({ticket_path(c.ticket.id), emit_ticket(c.ticket)});
  std::vector<std::string> parts;
  if (!plan.escalations.empty()) parts.push_back(fmt::format("escalated {}", plan.escalations.size()));
  if (!plan.new_breaches.empty()) parts.push_back(fmt::format("recorded {} breach{}", plan.new_breaches.size(), plan.new_breaches.size() == 1 ? "" : "es"));
  m.subject = "sweep: " + join(parts, ", ");
  for (const auto& c : plan.changes) m.body += c.subject + "\n";
  m.trailers.emplace_back("Desk-Action", "sweep");
  m.skip_dirty = true;
  for (const auto& c : plan.changes) m.trailers.emplace_back("Desk-Ticket", c.ticket.id);
  return m;
}

}  // namespace

void define_sweep(CLI::App& cmd, Session& s) {
  struct Options {
    bool dry_run = false, json = false, exit_code = false;
  };
  auto o = std::make_shared<Options>();
  add_dry_run_flag(cmd, o->dry_run, "show what would happen, change nothing");
  cmd.add_flag("--exit-code", o->exit_code, "exit with 4 when any ticket is in breach (for CI)");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    SweepPlan plan;
    CommitResult result;
    Context ctx{s.now(), "", s.env().rng};
    std::vector<Problem> problems;
    // Only active tickets have running clocks: resolved and closed ones are not even parsed.
    // One ticket at a time: the plan keeps only the tickets it changes (a dry run not even those).
    auto plan_at = [&](const Snapshot& snap) {
      plan = SweepPlan{};
      problems = for_each_ticket(
          d, snap, {[](std::string_view status) { return is_active_status(status); }, nullptr, true, std::nullopt}, [&] { plan = SweepPlan{}; },
          [&](Ticket&& t) {
            size_t before = plan.changes.size();
            plan_sweep_ticket(plan, t, d.config(), ctx);
            if (o->dry_run && plan.changes.size() > before) plan.changes.back().ticket = Ticket{};
          });
    };
    auto build = [&](const Snapshot& snap) {
      plan_at(snap);
      return sweep_mutation(plan);
    };
    if (o->dry_run) {
      plan_at(d.head());
    } else {
      auto [author, committer] = s.identity();
      ctx.actor = author.display();
      result = d.commit(author, committer, ctx.now, build);
    }
    // Tickets with uncommitted hand edits are left alone (and said so); the rest is swept.
    std::set<std::string> skipped;
    for (const auto& path : result.skipped) skipped.insert(path);
    if (o->dry_run) {
      Snapshot snap = d.head();
      for (const auto& e : plan.escalations)
        if (d.is_dirty(snap, ticket_path(e.id))) skipped.insert(ticket_path(e.id));
      for (const auto& b : plan.new_breaches)
        if (d.is_dirty(snap, ticket_path(b.id))) skipped.insert(ticket_path(b.id));
    }
    auto left_out = [&](const std::string& id) { return skipped.count(ticket_path(id)) > 0; };
    plan.escalations.erase(std::remove_if(plan.escalations.begin(), plan.escalations.end(), [&](const auto& e) { return left_out(e.id); }),
                           plan.escalations.end());
    plan.new_breaches.erase(std::remove_if(plan.new_breaches.begin(), plan.new_breaches.end(), [&](const auto& b) { return left_out(b.id); }),
                            plan.new_breaches.end());
    for (const auto& path : skipped)
      s.err() << fmt::format("desk: warning: {} {} alone: it has uncommitted changes (commit or discard them, then sweep again)\n",
                             o->dry_run ? "would leave" : "left", path);
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls(p.message) << "\n";
    for (const auto& w : result.warnings) s.err() << "desk: warning: " << strip_controls_line(w) << "\n";
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("dry_run").value(o->dry_run);
      if (result.commit.empty()) w.key("commit").null(); else w.key("commit").value(result.commit);
      w.key("now").value(format_time(ctx.now));
      w.key("escalated").begin_array();
      for (const auto& e : plan.escalations)
        w.begin_object().key("id").value(e.id).key("title").value(e.title).key("from").value(e.from).key("to").value(e.to)
            .duration("elapsed", e.elapsed).duration("limit", e.limit).end_object();
      w.end_array();
      auto breaches = [&](const char* key, const std::vector<SweepBreach>& list) {
        w.key(key).begin_array();
        for (const auto& b : list)
          w.begin_object().key("id").value(b.id).key("title").value(b.title).key("clock").value(b.clock).key("due").value(format_time(b.due))
              .duration("overdue", b.overdue).end_object();
        w.end_array();
      };
      breaches("new_breaches", plan.new_breaches);
      breaches("breached", plan.breached);
      w.key("over_limit").begin_array();
      for (const auto& b : plan.over_limit)
        w.begin_object().key("id").value(b.id).key("title").value(b.title).key("tier").value(b.tier).key("due").value(format_time(b.due))
            .duration("overdue", b.overdue).key("why").value(b.why).end_object();
      w.end_array();
      w.key("skipped").begin_array();
      for (const auto& path : skipped) w.value(path);
      w.end_array();
      w.end_object();
      s.out() << w.str();
    } else {
      std::string verb = o->dry_run ? "would escalate" : "escalated";
      for (const auto& e : plan.escalations)
        s.out() << fmt::format("{} {} {} -> {}: {} ({} in {}, limit {})\n", verb, e.id, e.from, e.to, strip_controls(e.title),
                               format_business(e.elapsed), e.from, format_business(e.limit));
      for (const auto& b : plan.new_breaches)
        s.out() << fmt::format("{} {} {}: due {} UTC, over by {}: {}\n", o->dry_run ? "would record breach" : "breach", b.id, b.clock,
                               human_time(b.due), format_business(b.overdue), strip_controls(b.title));
      for (const auto& b : plan.over_limit)
        s.out() << fmt::format("over tier limit {} {}: over by {}, {}: {}\n", b.id, strip_controls_line(b.tier), format_business(b.overdue),
                               b.why, strip_controls(b.title));
      size_t open_breaches = plan.breached.size();
      if (plan.escalations.empty() && plan.new_breaches.empty()) s.status("sweep: nothing to do");
      if (open_breaches) s.status(fmt::format("sweep: {} clock{} in breach", open_breaches, open_breaches == 1 ? "" : "s"));
      if (!result.commit.empty()) s.status(fmt::format("sweep: committed {}", result.commit.substr(0, 7)));
    }
    if (o->exit_code && !plan.breached.empty()) throw ExitWith{exit_breach};
  });
}

}  // namespace desk::cli
