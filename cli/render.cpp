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

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, size_t width,
                  bool bold_header) {
  size_t n = header.size();
  std::vector<size_t> w(n, 0);
  for (size_t i = 0; i < n; ++i) w[i] = display_width(header[i]);
  for (const auto& r : rows)
    for (size_t i = 0; i < n && i < r.size(); ++i) w[i] = std::max(w[i], display_width(strip_controls_line(r[i])));
  auto line = [&](const std::vector<std::string>& r) {
    std::string out;
    size_t used = 0;
    for (size_t i = 0; i < n; ++i) {
      std::string cell = i < r.size() ? r[i] : "";
      if (i + 1 == n) {
        if (width > used + 1) cell = truncate(cell, width - used);
        out += cell;
      } else {
        out += cell + std::string(w[i] - display_width(strip_controls_line(cell)) + 2, ' ');
        used += w[i] + 2;
      }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  if (bold_header) out = "\x1b[1m" + out.substr(0, out.size() - 1) + "\x1b[0m\n";
  for (const auto& r : rows) out += line(r);
  return out;
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

}  // namespace desk::cli
