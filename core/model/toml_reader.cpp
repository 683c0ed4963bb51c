#include "core/model/toml_reader.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace desk {

std::optional<toml::source_position> toml_too_deep(std::string_view s, size_t limit) {
  toml::source_index line = 1;
  size_t line_start = 0, i = 0;
  auto here = [&]() { return toml::source_position{line, static_cast<toml::source_index>(i - line_start + 1)}; };
  auto newline = [&]() {
    ++line;
    line_start = i + 1;
  };
  // Skips the string starting at s[i] (basic or literal, single- or multi-line).
  auto skip_string = [&]() {
    char q = s[i];
    if (s.substr(i, 3) == std::string(3, q)) {
      for (i += 3; i < s.size(); ++i) {
        if (s[i] == '\n') newline();
        else if (s[i] == '\\' && q == '"') {
          if (i + 1 < s.size() && s[i + 1] == '\n') {
            ++i;
            newline();
          } else {
            ++i;
          }
        } else if (s.substr(i, 3) == std::string(3, q)) {
          i += 3;
          for (int extra = 0; extra < 2 && i < s.size() && s[i] == q; ++extra) ++i;  // """a"""" ends a"
          return;
        }
      }
      return;
    }
    for (++i; i < s.size() && s[i] != q && s[i] != '\n'; ++i)
      if (s[i] == '\\' && q == '"' && i + 1 < s.size() && s[i + 1] != '\n') ++i;
    if (i < s.size() && s[i] == q) ++i;
  };
  struct Open {
    bool table;    // an inline table, else an array
    size_t depth;  // the depth of the array or table itself
  };
  std::vector<Open> open;
  size_t table_depth = 0;  // of the table the last [header] opened
  bool key_mode = true, statement_start = true;
  size_t key_base = 0, key_dots = 0, value_depth = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      newline();
      ++i;
      if (open.empty()) {
        key_mode = statement_start = true;
        key_base = table_depth;
        key_dots = 0;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (statement_start && open.empty() && c == '[') {
      // [a.b.c] or [[a.b.c]]: the table sits at one level per name, an array of tables' element one deeper.
      bool array = i + 1 < s.size() && s[i + 1] == '[';
      i += array ? 2 : 1;
      size_t depth = array ? 2 : 1;
      if (depth > limit) return here();
      while (i < s.size() && s[i] != ']' && s[i] != '\n') {
        if (s[i] == '"' || s[i] == '\'') {
          skip_string();
          continue;
        }
        if (s[i] == '.' && ++depth > limit) return here();
        ++i;
      }
      table_depth = depth;
      while (i < s.size() && s[i] != '\n') ++i;  // the closing brackets and a comment
      continue;
    }
    statement_start = false;
    if (c == '"' || c == '\'') {
      skip_string();
      continue;
    }
    if (key_mode) {
      if (c == '=') {
        key_mode = false;
        value_depth = key_base + key_dots + 1;
        if (value_depth > limit) return here();
      } else if (c == '.') {
        if (key_base + ++key_dots + 1 > limit) return here();
      } else if (c == '}' && !open.empty()) {  // {}
        open.pop_back();
        key_mode = false;
      }
      ++i;
      continue;
    }
    if (c == '[' || c == '{') {
      open.push_back({c == '{', value_depth});
      if (c == '{') {
        key_mode = true;
        key_base = value_depth;
        key_dots = 0;
      } else if (++value_depth > limit) {
        return here();
      }
    } else if (c == ',' && !open.empty()) {
      if (open.back().table) {
        key_mode = true;
        key_base = open.back().depth;
        key_dots = 0;
      } else {
        value_depth = open.back().depth + 1;
      }
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
    ++i;
  }
  return std::nullopt;
}

toml::table parse_toml(std::string_view text, std::string_view path) {
  if (auto at = toml_too_deep(text)) {
    std::string what = fmt::format("the TOML is nested more than {} levels deep (tables, arrays and inline tables); desk reads at most {}",
                                   max_toml_depth, max_toml_depth);
    throw toml::parse_error(what.c_str(), *at, std::make_shared<const std::string>(path));
  }
  return toml::parse(text, path);
}

}  // namespace desk
