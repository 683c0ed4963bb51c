#include "core/model/toml_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "core/model/limits.hpp"

namespace desk {

std::string toml_key(std::string_view key) {
  bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return bare ? std::string(key) : toml_string(key);
}

namespace {

void escape_into(std::string& out, std::string_view s, bool multiline) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += multiline ? "\n" : "\\n"; break;
      case '\t': out += multiline ? "\t" : "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || c == 0x7F)
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
        else
          out += ch;
    }
  }
}

}  // namespace

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  escape_into(out, s, false);
  out += '"';
  return out;
}

std::string toml_text(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return toml_string(s);
  // The newline right after the opening delimiter is not part of the value.
  std::string out = "\"\"\"\n";
  escape_into(out, s, true);
  out += "\"\"\"";
  return out;
}

std::string toml_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += toml_string(items[i]);
  }
  out += "]";
  return out;
}

std::string toml_time(Timestamp t) { return format_time(t); }

namespace {

std::string float_text(double v) {
  if (v != v) return "nan";
  if (v == std::numeric_limits<double>::infinity()) return "inf";
  if (v == -std::numeric_limits<double>::infinity()) return "-inf";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

template <typename T>
std::string streamed(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

std::vector<std::string> sorted_keys(const toml::table& t) {
  std::vector<std::string> keys;
  for (auto&& [k, v] : t) keys.emplace_back(k.str());
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool is_array_of_tables(const toml::node& n) {
  auto* a = n.as_array();
  return a && !a->empty() && a->is_array_of_tables();
}

// True when every entry of t is a table or an array of tables (t may be empty).
bool only_tables(const toml::table& t) {
  for (auto&& [k, v] : t)
    if (!v.is_table() && !is_array_of_tables(v)) return false;
  return true;
}

}  // namespace

std::optional<std::pair<size_t, size_t>> toml_too_deep(std::string_view s, size_t limit) {
  // Depth counts containers from the root: `a = 1` is 1, `a.b = 1` 2, a [[a]] entry's keys 3.
  struct Open {
    char kind;     // '{' or '['
    size_t depth;  // the container's own depth
  };
  std::vector<Open> open;
  bool in_key = true, line_start = true;
  size_t header_depth = 0, key_base = 0, segments = 0, value_depth = 0;
  size_t line = 1, col = 1, i = 0;
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < s.size(); ++k, ++i) {
      if (s[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
  };
  constexpr std::string_view basic3 = "\"\"\"", literal3 = "'''";
  auto skip_string = [&] {
    char q = s[i];
    std::string_view triple = q == '"' ? basic3 : literal3;
    bool multi = s.substr(i, 3) == triple;
    advance(multi ? 3 : 1);
    while (i < s.size()) {
      if (q == '"' && s[i] == '\\') {
        advance(2);
        continue;
      }
      if (multi ? s.substr(i, 3) == triple : s[i] == q) {
        advance(multi ? 3 : 1);
        return;
      }
      if (!multi && s[i] == '\n') return;  // unterminated: toml++ reports it
      advance(1);
    }
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '#') {
      while (i < s.size() && s[i] != '\n') advance(1);
      continue;
    }
    if (c == '\n') {
      if (open.empty()) {  // a statement ends (arrays may go on over several lines)
        in_key = true;
        line_start = true;
        segments = 0;
        key_base = header_depth;
      }
      advance(1);
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      advance(1);
      continue;
    }
    if (in_key) {
      if (line_start && open.empty() && c == '[') {  // a table header: [a.b] or [[a.b]]
        bool array = s.substr(i, 2) == "[[";
        size_t at_line = line, at_col = col, parts = 1;
        advance(array ? 2 : 1);
        while (i < s.size() && s[i] != ']' && s[i] != '\n') {
          if (s[i] == '"' || s[i] == '\'') {
            skip_string();
            continue;
          }
          if (s[i] == '.') ++parts;
          advance(1);
        }
        header_depth = parts + (array ? 1 : 0);
        key_base = header_depth;
        if (header_depth + 1 > limit) return std::make_pair(at_line, at_col);
        while (i < s.size() && s[i] == ']') advance(1);
        line_start = false;
        continue;
      }
      line_start = false;
      if (c == '"' || c == '\'') {
        if (segments == 0) segments = 1;
        skip_string();
        continue;
      }
      if (c == '.') {
        ++segments;
        if (key_base + segments > limit) return std::make_pair(line, col);
        advance(1);
        continue;
      }
      if (c == '=') {
        value_depth = key_base + std::max<size_t>(segments, 1);
        if (value_depth > limit) return std::make_pair(line, col);
        in_key = false;
        advance(1);
        continue;
      }
      if (c == '}' && !open.empty() && open.back().kind == '{') {  // an empty inline table
        open.pop_back();
        in_key = false;
        if (!open.empty() && open.back().kind == '[') value_depth = open.back().depth + 1;
        advance(1);
        continue;
      }
      if (segments == 0) segments = 1;
      advance(1);
      continue;
    }
    // In a value.
    if (c == '"' || c == '\'') {
      skip_string();
      continue;
    }
    if (c == '{' || c == '[') {
      open.push_back({c, value_depth});
      if (value_depth + 1 > limit) return std::make_pair(line, col);
      if (c == '{') {
        in_key = true;
        key_base = value_depth;
        segments = 0;
      } else {
        value_depth += 1;
      }
      advance(1);
      continue;
    }
    if ((c == '}' || c == ']') && !open.empty()) {
      open.pop_back();
      if (!open.empty() && open.back().kind == '[') value_depth = open.back().depth + 1;
      advance(1);
      continue;
    }
    if (c == ',' && !open.empty()) {
      if (open.back().kind == '{') {
        in_key = true;
        key_base = open.back().depth;
        segments = 0;
      } else {
        value_depth = open.back().depth + 1;
      }
      advance(1);
      continue;
    }
    advance(1);
  }
  return std::nullopt;
}

toml::table parse_toml(std::string_view text, std::string_view path) {
  // desk's own structure nests a few levels above an unknown key's value ([[history]], changes,
  // an inline table): 8 more than max_unknown_depth is beyond any file desk keeps.
  if (auto at = toml_too_deep(text, max_unknown_depth + 8)) {
    toml::source_position pos{static_cast<toml::source_index>(at->first), static_cast<toml::source_index>(at->second)};
    std::string what = fmt::format("keys nest tables or arrays far more than {} levels deep; desk does not read such a file",
                                   max_unknown_depth);
    throw toml::parse_error(what.c_str(), pos, std::make_shared<const std::string>(path));
  }
  return toml::parse(text, path);
}

size_t toml_depth(const toml::node& node, size_t stop) {
  if (stop == 0) return node.is_table() || node.is_array() ? 1 : 0;
  size_t deepest = 0;
  if (auto* t = node.as_table()) {
    for (auto&& [k, v] : *t) deepest = std::max(deepest, toml_depth(v, stop - 1));
    return deepest + 1;
  }
  if (auto* a = node.as_array()) {
    for (auto&& v : *a) deepest = std::max(deepest, toml_depth(v, stop - 1));
    return deepest + 1;
  }
  return 0;
}

std::string toml_inline(const toml::node& node) {
  if (auto* s = node.as_string()) return toml_string(s->get());
  if (auto* i = node.as_integer()) return std::to_string(i->get());
  if (auto* f = node.as_floating_point()) return float_text(f->get());
  if (auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (auto* d = node.as_date()) return streamed(d->get());
  if (auto* t = node.as_time()) return streamed(t->get());
  if (auto* dt = node.as_date_time()) return streamed(dt->get());
  if (auto* a = node.as_array()) {
    std::string out = "[";
    for (size_t i = 0; i < a->size(); ++i) {
      if (i) out += ", ";
      out += toml_inline(*a->get(i));
    }
    return out + "]";
  }
  if (auto* t = node.as_table()) {
    if (t->empty()) return "{}";
    std::string out = "{ ";
    bool first = true;
    for (auto& k : sorted_keys(*t)) {
      if (!first) out += ", ";
      first = false;
      out += toml_key(k) + " = " + toml_inline(*t->get(k));
    }
    return out + " }";
  }
  return "\"\"";
}

void toml_emit_table_body(std::string& out, const toml::table& t, std::string_view prefix) {
  auto keys = sorted_keys(t);
  for (auto& k : keys) {
    const toml::node& v = *t.get(k);
    if (v.is_table() || is_array_of_tables(v)) continue;
    out += toml_key(k) + " = ";
    out += v.is_string() ? toml_text(v.as_string()->get()) : toml_inline(v);
    out += '\n';
  }
  for (auto& k : keys) {
    const toml::node& v = *t.get(k);
    std::string path = prefix.empty() ? toml_key(k) : std::string(prefix) + "." + toml_key(k);
    if (auto* sub = v.as_table()) {
      // A header for every level of a.b.c.d... would repeat the path at each one: a 20 KB
      // chain of dotted keys became a 100 MB file. Only a table with values of its own (or an
      // empty one, which exists only by its header) needs one.
      if (sub->empty() || !only_tables(*sub)) out += "\n[" + path + "]\n";
      toml_emit_table_body(out, *sub, path);
    } else if (is_array_of_tables(v)) {
      for (auto&& el : *v.as_array()) {
        out += "\n[[" + path + "]]\n";
        toml_emit_table_body(out, *el.as_table(), path);
      }
    }
  }
}

std::optional<Timestamp> toml_to_time(const toml::node& node) {
  if (auto* dt = node.as_date_time()) {
    const auto& v = dt->get();
    std::chrono::year_month_day ymd{std::chrono::year{v.date.year}, std::chrono::month{v.date.month},
                                    std::chrono::day{v.date.day}};
    if (!ymd.ok()) return std::nullopt;
    Timestamp t{std::chrono::sys_days{ymd}};
    t += std::chrono::hours{v.time.hour} + std::chrono::minutes{v.time.minute} +
         std::chrono::seconds{v.time.second};
    if (v.offset) t -= std::chrono::minutes{v.offset->minutes};
    if (!is_writable_time(t)) return std::nullopt;  // toml_time could not write it back
    return t;
  }
  if (auto* s = node.as_string()) return parse_time(s->get());
  return std::nullopt;
}

}  // namespace desk
