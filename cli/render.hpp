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

/// A column of a table that fits the terminal.
struct Column {
  std::string name;
  int keep = 100;      // when the table is too wide, the column with the lowest keep goes first (100: never)
  size_t max = 0;      // on a terminal, cells wider than this are cut with "…" (0: no cap)
  bool flex = false;   // takes the room the others leave (one per table; default: the last column)
  size_t min = 0;      // flex: columns go before this one is narrower than min
};

struct TableLayout {
  size_t width = 0;            // the terminal's columns; 0: not a terminal, every cell whole
  bool bold_header = false;
  bool chop_by_pager = false;  // a pager chops long lines (less -S): lay out to width, leave the flex column whole
};

/// An aligned table fitted to a terminal: columns keep their natural width up to their cap, the
/// flex column (the title) keeps at least its min while columns of lower keep are dropped, cells
/// are cut by display width (wide characters count two). Cells may carry colour escapes.
std::string table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows, const TableLayout& layout);

/// A simple aligned table: header plus rows; the last column is cut to fit `width` when > 0.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, size_t width,
                  bool bold_header);

/// One unit of a duration, as ls and ps show ages: 59d, 3h, 12m, 40s.
std::string coarse_duration(std::chrono::seconds d);

/// Indents every line of text (already sanitized) by n spaces.
std::string indent(const std::string& text, size_t n);

/// Indents text by n spaces and wraps its lines at word boundaries to fit `width` columns, the
/// continuation lines at the same indent (a word longer than the room is broken). Width 0:
/// indent only. The text's own line breaks are kept.
std::string wrap(const std::string& text, size_t width, size_t n);

/// Pads text with spaces to `width` display columns (escapes and wide characters counted right).
std::string pad(const std::string& text, size_t width);

}  // namespace desk::cli
