#include "cli/render.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/util/text.hpp"

namespace desk::cli {

std::string human_time(Timestamp t) { return format_time(t).substr(0, 16).replace(10, 1, " "); }

std::string person(const std::string& by) {
  auto lt = by.find(" <");
  return lt == std::string::npos ? by : by.substr(0, lt);
}

std::string table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows, const TableLayout& layout) {
  size_t n = columns.size();
  if (n == 0) return "";
  size_t flex = n - 1;
  for (size_t i = 0; i < n; ++i)
    if (columns[i].flex) flex = i;
  // Natural widths, capped on a terminal.
  std::vector<size_t> w(n, 0);
  for (size_t i = 0; i < n; ++i) w[i] = display_width(columns[i].name);
  for (const auto& r : rows)
    for (size_t i = 0; i < n && i < r.size(); ++i) w[i] = std::max(w[i], display_width(r[i]));
  std::vector<bool> shown(n, true);
  if (layout.width > 0) {
    auto fixed = [&] {
      size_t sum = 0, count = 0;
      for (size_t i = 0; i < n; ++i)
        if (shown[i]) {
          if (i != flex) sum += w[i];
          ++count;
        }
      return sum + 2 * (count - 1);
    };
    // Caps only when the flex column would be narrower than its min without them.
    if (size_t used = fixed(); (layout.width > used ? layout.width - used : 0) < std::min(w[flex], columns[flex].min))
      for (size_t i = 0; i < n; ++i)
        if (i != flex && columns[i].max) w[i] = std::min(w[i], std::max(columns[i].max, display_width(columns[i].name)));
    for (;;) {
      size_t used = fixed();
      size_t room = layout.width > used ? layout.width - used : 0;
      if (room >= std::min(w[flex], columns[flex].min)) break;
      size_t drop = n;
      for (size_t i = 0; i < n; ++i)
        if (shown[i] && i != flex && columns[i].keep < 100 && (drop == n || columns[i].keep < columns[drop].keep)) drop = i;
      if (drop == n) break;
      shown[drop] = false;
    }
    size_t used = fixed();
    size_t room = layout.width > used ? layout.width - used : 0;
    w[flex] = std::min(w[flex], std::max<size_t>(room, 8));  // a terminal narrower than that wraps
  }
  size_t last = n - 1;
  while (last > 0 && !shown[last]) --last;
  auto line = [&](const std::vector<std::string>& r, bool header) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      if (!shown[i]) continue;
      std::string cell = header ? columns[i].name : i < r.size() ? r[i] : "";
      bool whole = layout.width == 0 || (i == flex && layout.chop_by_pager);
      if (!whole) cell = truncate(cell, w[i]);
      out += cell;
      if (i != last) out += std::string(w[i] > display_width(cell) ? w[i] - display_width(cell) + 2 : 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line({}, true);
  if (layout.bold_header) out = "\x1b[1m" + out.substr(0, out.size() - 1) + "\x1b[0m\n";
  for (const auto& r : rows) out += line(r, false);
  return out;
}

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, size_t width,
                  bool bold_header) {
  std::vector<Column> columns;
  for (const auto& h : header) columns.push_back({h});
  return table(columns, rows, TableLayout{width, bold_header, false});
}

std::string coarse_duration(std::chrono::seconds d) {
  auto s = std::max<long long>(d.count(), 0);
  if (s >= 86400) return fmt::format("{}d", s / 86400);
  if (s >= 3600) return fmt::format("{}h", s / 3600);
  if (s >= 60) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

std::string indent(const std::string& text, size_t n) {
  std::string pad(n, ' '), out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string l = text.substr(start, end - start);
    out += (l.empty() ? "" : pad + l) + "\n";
    start = end + 1;
  }
  return out;
}

std::string wrap(const std::string& text, size_t width, size_t n) {
  if (width == 0 || width <= n + 10) return indent(text, n);
  size_t room = width - n;
  std::string pad_text(n, ' '), out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view l(text.data() + start, end - start);
    if (l.empty()) out += "\n";
    // Greedy: words (runs of non-spaces) with the spaces before them, a new line when the next
    // word does not fit; the spaces at a break go.
    std::string line;
    size_t used = 0;
    size_t i = 0;
    while (i < l.size()) {
      size_t sp = i;
      while (i < l.size() && l[i] == ' ') ++i;
      size_t word_start = i;
      while (i < l.size() && l[i] != ' ') ++i;
      std::string_view spaces = l.substr(sp, word_start - sp), word = l.substr(word_start, i - word_start);
      if (word.empty()) break;  // trailing spaces
      size_t sw = spaces.size(), ww = display_width(word);
      if (used > 0 && used + sw + ww > room) {
        out += pad_text + line + "\n";
        line.clear();
        used = 0;
        sw = 0;
        spaces = {};
      }
      line += spaces;
      used += sw;
      // A word longer than a whole line: in pieces.
      while (used + ww > room && ww > 0) {
        std::string piece;
        size_t pw = 0, k = 0;
        while (k < word.size()) {
          size_t len = 1;
          while (k + len < word.size() && (static_cast<unsigned char>(word[k + len]) & 0xC0) == 0x80) ++len;
          size_t cw = display_width(word.substr(k, len));
          if (used + pw + cw > room && (used + pw) > 0) break;
          piece += word.substr(k, len);
          pw += cw;
          k += len;
        }
        out += pad_text + line + piece + "\n";
        line.clear();
        used = 0;
        word = word.substr(k);
        ww = display_width(word);
      }
      line += word;
      used += ww;
    }
    if (!line.empty()) out += pad_text + line + "\n";
    start = end + 1;
  }
  return out;
}

std::string pad(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

}  // namespace desk::cli
