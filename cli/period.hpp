#pragma once
// --since and --until, shared by the commands that report over a period (stats, report).
#include <CLI/CLI.hpp>

#include <string>

#include "core/report/stats.hpp"

namespace desk::cli {

struct PeriodOptions {
  std::string since, until;
};

/// Adds --since DATE and --until DATE to a command.
void add_period_options(CLI::App& cmd, PeriodOptions& o);

/// The period the options name: until defaults to now, since to 30 days before until; a bare
/// date as --until means through the end of that day. Throws Error(usage) for a malformed date
/// or a period that ends before it starts.
StatsPeriod resolve_period(const PeriodOptions& o, Timestamp now);

}  // namespace desk::cli
