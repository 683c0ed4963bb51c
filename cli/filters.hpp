#pragma once
// The ticket filters `desk list` and `desk export` share: the same options, the same checks.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/store/query.hpp"

namespace desk::cli {

/// Adds --status, --tier, --priority, --assignee, --requester, --tag, --type and --text
/// (defined in cmd_list.cpp).
void add_filter_options(CLI::App& cmd, ListFilter& f);

/// Values given as "a,b" as well as by repeating the option, split into one list.
std::vector<std::string> comma_values(const std::vector<std::string>& values);

/// The filter with its comma lists split and every status, tier and priority checked against
/// the config; throws Error(usage) naming the unknown value.
ListFilter checked_filter(ListFilter f, const Config& cfg);

}  // namespace desk::cli
