#include "cli/filters.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

std::vector<std::string> comma_values(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& v : values) joined += (joined.empty() ? "" : ",") + v;
  return joined.empty() ? std::vector<std::string>{} : split(joined, ',');
}

ListFilter checked_filter(ListFilter f, const Config& cfg) {
  f.statuses = comma_values(f.statuses);
  f.tiers = comma_values(f.tiers);
  f.priorities = comma_values(f.priorities);
  f.types = comma_values(f.types);
  f.tags = comma_values(f.tags);
  for (const auto& st : f.statuses)
    if (std::find(all_statuses.begin(), all_statuses.end(), st) == all_statuses.end())
      throw Error(ErrorKind::usage, fmt::format("unknown status '{}'", st), "use one of: " + join(all_statuses, ", "));
  for (const auto& t : f.tiers) cfg.require_tier(t);
  for (const auto& p : f.priorities) cfg.require_priority(p);
  return f;
}

}  // namespace desk::cli
