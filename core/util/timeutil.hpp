#pragma once
// Instants are UTC seconds; desk's files and JSON write them as RFC 3339 ("2026-11-22T20:35:00Z").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace desk {

using Timestamp = std::chrono::sys_seconds;

/// The instants desk reads and writes: years 0000 to 9999 in UTC, which RFC 3339 and TOML can
/// write (a time with an offset can name an instant outside them: 0000-01-01T00:00:00+01:00).
inline constexpr Timestamp min_time{std::chrono::sys_days{std::chrono::year{0} / 1 / 1}};
inline constexpr Timestamp max_time{std::chrono::sys_days{std::chrono::year{9999} / 12 / 31} + std::chrono::seconds{86399}};

/// True when format_time writes t as a time parse_time reads back.
constexpr bool is_writable_time(Timestamp t) { return t >= min_time && t <= max_time; }

/// Formats as RFC 3339 in UTC with a Z suffix.
std::string format_time(Timestamp t);

/// Parses RFC 3339 ("2026-11-22T20:35:00Z", "...+01:00", fractional seconds dropped); also a bare
/// date ("2026-11-22", midnight UTC). Returns nullopt when the text is not such a time, or names
/// an instant outside years 0000-9999 in UTC.
std::optional<Timestamp> parse_time(std::string_view text);

/// The longest duration parse_duration reads: 100,000,000 days (each number in a duration is
/// at most 100,000,000, and so is the day count format_duration_exact writes for the total).
inline constexpr std::chrono::seconds max_duration{100000000LL * 86400};

/// Parses a duration such as "30m", "4h", "1h30m", "2d", "90s". Returns nullopt when invalid
/// or longer than max_duration.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

/// Formats a duration exactly, for files: "1d2h30m", "45s", "0s". parse_duration reads it back.
std::string format_duration_exact(std::chrono::seconds d);

/// Formats a duration compactly: "45s", "12m", "3h05m", "2d4h".
std::string format_duration(std::chrono::seconds d);

/// Formats business time the way SLA targets are configured, in hours and never in days: a
/// target of "24h" is three business days of a 09-17 calendar, and "1d" would read as one.
/// "45s", "12m", "3h05m", "24h", "160h".
std::string format_business(std::chrono::seconds d);

/// A span of time named in a command line, first and last second inclusive (UTC):
///  - an RFC 3339 time: that instant;
///  - a date "2026-11-01": that day; a month "2026-11"; an ISO week "2026-W47" (Monday to Sunday);
///  - "today", "yesterday", "this-week", "last-week", "this-month", "last-month" (UTC, relative to now);
///  - a duration ago, "30d", "2w", "12h", "1h30m" (w = 7 days): that instant before now.
/// An option "since" takes the span's first second, "until" its last. Returns nullopt for
/// anything else.
struct TimeSpan {
  Timestamp first{};
  Timestamp last{};
};
std::optional<TimeSpan> parse_time_span(std::string_view text, Timestamp now);

/// What parse_time_span reads, for error hints.
inline constexpr const char* time_span_forms =
    "a date (2026-11-01), a month (2026-11), an ISO week (2026-W47), an RFC 3339 time, today, yesterday, "
    "this-week, last-week, this-month, last-month, or a time ago (30d, 2w, 12h)";

}  // namespace desk
