#include "core/model/ticket.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/model/toml_writer.hpp"

using namespace std::string_view_literals;

namespace desk {

bool is_active_status(std::string_view s) { return s == "new" || s == "open" || s == "pending"; }

namespace {

[[noreturn]] void fail_at(std::string_view path, const toml::source_region& where, const std::string& what) {
  throw Error(ErrorKind::invalid, fmt::format("{}:{}:{}: {}", path, where.begin.line, where.begin.column, what),
              "fix the file by hand and commit it, or bring back its last good version: `git log -- FILE`, then `git checkout COMMIT -- FILE` and commit");
}

// Reads the known keys of one table and collects the rest verbatim.
class Reader {
 public:
  Reader(const toml::table& t, std::string_view path, std::string_view where) : t_(t), path_(path), where_(where) {}

  const toml::node* take(std::string_view key) {
    seen_.insert(std::string(key));
    return t_.get(key);
  }

  std::string str(std::string_view key, bool required = false) {
    const toml::node* n = take(key);
    if (!n) {
      if (required) missing(key);
      return {};
    }
    if (!n->is_string()) fail_at(path_, n->source(), fmt::format("{}{} must be a string", where_, key));
    return n->as_string()->get();
  }

  std::optional<Timestamp> time(std::string_view key, bool required = false) {
    const toml::node* n = take(key);
    if (!n) {
      if (required) missing(key);
      return std::nullopt;
    }
    auto t = toml_to_time(*n);
    if (!t) fail_at(path_, n->source(), fmt::format("{}{} must be a date-time such as 2026-11-22T09:00:00Z", where_, key));
    return t;
  }

  std::optional<int64_t> integer(std::string_view key) {
    const toml::node* n = take(key);
    if (!n) return std::nullopt;
    if (!n->is_integer()) fail_at(path_, n->source(), fmt::format("{}{} must be an integer", where_, key));
    return n->as_integer()->get();
  }

  bool boolean(std::string_view key) {
    const toml::node* n = take(key);
    if (!n) return false;
    if (!n->is_boolean()) fail_at(path_, n->source(), fmt::format("{}{} must be true or false", where_, key));
    return n->as_boolean()->get();
  }

  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = take(key);
    if (!n) return out;
    auto* a = n->as_array();
    if (!a) fail_at(path_, n->source(), fmt::format("{}{} must be an array of strings", where_, key));
    for (auto&& el : *a) {
      if (!el.is_string()) fail_at(path_, el.source(), fmt::format("{}{} must be an array of strings", where_, key));
      out.push_back(el.as_string()->get());
    }
    return out;
  }

  const toml::array* tables(std::string_view key) {
    const toml::node* n = take(key);
    if (!n) return nullptr;
    auto* a = n->as_array();
    if (!a || !a->is_array_of_tables())
      if (!(a && a->empty())) fail_at(path_, n->source(), fmt::format("{}{} must be an array of tables", where_, key));
    return a;
  }

  // The keys desk does not know, kept as they are, each nesting at most max_unknown_depth.
  toml::table rest() const {
    toml::table extra;
    for (auto&& [k, v] : t_) {
      if (seen_.count(std::string(k.str()))) continue;
      if (toml_depth(v, max_unknown_depth) > max_unknown_depth)
        fail_at(path_, v.source(),
                fmt::format("{}{} nests tables or arrays more than {} levels deep, the most desk keeps of keys it does not know",
                            where_, k.str(), max_unknown_depth));
      extra.insert(k, v);
    }
    return extra;
  }

  [[noreturn]] void missing(std::string_view key) {
    fail_at(path_, t_.source(), fmt::format("{}missing required key '{}'", where_, key));
  }

  void fail(const toml::node& n, const std::string& what) { fail_at(path_, n.source(), what); }

 private:
  const toml::table& t_;
  std::string_view path_;
  std::string where_;
  std::set<std::string> seen_;
};

HistoryEntry read_entry(const toml::table& t, std::string_view path, size_t index) {
  Reader r(t, path, fmt::format("history[{}].", index));
  HistoryEntry e;
  e.id = r.str("id", true);
  e.at = *r.time("at", true);
  e.by = r.str("by");
  e.action = r.str("action", true);
  e.from = r.str("from");
  e.to = r.str("to");
  e.status = r.str("status");
  e.on = r.str("on");
  e.vendor = r.str("vendor");
  e.vendor_case = r.str("case");
  e.internal = r.boolean("internal");
  e.notify = r.boolean("notify");
  e.clock = r.str("clock");
  e.due = r.time("due");
  e.message_id = r.str("message_id");
  e.quoted = r.str("quoted");
  if (const toml::node* n = r.take("changes")) {
    auto* a = n->as_array();
    if (!a) r.fail(*n, "history changes must be an array of { field, from, to } tables");
    for (auto&& el : *a) {
      auto* ct = el.as_table();
      if (!ct) r.fail(el, "history changes must be an array of { field, from, to } tables");
      Reader cr(*ct, path, "change.");
      FieldChange c;
      c.field = cr.str("field", true);
      c.from = cr.str("from");
      c.to = cr.str("to");
      c.extra = cr.rest();
      e.changes.push_back(std::move(c));
    }
  }
  if (auto v = r.integer("step")) e.step = static_cast<int>(*v);
  if (auto v = r.integer("csat")) e.csat = static_cast<int>(*v);
  e.text = r.str("text");
  e.extra = r.rest();
  return e;
}

}  // namespace

Ticket parse_ticket(std::string_view text, std::string_view path) {
  check_read_size(path, text.size());
  if (auto fast = parse_canonical_ticket(text)) return std::move(*fast);
  return parse_ticket_toml(text, path);
}

Ticket parse_ticket_toml(std::string_view text, std::string_view path) {
  toml::table root;
  try {
    root = parse_toml(text, path);
  } catch (const toml::parse_error& err) {
    fail_at(path, err.source(), std::string(err.description()));
  }
  Reader r(root, path, "");
  Ticket t;
  if (auto f = r.integer("format")) {
    if (*f < 1 || *f > ticket_format)
      r.fail(*root.get("format"), fmt::format("ticket format {} is not supported by this desk (knows 1..{}); upgrade desk", *f, ticket_format));
    t.format = static_cast<int>(*f);
  }
  t.id = r.str("id", true);
  if (!is_ticket_id(t.id)) r.fail(*root.get("id"), fmt::format("'{}' is not a ticket id", t.id));
  t.title = r.str("title", true);
  t.status = r.str("status", true);
  if (std::find(all_statuses.begin(), all_statuses.end(), t.status) == all_statuses.end())
    r.fail(*root.get("status"), fmt::format("unknown status '{}' (one of new, open, pending, resolved, closed)", t.status));
  t.waiting_on = r.str("waiting_on");
  t.tier = r.str("tier");
  t.priority = r.str("priority");
  t.impact = r.str("impact");
  t.urgency = r.str("urgency");
  t.type = r.str("type");
  t.category = r.str("category");
  t.tags = r.strings("tags");
  t.kb = r.strings("kb");
  t.watchers = r.strings("watchers");
  t.requester = r.str("requester");
  t.assignee = r.str("assignee");
  t.vendor = r.str("vendor");
  t.vendor_case = r.str("vendor_case");
  t.template_name = r.str("template");
  t.created = *r.time("created", true);
  t.updated = r.time("updated").value_or(t.created);
  t.resolution = r.str("resolution");
  t.duplicate_of = r.str("duplicate_of");
  t.related = r.strings("related");
  t.parent = r.str("parent");
  t.problem = r.str("problem");
  if (auto v = r.integer("csat")) {
    if (*v < 1 || *v > 5) r.fail(*root.get("csat"), "csat must be between 1 and 5");
    t.csat = static_cast<int>(*v);
  }
  t.description = r.str("description");
  if (const toml::node* n = r.take("sla")) {
    auto* st = n->as_table();
    if (!st) r.fail(*n, "sla must be a table");
    Reader sr(*st, path, "sla.");
    SlaPolicy p;
    p.priority = sr.str("priority");
    p.calendar = sr.str("calendar");
    auto dur = [&](std::string_view key) -> std::optional<std::chrono::seconds> {
      std::string v = sr.str(key);
      if (v.empty()) return std::nullopt;
      auto d = parse_duration(v);
      if (!d) sr.fail(*st->get(key), fmt::format("sla.{} must be a duration such as \"4h\"", key));
      return d;
    };
    p.first_response = dur("first_response");
    p.next_update = dur("next_update");
    p.resolution = dur("resolution");
    p.extra = sr.rest();
    t.sla = p;
  }
  if (auto* items = r.tables("checklist")) {
    size_t i = 0;
    for (auto&& el : *items) {
      Reader cr(*el.as_table(), path, fmt::format("checklist[{}].", i++));
      ChecklistItem item;
      item.text = cr.str("text", true);
      item.done = cr.boolean("done");
      item.required = cr.boolean("required");
      item.extra = cr.rest();
      t.checklist.push_back(std::move(item));
    }
  }
  if (auto* entries = r.tables("history")) {
    size_t i = 0;
    for (auto&& el : *entries) t.history.push_back(read_entry(*el.as_table(), path, i++));
  }
  t.extra = r.rest();
  return t;
}

namespace {

void line(std::string& out, std::string_view key, const std::string& value) {
  out += key;
  out += " = ";
  out += value;
  out += '\n';
}

void opt(std::string& out, std::string_view key, const std::string& value) {
  if (!value.empty()) line(out, key, toml_text(value));
}

}  // namespace

std::optional<std::string_view> peek_status(std::string_view text) {
  // Canonical files have `status = "..."` as their fourth line. Stop at the first table header
  // (top-level keys come before it) and at the first multi-line string, so a line inside a
  // description that looks like a status is never taken for one: those files are parsed.
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '[') return std::nullopt;
    if (size_t ml = line.find("\"\"\""); ml != std::string_view::npos || line.find("\'\'\'") != std::string_view::npos) {
      // A line opening a multi-line string: give up rather than track TOML's string rules.
      return std::nullopt;
    }
    constexpr std::string_view key = "status = \"";
    if (line.substr(0, key.size()) == key && line.size() > key.size() + 1 && line.back() == '"') {
      std::string_view value = line.substr(key.size(), line.size() - key.size() - 1);
      if (value.find_first_of("\"\\") == std::string_view::npos) return value;
      return std::nullopt;
    }
    at = end + 1;
  }
  return std::nullopt;
}

std::string emit_ticket(const Ticket& t) {
  std::string out;
  out += "# desk ticket: edit with `desk edit`, or by hand and commit; desk rewrites it canonically\n";
  line(out, "format", std::to_string(t.format));
  line(out, "id", toml_string(t.id));
  line(out, "title", toml_string(t.title));
  line(out, "status", toml_string(t.status));
  opt(out, "waiting_on", t.waiting_on);
  opt(out, "tier", t.tier);
  opt(out, "priority", t.priority);
  opt(out, "impact", t.impact);
  opt(out, "urgency", t.urgency);
  opt(out, "type", t.type);
  opt(out, "category", t.category);
  line(out, "tags", toml_string_array(t.tags));
  if (!t.kb.empty()) line(out, "kb", toml_string_array(t.kb));
  if (!t.watchers.empty()) line(out, "watchers", toml_string_array(t.watchers));
  opt(out, "requester", t.requester);
  opt(out, "assignee", t.assignee);
  opt(out, "vendor", t.vendor);
  opt(out, "vendor_case", t.vendor_case);
  opt(out, "template", t.template_name);
  line(out, "created", toml_time(t.created));
  line(out, "updated", toml_time(t.updated));
  opt(out, "resolution", t.resolution);
  opt(out, "duplicate_of", t.duplicate_of);
  if (!t.related.empty()) line(out, "related", toml_string_array(t.related));
  opt(out, "parent", t.parent);
  opt(out, "problem", t.problem);
  if (t.csat) line(out, "csat", std::to_string(*t.csat));
  opt(out, "description", t.description);
  toml_emit_table_body(out, t.extra, "");

  if (t.sla) {
    out += "\n[sla]\n";
    opt(out, "priority", t.sla->priority);
    opt(out, "calendar", t.sla->calendar);
    if (t.sla->first_response) line(out, "first_response", toml_string(format_duration_exact(*t.sla->first_response)));
    if (t.sla->next_update) line(out, "next_update", toml_string(format_duration_exact(*t.sla->next_update)));
    if (t.sla->resolution) line(out, "resolution", toml_string(format_duration_exact(*t.sla->resolution)));
    toml_emit_table_body(out, t.sla->extra, "sla");
  }
  for (const auto& item : t.checklist) {
    out += "\n[[checklist]]\n";
    line(out, "text", toml_text(item.text));
    line(out, "done", item.done ? "true" : "false");
    if (item.required) line(out, "required", "true");
    toml_emit_table_body(out, item.extra, "checklist");
  }
  for (const auto& e : t.history) {
    out += "\n[[history]]\n";
    line(out, "id", toml_string(e.id));
    line(out, "at", toml_time(e.at));
    line(out, "by", toml_string(e.by));
    line(out, "action", toml_string(e.action));
    opt(out, "from", e.from);
    opt(out, "to", e.to);
    opt(out, "status", e.status);
    opt(out, "on", e.on);
    opt(out, "vendor", e.vendor);
    opt(out, "case", e.vendor_case);
    if (e.internal) line(out, "internal", "true");
    if (e.notify) line(out, "notify", "true");
    opt(out, "clock", e.clock);
    if (e.due) line(out, "due", toml_time(*e.due));
    opt(out, "message_id", e.message_id);
    if (!e.changes.empty()) {
      std::string arr = "[";
      for (size_t i = 0; i < e.changes.size(); ++i) {
        const auto& c = e.changes[i];
        if (i) arr += ", ";
        arr += fmt::format("{{ field = {}, from = {}, to = {}", toml_string(c.field), toml_string(c.from),
                           toml_string(c.to));
        // Unknown keys follow the known ones, sorted, as toml_inline writes tables.
        std::vector<std::string_view> keys;
        for (auto&& [k, v] : c.extra) keys.push_back(k.str());
        std::sort(keys.begin(), keys.end());
        for (auto k : keys) arr += fmt::format(", {} = {}", toml_key(k), toml_inline(*c.extra.get(k)));
        arr += " }";
      }
      line(out, "changes", arr + "]");
    }
    if (e.step) line(out, "step", std::to_string(*e.step));
    if (e.csat) line(out, "csat", std::to_string(*e.csat));
    opt(out, "text", e.text);
    opt(out, "quoted", e.quoted);
    toml_emit_table_body(out, e.extra, "history");
  }
  return out;
}

namespace {
std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? "," : "") + names[i];
  return s;
}
}  // namespace

std::optional<std::string> ticket_field(const Ticket& t, std::string_view name) {
  if (name == "id") return t.id;
  if (name == "title") return t.title;
  if (name == "status") return t.status;
  if (name == "waiting_on") return t.waiting_on;
  if (name == "tier") return t.tier;
  if (name == "priority") return t.priority;
  if (name == "impact") return t.impact;
  if (name == "urgency") return t.urgency;
  if (name == "type") return t.type;
  if (name == "category") return t.category;
  if (name == "tags") return join_names(t.tags);
  if (name == "kb") return join_names(t.kb);
  if (name == "watchers") return join_names(t.watchers);
  if (name == "requester") return t.requester;
  if (name == "assignee") return t.assignee;
  if (name == "vendor") return t.vendor;
  if (name == "vendor_case") return t.vendor_case;
  if (name == "template") return t.template_name;
  if (name == "created") return format_time(t.created);
  if (name == "updated") return format_time(t.updated);
  if (name == "resolution") return t.resolution;
  if (name == "duplicate_of") return t.duplicate_of;
  if (name == "related") return join_names(t.related);
  if (name == "parent") return t.parent;
  if (name == "problem") return t.problem;
  if (name == "csat") return t.csat ? std::to_string(*t.csat) : "";
  if (name == "description") return t.description;
  return std::nullopt;
}

}  // namespace desk
