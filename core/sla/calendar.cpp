#include "core/sla/calendar.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk {

using namespace std::chrono;

namespace {
// A clock question that needs more than ten years of calendar has no useful answer.
constexpr int max_days = 3660;
}  // namespace

Calendar Calendar::always_open(std::string name) {
  Calendar c;
  c.name_ = std::move(name);
  return c;
}

Calendar Calendar::weekly(std::string name, const std::string& zone, std::array<std::vector<std::pair<int, int>>, 7> hours,
                          std::set<sys_days> holidays) {
  Calendar c;
  c.name_ = std::move(name);
  c.always_ = false;
  c.zone_name_ = zone;
  try {
    c.zone_ = date::locate_zone(zone);
  } catch (const std::exception&) {
    throw Error(ErrorKind::invalid, fmt::format("unknown time zone '{}'", zone),
                "use an IANA zone name such as Europe/Berlin or America/New_York (tzdata must be installed)");
  }
  for (auto& day : hours) std::sort(day.begin(), day.end());
  c.hours_ = std::move(hours);
  c.holidays_ = std::move(holidays);
  return c;
}

std::optional<std::vector<std::pair<int, int>>> Calendar::parse_hours(const std::string& text) {
  std::vector<std::pair<int, int>> out;
  for (const auto& part : split(text, ',')) {
    int h1, m1, h2, m2;
    char c1, dash, c2;
    std::string p = part;
    if (p.size() != 11 || std::sscanf(p.c_str(), "%2d%c%2d%c%2d%c%2d", &h1, &c1, &m1, &dash, &h2, &c2, &m2) != 7 || c1 != ':' ||
        c2 != ':' || dash != '-')
      return std::nullopt;
    int s = h1 * 60 + m1, e = h2 * 60 + m2;
    if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || s >= e || e > 24 * 60) return std::nullopt;
    out.emplace_back(s, e);
  }
  std::sort(out.begin(), out.end());
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].first < out[i - 1].second) return std::nullopt;
  return out;
}

sys_days Calendar::local_day(Timestamp t) const {
  auto local = zone_->to_local(t);
  return sys_days{floor<days>(local).time_since_epoch()};
}

const std::vector<std::pair<Timestamp, Timestamp>>& Calendar::day_intervals(sys_days day) const {
  auto cached = day_cache_.find(day);
  if (cached != day_cache_.end()) return cached->second;
  std::vector<std::pair<Timestamp, Timestamp>>& out = day_cache_[day];
  if (holidays_.count(day)) return out;
  unsigned wd = weekday{day}.c_encoding();
  for (const auto& [s, e] : hours_[wd]) {
    // A local time skipped by a DST change maps to the instant of the change; a repeated one
    // to its first occurrence.
    auto to_sys = [&](int minute) {
      date::local_seconds lt{(day + minutes{minute}).time_since_epoch()};
      return floor<seconds>(zone_->to_sys(lt, date::choose::earliest));
    };
    Timestamp a = to_sys(s), b = to_sys(e);
    if (b > a) out.emplace_back(a, b);
  }
  return out;
}

seconds Calendar::business_time(Timestamp a, Timestamp b) const {
  if (b <= a) return seconds{0};
  if (always_) return b - a;
  seconds total{0};
  sys_days first = local_day(a) - days{1}, last = local_day(b) + days{1};
  if ((last - first).count() > max_days) last = first + days{max_days};
  for (sys_days d = first; d <= last; d += days{1})
    for (const auto& [s, e] : day_intervals(d)) {
      Timestamp lo = std::max(s, a), hi = std::min(e, b);
      if (hi > lo) total += hi - lo;
    }
  return total;
}

Timestamp Calendar::add_business_time(Timestamp from, seconds d) const {
  if (d <= seconds{0}) return from;
  if (always_) return from + d;
  sys_days day = local_day(from) - days{1};
  for (int i = 0; i < max_days; ++i, day += days{1})
    for (const auto& [s, e] : day_intervals(day)) {
      if (e <= from) continue;
      Timestamp lo = std::max(s, from);
      seconds avail = e - lo;
      if (d <= avail) return lo + d;
      d -= avail;
    }
  return from + days{max_days};
}

}  // namespace desk
