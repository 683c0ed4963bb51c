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
