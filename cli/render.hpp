#pragma once
// Human rendering helpers: tables, times, names. Untrusted text goes through strip_controls here.
#include <string>
#include <vector>

#include "core/util/timeutil.hpp"

namespace desk::cli {

/// "2026-11-22 09:00" in UTC.
std::string human_time(Timestamp t);

/// "Alice Smith" from "Alice Smith <alice@example.com>".
std::string person(const std::string& by);

/// A simple aligned table: header plus rows; the last column is cut to fit `width` when > 0.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, size_t width,
                  bool bold_header);

/// Indents every line of text (already sanitized) by n spaces.
std::string indent(const std::string& text, size_t n);

}  // namespace desk::cli
