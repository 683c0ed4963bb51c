#include "core/model/template.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/model/toml_writer.hpp"

namespace desk {

namespace {
[[noreturn]] void fail_at(std::string_view path, const toml::source_region& where, const std::string& what) {
  throw Error(ErrorKind::invalid, fmt::format("{}:{}:{}: {}", path, where.begin.line, where.begin.column, what),
              "fix the template file and commit it");
}
}  // namespace

Template parse_template(std::string_view text, std::string_view name, std::string_view path) {
  toml::table root;
  try {
    root = parse_toml(text, path);
  } catch (const toml::parse_error& err) {
    fail_at(path, err.source(), std::string(err.description()));
  }
  Template t;
  t.name = std::string(name);
  auto str = [&](std::string_view key) -> std::string {
    const toml::node* n = root.get(key);
    if (!n) return {};
    if (!n->is_string()) fail_at(path, n->source(), fmt::format("'{}' must be a string", key));
    return n->as_string()->get();
  };
  auto strs = [&](std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    auto* a = n->as_array();
    if (!a) fail_at(path, n->source(), fmt::format("'{}' must be an array of strings", key));
    for (auto&& el : *a) {
      if (!el.is_string()) fail_at(path, el.source(), fmt::format("'{}' must be an array of strings", key));
      out.push_back(el.as_string()->get());
    }
    return out;
  };
  t.title = str("title");
  t.type = str("type");
  t.priority = str("priority");
  t.tier = str("tier");
  t.impact = str("impact");
  t.urgency = str("urgency");
  t.category = str("category");
  t.tags = strs("tags");
  t.description = str("description");
  t.checklist = strs("checklist");
  // required = true (every step) or [1, 3] (those steps, numbered from 1).
  t.required.assign(t.checklist.size(), false);
  if (const toml::node* n = root.get("required")) {
    if (n->is_boolean()) {
      t.required.assign(t.checklist.size(), n->as_boolean()->get());
    } else if (auto* a = n->as_array()) {
      for (auto&& el : *a) {
        auto v = el.value<int64_t>();
        if (!el.is_integer() || !v || *v < 1 || static_cast<size_t>(*v) > t.checklist.size())
          fail_at(path, el.source(), fmt::format("'required' lists step numbers from 1 to {}", t.checklist.size()));
        t.required[static_cast<size_t>(*v - 1)] = true;
      }
    } else {
      fail_at(path, n->source(), "'required' must be true, false or an array of step numbers such as [1, 3]");
    }
  }
  return t;
}

}  // namespace desk
