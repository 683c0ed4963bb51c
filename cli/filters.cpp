#include "cli/filters.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/text.hpp"
#include "core/util/timeutil.hpp"

namespace desk::cli {

std::vector<std::string> comma_values(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& v : values) joined += (joined.empty() ? "" : ",") + v;
  return joined.empty() ? std::vector<std::string>{} : split(joined, ',');
}

const std::vector<std::string>& ticket_json_keys() {
  static const std::vector<std::string> keys = {
      "format",   "id",      "title",       "status",   "waiting_on", "tier",     "priority",   "impact",       "urgency",
      "type",     "category", "tags",       "kb",       "watchers",   "requester", "assignee",  "vendor",       "vendor_case",
      "template", "created", "updated",     "resolution", "duplicate_of", "related", "parent",  "problem",      "csat",
      "description", "sla",  "checklist",   "history"};
  return keys;
}

std::set<std::string, std::less<>> checked_fields(const std::vector<std::string>& typed, const std::vector<std::string>& known) {
  std::set<std::string, std::less<>> fields;
  for (const auto& raw : comma_values(typed)) {
    std::string f = trim(raw);
    if (f.empty()) continue;
    if (std::find(known.begin(), known.end(), f) == known.end())
      throw Error(ErrorKind::usage, fmt::format("--fields: '{}' is not a field", strip_controls_line(f)), "fields are: " + join(known, ", "));
    fields.insert(f);
  }
  if (!fields.empty()) fields.insert("id");
  return fields;
}

ListFilter checked_filter(ListFilter f, const Config& cfg, const FilterTimes& times, Timestamp now) {
  f.statuses = comma_values(f.statuses);
  f.vendors = comma_values(f.vendors);
  f.waiting_on = comma_values(f.waiting_on);
  for (const auto& w : f.waiting_on)
    if (w != "customer" && w != "vendor")
      throw Error(ErrorKind::usage, fmt::format("--waiting-on '{}' is not customer or vendor", strip_controls_line(w)), "use customer or vendor");
  // What `desk list` prints in its STATUS column is a status it takes: pending/customer.
  std::vector<std::string> statuses;
  for (const auto& st : f.statuses) {
    if (st == "pending/customer" || st == "pending/vendor") {
      if (std::find(statuses.begin(), statuses.end(), "pending") == statuses.end()) statuses.push_back("pending");
      f.waiting_on.push_back(st.substr(8));
      continue;
    }
    statuses.push_back(st);
  }
  f.statuses = statuses;
  auto bound = [&](const std::string& text, const char* option, bool since) -> std::optional<Timestamp> {
    if (text.empty()) return std::nullopt;
    auto span = parse_time_span(text, now);
    if (!span) throw Error(ErrorKind::usage, fmt::format("{} '{}' is not a date or time", option, strip_controls_line(text)), std::string("use ") + time_span_forms);
    return since ? span->first : span->last;
  };
  f.created_since = bound(times.created_since, "--created-since", true);
  f.created_until = bound(times.created_until, "--created-until", false);
  f.updated_since = bound(times.updated_since, "--updated-since", true);
  f.updated_until = bound(times.updated_until, "--updated-until", false);
  f.closed_since = bound(times.closed_since, "--closed-since", true);
  f.closed_until = bound(times.closed_until, "--closed-until", false);
  if (!times.no_reply_for.empty()) {
    auto d = parse_duration(times.no_reply_for);
    if (!d) throw Error(ErrorKind::usage, fmt::format("--no-reply-for '{}' is not a duration", strip_controls_line(times.no_reply_for)),
                        "use e.g. 4h, 2d, 1w (wall-clock time)");
    f.no_reply_since = now - *d;
  }
  f.tiers = comma_values(f.tiers);
  f.priorities = comma_values(f.priorities);
  f.types = comma_values(f.types);
  f.tags = comma_values(f.tags);
  for (const auto& st : f.statuses)
    if (std::find(all_statuses.begin(), all_statuses.end(), st) == all_statuses.end())
      throw Error(ErrorKind::usage, fmt::format("unknown status '{}'", strip_controls_line(st)),
                  "use one of: " + join(all_statuses, ", ") + ", pending/customer, pending/vendor");
  for (const auto& t : f.tiers) cfg.require_tier(t);
  for (const auto& p : f.priorities) cfg.require_priority(p);
  return f;
}

}  // namespace desk::cli
