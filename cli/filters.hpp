#pragma once
// The ticket filters `desk list` and `desk export` share: the same options, the same checks.
#include <CLI/CLI.hpp>

#include <set>
#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/store/query.hpp"

namespace desk::cli {

/// The time bounds of a filter as typed (parse_time_span forms), resolved by checked_filter.
struct FilterTimes {
  std::string created_since, created_until, updated_since, updated_until, closed_since, closed_until;
  std::string no_reply_for;  // a duration: the customer has heard nothing for at least this long
};

/// Adds --status, --tier, --priority, --assignee, --requester, --tag, --type, --vendor,
/// --waiting-on, --text and the --created/--updated/--closed-since/-until bounds (defined in
/// cmd_list.cpp).
void add_filter_options(CLI::App& cmd, ListFilter& f, FilterTimes& times);

/// Values given as "a,b" as well as by repeating the option, split into one list.
std::vector<std::string> comma_values(const std::vector<std::string>& values);

/// The keys of a ticket's JSON object, in the order desk writes them (desk-ticket(5)).
const std::vector<std::string>& ticket_json_keys();

/// The fields --fields names ("a,b" or the option repeated), with "id" always among them;
/// Error(usage) naming a field not in `known`. Empty when none were named (every field).
std::set<std::string, std::less<>> checked_fields(const std::vector<std::string>& typed, const std::vector<std::string>& known);

/// The filter with its comma lists split and every status, tier and priority checked against
/// the config, a status pending/customer or pending/vendor read as pending waiting on them,
/// and the time bounds resolved at now; throws Error(usage) naming the unknown value.
ListFilter checked_filter(ListFilter f, const Config& cfg, const FilterTimes& times = {}, Timestamp now = {});

}  // namespace desk::cli
