#include "cli/period.hpp"

#include <fmt/format.h>

#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

// A span (a day, a week, a month, yesterday, 30d ago...): --since takes its first second,
// --until its last, so a bare date as --until means through the end of that day.
Timestamp parse_period_time(const std::string& text, const char* option, bool until, Timestamp now) {
  auto span = parse_time_span(text, now);
  if (!span)
    throw Error(ErrorKind::usage, fmt::format("{} '{}' is not a date or time", option, strip_controls_line(text)),
                std::string("use ") + time_span_forms);
  return until ? span->last : span->first;
}

}  // namespace

void add_period_options(CLI::App& cmd, PeriodOptions& o) {
  cmd.add_option("--since", o.since, "start of the period: a date, 2026-11, 2026-W47, last-week, 30d ... (default: 30 days before --until)")
      ->type_name("WHEN");
  cmd.add_option("--until", o.until, "end of the period, inclusive; a day, week or month means through its end (default: now)")->type_name("WHEN");
}

StatsPeriod resolve_period(const PeriodOptions& o, Timestamp now) {
  StatsPeriod period;
  period.until = o.until.empty() ? now : parse_period_time(o.until, "--until", true, now);
  period.since = o.since.empty() ? period.until - std::chrono::days{30} : parse_period_time(o.since, "--since", false, now);
  // Checked here too (compute_stats does), so the mistake is reported before the desk is read.
  if (period.until < period.since)
    throw Error(ErrorKind::usage, fmt::format("the period ends ({}) before it starts ({})", format_time(period.until), format_time(period.since)),
                "give --since before --until");
  return period;
}

}  // namespace desk::cli
