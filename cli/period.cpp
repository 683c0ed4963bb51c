#include "cli/period.hpp"

#include <fmt/format.h>

#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

// A bare date as --until means through the end of that day.
Timestamp parse_period_time(const std::string& text, const char* option, bool end_of_day) {
  auto t = parse_time(text);
  if (!t)
    throw Error(ErrorKind::usage, fmt::format("{} '{}' is not a date or time", option, strip_controls_line(text)),
                "use a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:00:00Z)");
  if (end_of_day && text.size() == 10) *t += std::chrono::days{1} - std::chrono::seconds{1};
  return *t;
}

}  // namespace

void add_period_options(CLI::App& cmd, PeriodOptions& o) {
  cmd.add_option("--since", o.since, "start of the period: a date or RFC 3339 time (default: 30 days before --until)")->type_name("DATE");
  cmd.add_option("--until", o.until, "end of the period, inclusive; a bare date means the whole day (default: now)")->type_name("DATE");
}

StatsPeriod resolve_period(const PeriodOptions& o, Timestamp now) {
  StatsPeriod period;
  period.until = o.until.empty() ? now : parse_period_time(o.until, "--until", true);
  period.since = o.since.empty() ? period.until - std::chrono::days{30} : parse_period_time(o.since, "--since", false);
  // Checked here too (compute_stats does), so the mistake is reported before the desk is read.
  if (period.until < period.since)
    throw Error(ErrorKind::usage, fmt::format("the period ends ({}) before it starts ({})", format_time(period.until), format_time(period.since)),
                "give --since before --until");
  return period;
}

}  // namespace desk::cli
