#pragma once
// Business calendars for SLA clocks: an IANA time zone, weekly opening hours, holidays; or 24x7.
// Time zones come from the system tz database through Howard Hinnant's date/tz library.
#include <array>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/util/timeutil.hpp"

namespace date {
class time_zone;
}

namespace desk {

class Calendar {
 public:
  /// A calendar that is always open (24x7) in UTC.
  static Calendar always_open(std::string name = "24x7");

  /// A calendar with weekly hours. `hours[d]` lists [start, end) in minutes after local midnight
  /// for weekday d (0 = Sunday ... 6 = Saturday). Throws Error(invalid) for an unknown zone.
  static Calendar weekly(std::string name, const std::string& zone, std::array<std::vector<std::pair<int, int>>, 7> hours,
                         std::set<std::chrono::sys_days> holidays);

  const std::string& name() const { return name_; }
  bool is_always_open() const { return always_; }
  const std::string& zone_name() const { return zone_name_; }

  /// Business time in [a, b); zero when b <= a.
  std::chrono::seconds business_time(Timestamp a, Timestamp b) const;

  /// The earliest instant t >= from with business_time(from, t) == d.
  Timestamp add_business_time(Timestamp from, std::chrono::seconds d) const;

  /// Parses "09:00-17:00" or "09:00-12:00,13:00-17:00" into minute ranges; nullopt when invalid.
  static std::optional<std::vector<std::pair<int, int>>> parse_hours(const std::string& text);

 private:
  // Business intervals of one local day, as UTC instants.
  // Days are local dates, counted like sys_days.
  const std::vector<std::pair<Timestamp, Timestamp>>& day_intervals(std::chrono::sys_days day) const;
  std::chrono::sys_days local_day(Timestamp t) const;

  std::string name_;
  bool always_ = true;
  std::string zone_name_ = "UTC";
  const date::time_zone* zone_ = nullptr;
  std::array<std::vector<std::pair<int, int>>, 7> hours_{};
  std::set<std::chrono::sys_days> holidays_;  // local dates, stored as day counts
  // Each local day's intervals, computed once: clocks of thousands of tickets walk the same days.
  mutable std::map<std::chrono::sys_days, std::vector<std::pair<Timestamp, Timestamp>>> day_cache_;
};

}  // namespace desk
