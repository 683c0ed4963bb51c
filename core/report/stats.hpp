#pragma once
// The numbers a desk lead reads (`desk stats`), computed from the tickets' own histories over a
// period and optionally per group. Pure: tickets, config, period and now in, a Stats value out.
// The definitions are written down in man/desk-stats.1 (METRICS); keep the two in step.
#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/config.hpp"
#include "core/model/ticket.hpp"
#include "core/util/timeutil.hpp"

namespace desk {

/// What the tickets are grouped by: a ticket's current tier, priority, assignee or type, or the
/// ISO week or month (UTC) of its creation.
enum class GroupBy { none, tier, priority, assignee, type, category, week, month };

/// The GroupBy named by text ("tier", "week", ...; "" is none), or nullopt for an unknown name.
std::optional<GroupBy> parse_group_by(std::string_view text);
/// The name of a GroupBy ("" for none).
std::string group_by_name(GroupBy by);
/// The names parse_group_by accepts, for messages.
const std::vector<std::string>& group_by_names();

/// The period: entries at since <= at <= until count. Backlog is taken at min(until, now).
struct StatsPeriod {
  Timestamp since{};
  Timestamp until{};
};

/// Business-time samples of one kind (first response or resolution) and their summary.
struct DurationStats {
  std::vector<std::chrono::seconds> samples;  // sorted ascending after finish
  std::optional<std::chrono::seconds> mean, median, p90;  // rounded to whole seconds; nullopt without samples
};

/// One SLA clock's compliance among clocks that stopped in the period.
struct Compliance {
  size_t met = 0;
  size_t breached = 0;
  std::optional<double> rate;  // met / (met + breached)
};

/// How one tier kept the resolved tickets that reached it.
struct TierShare {
  std::string tier;
  size_t reached = 0;        // resolved tickets that were at this tier at some point
  size_t resolved_here = 0;  // ... and went no higher (resolved without escalation beyond it)
  std::optional<double> rate;          // resolved_here / reached
  std::optional<double> share;         // resolved_here / all resolved tickets
};

/// Every metric, for all tickets or for one group.
struct Metrics {
  size_t tickets = 0;   // tickets that contributed: something happened in the period, or in the backlog
  size_t created = 0;   // tickets created in the period
  size_t resolved = 0;  // tickets with a resolve in the period (the resolved cohort)
  size_t closed = 0;    // tickets with a close in the period
  size_t reopened = 0;  // tickets with a reopen in the period

  size_t backlog = 0;  // new, open or pending at min(until, now)
  size_t backlog_new = 0, backlog_open = 0, backlog_pending = 0;
  std::array<size_t, 4> ageing{};  // backlog by wall-clock age: <1d, 1-3d, 3-7d, >=7d

  size_t first_contact = 0;         // resolved tickets resolved on first contact
  std::optional<double> fcr_rate;   // first_contact / resolved
  size_t resolved_then_reopened = 0;  // resolved tickets reopened after their first resolve in the period
  std::optional<double> reopen_rate;  // resolved_then_reopened / resolved
  size_t kb_linked = 0;               // resolved tickets linked to at least one knowledge-base article
  std::optional<double> kb_link_rate;  // kb_linked / resolved
  size_t duplicates = 0;              // tickets marked as a duplicate of another in the period
  std::vector<TierShare> tiers;  // the config's ticket tiers, lowest first, then any unknown ones

  DurationStats first_response;  // business time to the first response, clocks stopped in the period
  DurationStats resolution;      // business time to resolution, paused time excluded
  DurationStats first_response_calendar;  // the same clocks in wall-clock time, nights, weekends and waits included
  DurationStats resolution_calendar;
  std::map<std::string, Compliance> sla;  // by clock name: first_response, next_update (each ended cycle), resolution

  size_t escalations = 0, deescalations = 0;
  std::map<std::string, size_t> escalations_by_pair;    // "L1->L2" -> n; adjacent pairs always present
  std::map<std::string, size_t> deescalations_by_pair;  // "L2->L1" -> n

  size_t csat_count = 0;
  std::array<size_t, 5> csat{};  // ratings 1..5
  std::optional<double> csat_mean;
  size_t surveys_sent = 0;    // resolution messages with the survey mailed in the period (desk mail send)
  size_t survey_answers = 0;  // ratings received by mail in the period
  std::optional<double> survey_response_rate;  // answers / surveys sent
};

struct StatsGroup {
  std::string key;  // the group's value: "L2", "P1", an assignee ("" unassigned), "2026-W48", "2026-11"
  Metrics metrics;
};

struct Stats {
  StatsPeriod period;
  Timestamp as_of{};  // when the backlog was taken: min(until, now)
  GroupBy by = GroupBy::none;
  Metrics total;
  std::vector<StatsGroup> groups;  // empty unless grouped; only groups with contributing tickets
};

/// compute_stats one ticket at a time, so a large desk need not be held in memory.
class StatsBuilder {
 public:
  /// Throws Error(usage) when the period ends before it starts.
  StatsBuilder(const Config& cfg, const StatsPeriod& period, GroupBy by, Timestamp now);
  /// Also groups by `by` (not week or month), from the same reading of each ticket: cheaper
  /// than a second builder. Call before add.
  void also_by(GroupBy by);
  void add(const Ticket& t);
  /// The metrics of every ticket added.
  Stats finish();
  /// After finish: the grouping asked for with also_by (its total is the same as finish's).
  Stats finish_also(GroupBy by);

 private:
  // --by week and --by month are time windows: each week (month) of the period, with its own
  // as-of time (its end), so BACKLOG is the backlog at the end of that week.
  struct Window {
    std::string key;
    StatsPeriod period;
    Timestamp as_of;
  };
  const Config* cfg_;
  Stats s_;
  std::vector<Window> windows_;
  std::map<std::string, Metrics> groups_;
  std::map<GroupBy, std::map<std::string, Metrics>> also_;
  Stats finished_;  // for finish_also: period, as_of and total
};

/// Computes every metric over the period, in total and per group. Throws Error(usage) when the
/// period ends before it starts.
Stats compute_stats(const std::vector<Ticket>& tickets, const Config& cfg, const StatsPeriod& period, GroupBy by, Timestamp now);

/// The ISO 8601 week of an instant in UTC: "2026-W48".
std::string iso_week(Timestamp t);

}  // namespace desk
