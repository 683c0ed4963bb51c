#include "core/util/timeutil.hpp"

#include <fmt/format.h>

#include <cctype>

namespace desk {

using namespace std::chrono;

std::string format_time(Timestamp t) {
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<Timestamp> parse_time(std::string_view s) {
  int y, mo, d;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  sys_seconds base{sys_days{ymd}};
  if (s.size() == 10) return base;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int h, mi, se;
  if (!digits(s, 11, 2, h) || s.size() < 19 || s[13] != ':' || !digits(s, 14, 2, mi) ||
      s[16] != ':' || !digits(s, 17, 2, se))
    return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;  // an offset is required
  seconds offset{0};
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = hours{oh} + minutes{om};
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  Timestamp t = base + hours{h} + minutes{mi} + seconds{se} - offset;
  if (!is_writable_time(t)) return std::nullopt;
  return t;
}

std::optional<seconds> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  seconds total{0};
  size_t i = 0;
  while (i < s.size()) {
    long long n = 0;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      if (n > 100000000) return std::nullopt;
      ++i;
    }
    if (i == start || i == s.size()) return std::nullopt;
    switch (s[i]) {
      case 'w': total += seconds{n * 7 * 86400}; break;
      case 'd': total += seconds{n * 86400}; break;
      case 'h': total += seconds{n * 3600}; break;
      case 'm': total += seconds{n * 60}; break;
      case 's': total += seconds{n}; break;
      default: return std::nullopt;
    }
    // format_duration_exact writes days: keep what it writes readable (and the sum from overflowing).
    if (total > max_duration) return std::nullopt;
    ++i;
  }
  return total;
}

std::string format_duration_exact(seconds d) {
  long long s = d.count();
  if (s <= 0) return "0s";
  std::string out;
  if (s / 86400) out += fmt::format("{}d", s / 86400);
  if (s % 86400 / 3600) out += fmt::format("{}h", s % 86400 / 3600);
  if (s % 3600 / 60) out += fmt::format("{}m", s % 3600 / 60);
  if (s % 60) out += fmt::format("{}s", s % 60);
  return out;
}

std::string format_duration(seconds d) {
  std::string sign = d.count() < 0 ? "-" : "";
  long long s = d.count() < 0 ? -d.count() : d.count();
  if (s < 60) return fmt::format("{}{}s", sign, s);
  if (s < 3600) return fmt::format("{}{}m", sign, s / 60);
  if (s < 86400) {
    long long m = (s % 3600) / 60;
    return m ? fmt::format("{}{}h{:02}m", sign, s / 3600, m) : fmt::format("{}{}h", sign, s / 3600);
  }
  long long h = (s % 86400) / 3600;
  return h ? fmt::format("{}{}d{}h", sign, s / 86400, h) : fmt::format("{}{}d", sign, s / 86400);
}

std::string format_business(seconds d) {
  std::string sign = d.count() < 0 ? "-" : "";
  long long s = d.count() < 0 ? -d.count() : d.count();
  if (s < 3600) return format_duration(d);
  long long m = (s % 3600) / 60;
  return m ? fmt::format("{}{}h{:02}m", sign, s / 3600, m) : fmt::format("{}{}h", sign, s / 3600);
}

namespace {

TimeSpan whole_days(sys_days from, sys_days to_exclusive) {
  return {Timestamp{from}, Timestamp{to_exclusive} - seconds{1}};
}

sys_days monday_of(sys_days d) {
  weekday wd{d};
  return d - days{(wd.c_encoding() + 6) % 7};  // Monday = 0
}

// The Monday of ISO week 1 of an ISO year: the week with the year's first Thursday.
sys_days iso_week_one(int y) {
  sys_days jan4{year{y} / 1 / 4};
  return monday_of(jan4);
}

}  // namespace

std::optional<TimeSpan> parse_time_span(std::string_view text, Timestamp now) {
  sys_days today = floor<days>(now);
  if (text == "today") return whole_days(today, today + days{1});
  if (text == "yesterday") return whole_days(today - days{1}, today);
  if (text == "this-week" || text == "last-week") {
    sys_days monday = monday_of(today) - (text == "last-week" ? days{7} : days{0});
    return whole_days(monday, monday + days{7});
  }
  if (text == "this-month" || text == "last-month") {
    year_month ym{year_month_day{today}.year(), year_month_day{today}.month()};
    if (text == "last-month") ym -= months{1};
    return whole_days(sys_days{ym / 1}, sys_days{(ym + months{1}) / 1});
  }
  int y = 0, m = 0, w = 0;
  // 2026-W47
  if (text.size() == 8 && digits(text, 0, 4, y) && text[4] == '-' && text[5] == 'W' && digits(text, 6, 2, w)) {
    sys_days monday = iso_week_one(y) + days{7 * (w - 1)};
    if (w < 1 || w > 53 || (w == 53 && iso_week_one(y + 1) <= monday)) return std::nullopt;
    return whole_days(monday, monday + days{7});
  }
  // 2026-11
  if (text.size() == 7 && digits(text, 0, 4, y) && text[4] == '-' && digits(text, 5, 2, m)) {
    if (m < 1 || m > 12) return std::nullopt;
    year_month ym{year{y}, month{static_cast<unsigned>(m)}};
    return whole_days(sys_days{ym / 1}, sys_days{(ym + months{1}) / 1});
  }
  // 30d, 2w, 12h: that long ago
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
    std::string d(text);
    long long weeks = 0;
    if (d.size() >= 2 && d.back() == 'w' && d.find_first_not_of("0123456789") == d.size() - 1) {
      if (d.size() > 10) return std::nullopt;  // more weeks than any duration desk reads
      weeks = std::stoll(d.substr(0, d.size() - 1));
      d = std::to_string(weeks * 7) + "d";
    }
    if (auto ago = parse_duration(d)) {
      Timestamp t = now - *ago;
      if (!is_writable_time(t)) return std::nullopt;
      return TimeSpan{t, t};
    }
  }
  if (auto t = parse_time(text)) {
    if (text.size() == 10) return whole_days(floor<days>(*t), floor<days>(*t) + days{1});  // a bare date: the whole day
    return TimeSpan{*t, *t};
  }
  return std::nullopt;
}

}  // namespace desk
