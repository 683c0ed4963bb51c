#pragma once
// Small text helpers: trimming, terminal-safe display of untrusted text, validation.
#include <string>
#include <string_view>
#include <vector>

namespace desk {

/// Returns s without leading and trailing ASCII white space.
std::string trim(std::string_view s);

/// Returns s with terminal control sequences removed: ESC sequences (CSI, OSC, others), C0 and
/// C1 controls except newline and tab, and DEL. Invalid UTF-8 bytes become U+FFFD.
std::string strip_controls(std::string_view s);

/// True when s contains a control character other than newline and tab (or any at all when
/// allow_newlines is false), or an invalid UTF-8 sequence.
bool has_controls(std::string_view s, bool allow_newlines);

/// True when s is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

/// s with every invalid UTF-8 byte replaced by U+FFFD (control characters kept).
std::string repair_utf8(std::string_view s);

/// Returns the lowercase ASCII form of s.
std::string lower(std::string_view s);

/// Splits on a separator character, keeping empty parts out.
std::vector<std::string> split(std::string_view s, char sep);

/// Joins parts with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

/// Number of display columns (code points; wide characters count one) of UTF-8 text.
size_t display_width(std::string_view s);

/// Cuts UTF-8 text to at most width columns, ending in "…" when cut.
std::string truncate(std::string_view s, size_t width);

/// The first line of s.
std::string first_line(std::string_view s);

/// True for a usable name of a tag, tier, template, user etc.: non-empty, printable, no spaces
/// at the ends and no control characters or newlines.
bool is_valid_name(std::string_view s);

}  // namespace desk
