#pragma once
// `desk report --html`: the metrics of `desk stats` as one self-contained HTML page with SVG
// charts (no scripts, no network, no web fonts). Pure: tickets, config, period and now in, the
// page out; the same input gives the same bytes.
#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/report/stats.hpp"
#include "core/model/ticket.hpp"

namespace desk {

/// The backlog at the end of one day of the period (or at as_of on its last day).
struct BacklogPoint {
  Timestamp day{};  // midnight UTC starting the day
  Timestamp at{};   // when the tickets were counted
  size_t new_count = 0, open = 0, pending = 0;
};

/// For each day from the period's start to min(until, now), the tickets that were new, open or
/// pending at the end of that day, replayed from their histories (the status of the last entry
/// at or before that instant). Long periods are sampled every few days, at most 400 points.
std::vector<BacklogPoint> backlog_series(const std::vector<Ticket>& tickets, const StatsPeriod& period, Timestamp now);

/// backlog_series one ticket at a time.
class BacklogBuilder {
 public:
  BacklogBuilder(const StatsPeriod& period, Timestamp now);
  void add(const Ticket& t);
  std::vector<BacklogPoint> finish() { return std::move(points_); }

 private:
  std::vector<BacklogPoint> points_;
};

/// What a lead acts on today, gathered one ticket at a time: the active tickets whose SLA clock
/// falls due next, the tickets reopened in the period, and each assignee's load.
struct WatchTicket {
  std::string id, title, assignee, clock;
  Timestamp due{};
};
struct AgentLoad {
  std::string assignee;  // "" for unassigned
  size_t open = 0, breaching = 0, resolved = 0;
};
struct Watch {
  Timestamp now{};
  std::vector<WatchTicket> next;      // the 5 running SLA clocks due soonest, not yet breached
  std::vector<WatchTicket> reopened;  // reopened in the period, newest first (due: when)
  size_t reopened_total = 0;
  std::vector<AgentLoad> agents;      // by assignee; unassigned last
};

class WatchBuilder {
 public:
  WatchBuilder(const Config& cfg, const StatsPeriod& period, Timestamp now) : cfg_(&cfg), period_(period), now_(now) {}
  /// Open and breaching are counted at now, from the ticket's current state; resolved counts the
  /// tickets resolved in the period, under their current assignee.
  void add(const Ticket& t);
  Watch finish();

 private:
  const Config* cfg_;
  StatsPeriod period_;
  Timestamp now_;
  std::vector<WatchTicket> next_, reopened_;
  std::vector<AgentLoad> agents_;
  AgentLoad& agent(const std::string& assignee);
};

struct ReportOptions {
  std::string title = "desk report";
};

/// The report as a complete HTML document (XHTML-compatible syntax, a CSP that allows only inline
/// style and data: images). Throws Error(usage) when the period ends before it starts.
std::string render_report_html(const std::vector<Ticket>& tickets, const Config& cfg, const StatsPeriod& period, Timestamp now,
                               const ReportOptions& options);

/// The groupings beside the one by tier: the weeks of the period (StatsBuilder by week, so each
/// week's numbers are those of `desk stats --by week`), and the tickets by priority, type and
/// category (StatsBuilder::also_by).
struct ReportGroups {
  Stats weekly, by_priority, by_type, by_category;
};

/// The same from metrics grouped by tier (StatsBuilder) and the backlog series (BacklogBuilder).
std::string render_report_html(const Stats& st, const std::vector<BacklogPoint>& points, const Config& cfg, Timestamp now,
                               const ReportOptions& options, const Watch* watch = nullptr, const ReportGroups* groups = nullptr);

}  // namespace desk
