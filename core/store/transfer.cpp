#include "core/store/transfer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/report/json.hpp"
#include "core/sla/sla.hpp"
#include "core/util/person.hpp"
#include "core/util/text.hpp"
#include "core/model/toml_writer.hpp"
#include "core/model/workflow.hpp"

namespace desk {

using nlohmann::json;

namespace {

// A record that cannot be imported; caught per record and turned into a RowError.
struct RowFail {
  std::string message;
};

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}


// Runs a config check (require_tier etc.), turning its Error into a RowFail.
template <typename F>
void check(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw RowFail{e.what()};
  }
}

void require_name(const std::string& value, const std::string& what) {
  if (!is_valid_name(value))
    throw RowFail{fmt::format("invalid {} '{}': use plain text on one line, without control characters", what,
                              strip_controls(value))};
}

void check_title(const std::string& title) {
  try {
    validate_title(title);
  } catch (const Error& e) {
    throw RowFail{e.what()};
  }
}

// A record over desk's limits (core/model/limits.hpp) is refused.
void check_limits(const Ticket& t) {
  try {
    check_text_size(t.description, "the description");
    check_text_size(t.resolution, "the resolution");
    for (const auto& e : t.history) check_text_size(e.text, "a history text");
  } catch (const Error& e) {
    throw RowFail{e.what()};
  }
  if (t.history.size() > max_history_entries)
    throw RowFail{fmt::format("{} history entries, more than the {} desk keeps in a ticket", t.history.size(), max_history_entries)};
}

// Sorts history by time (stable), gives entries ids derived from the ticket's, stamps updated.
void finish_history(Ticket& t) {
  check_limits(t);
  std::stable_sort(t.history.begin(), t.history.end(), [](const HistoryEntry& a, const HistoryEntry& b) { return a.at < b.at; });
  for (size_t i = 0; i < t.history.size(); ++i) t.history[i].id = stable_ticket_id(fmt::format("{}:entry:{}", t.id, i));
  t.updated = t.created;
  for (const auto& e : t.history) t.updated = std::max(t.updated, e.at);
}

HistoryEntry make_entry(Timestamp at, std::string by, std::string action) {
  HistoryEntry e;
  e.at = at;
  e.by = std::move(by);
  e.action = std::move(action);
  return e;
}

// ---- JSON <-> TOML ----

constexpr std::string_view tag_prefix = "toml:";

// A TOML value for one tag ("toml:date-time" = "1979-05-27T07:32:00Z"), checked to be one value
// of the right kind so tagged text cannot smuggle in other keys.
std::string untag(std::string_view tag, const json& v, const std::string& path) {
  if (!v.is_string()) throw RowFail{fmt::format("{}: the value of \"{}\" must be a string", path, tag)};
  const std::string& s = v.get_ref<const std::string&>();
  toml::table t;
  try {
    t = parse_toml("v = " + s, "json");
  } catch (const toml::parse_error&) {
    throw RowFail{fmt::format("{}: '{}' is not a TOML {}", path, strip_controls(s), tag.substr(tag_prefix.size()))};
  }
  const toml::node* n = t.get("v");
  bool ok = t.size() == 1 && n &&
            ((tag == "toml:date-time" && n->is_date_time()) || (tag == "toml:date" && n->is_date()) ||
             (tag == "toml:time" && n->is_time()) || (tag == "toml:float" && n->is_floating_point()));
  if (!ok) throw RowFail{fmt::format("{}: '{}' is not a TOML {}", path, strip_controls(s), tag.substr(tag_prefix.size()))};
  return toml_inline(*n);
}

// A JSON value as an inline TOML value. Objects of one "toml:..." key are tags export_json wrote.
std::string toml_from_json(const json& v, const std::string& path, bool tags = true) {
  switch (v.type()) {
    case json::value_t::string: return toml_string(v.get_ref<const std::string&>());
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case json::value_t::number_unsigned: {
      auto u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) throw RowFail{fmt::format("{}: {} is too large", path, u)};
      return std::to_string(u);
    }
    case json::value_t::number_float: return toml_inline(toml::value<double>(v.get<double>()));
    case json::value_t::array: {
      std::string out = "[";
      size_t i = 0;
      for (const auto& el : v) {
        if (el.is_null()) throw RowFail{fmt::format("{}[{}] is null", path, i)};
        if (i) out += ", ";
        out += toml_from_json(el, fmt::format("{}[{}]", path, i));
        ++i;
      }
      return out + "]";
    }
    case json::value_t::object: {
      if (tags && v.size() == 1 && v.begin().key().starts_with(tag_prefix)) {
        const std::string& k = v.begin().key();
        if (k == "toml:table") {
          if (!v.begin()->is_object()) throw RowFail{fmt::format("{}: the value of \"toml:table\" must be an object", path)};
          return toml_from_json(*v.begin(), path, false);
        }
        if (k == "toml:date-time" || k == "toml:date" || k == "toml:time" || k == "toml:float") return untag(k, *v.begin(), path);
      }
      std::string out;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it->is_null()) continue;
        out += out.empty() ? "{ " : ", ";
        out += toml_key(it.key()) + " = " + toml_from_json(*it, path + "." + it.key());
      }
      return out.empty() ? "{}" : out + " }";
    }
    case json::value_t::null: throw RowFail{fmt::format("{} is null", path)};
    default: throw RowFail{fmt::format("{}: unsupported JSON value", path)};
  }
}

// Replaces, in a copy of unknown keys, the TOML values JSON cannot tell apart with tags.
std::optional<toml::table> tag_for(const toml::node& n) {
  auto tag = [](const char* kind, std::string text) {
    toml::table t;
    t.insert_or_assign(kind, std::move(text));
    return t;
  };
  if (n.is_date_time()) return tag("toml:date-time", toml_inline(n));
  if (n.is_date()) return tag("toml:date", toml_inline(n));
  if (n.is_time()) return tag("toml:time", toml_inline(n));
  if (auto* f = n.as_floating_point()) {
    double d = f->get();
    // JsonWriter writes 1.0 as "1", which reads back as an integer.
    if (!std::isfinite(d) || fmt::format("{}", d).find_first_of(".eE") == std::string::npos) return tag("toml:float", toml_inline(n));
  }
  return std::nullopt;
}

void tag_in_place(toml::array& a);

// A table whose only key looks like a tag is wrapped, so it is not read back as one.
bool looks_tagged(const toml::table& t) { return t.size() == 1 && t.begin()->first.str().starts_with(tag_prefix); }

void tag_in_place(toml::table& t) {
  std::vector<std::string> keys;
  for (auto&& [k, v] : t) keys.emplace_back(k.str());
  for (const auto& k : keys) {
    toml::node* n = t.get(k);
    if (auto* sub = n->as_table()) {
      tag_in_place(*sub);
      if (looks_tagged(*sub)) {
        toml::table w;
        w.insert_or_assign("toml:table", std::move(*sub));
        t.insert_or_assign(k, std::move(w));
      }
    } else if (auto* arr = n->as_array()) {
      tag_in_place(*arr);
    } else if (auto tg = tag_for(*n)) {
      t.insert_or_assign(k, std::move(*tg));
    }
  }
}

void tag_in_place(toml::array& a) {
  for (size_t i = 0; i < a.size(); ++i) {
    toml::node* n = a.get(i);
    if (auto* sub = n->as_table()) {
      tag_in_place(*sub);
      if (looks_tagged(*sub)) {
        toml::table w;
        w.insert_or_assign("toml:table", std::move(*sub));
        a.replace(a.cbegin() + static_cast<std::ptrdiff_t>(i), std::move(w));
      }
    } else if (auto* arr = n->as_array()) {
      tag_in_place(*arr);
    } else if (auto tg = tag_for(*n)) {
      a.replace(a.cbegin() + static_cast<std::ptrdiff_t>(i), std::move(*tg));
    }
  }
}

// Line numbers where each element of the ticket array starts: the top-level array, or the array
// under the top-level object's "tickets" key. A tiny scanner: nlohmann keeps no positions.
std::vector<size_t> element_lines(std::string_view s) {
  std::vector<size_t> lines;
  size_t line = 1, depth = 0, target = 0;
  bool expect = false, root_object = false;
  std::string last_string;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    bool in_target = target && depth == target;
    if (in_target && expect && c != ']') {
      lines.push_back(line);
      expect = false;
    }
    if (c == '"') {
      size_t start = ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\') ++i;
        else if (s[i] == '\n') ++line;
        ++i;
      }
      if (depth == 1 && root_object) last_string = std::string(s.substr(start, i - start));
    } else if (c == '[' || c == '{') {
      bool is_target = c == '[' && !target && (depth == 0 || (depth == 1 && root_object && last_string == "tickets"));
      if (depth == 0 && c == '{') root_object = true;
      ++depth;
      if (is_target) {
        target = depth;
        expect = true;
      }
    } else if (c == ']' || c == '}') {
      if (depth) --depth;
      if (target && depth < target) target = std::numeric_limits<size_t>::max();  // done
    } else if (c == ',' && in_target) {
      expect = true;
    }
  }
  return lines;
}

// Where the JSON first nests deeper than max_json_depth, as (line, column), or nullopt. Checked
// before parsing: the conversion to TOML (toml_from_json) recurses once per level.
std::optional<std::pair<size_t, size_t>> json_too_deep(std::string_view s) {
  size_t depth = 0, line = 1, line_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    } else if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) return std::pair{line, i - line_start + 1};
    } else if ((c == ']' || c == '}') && depth) {
      --depth;
    }
  }
  return std::nullopt;
}

json parse_json(std::string_view text) {
  if (auto at = json_too_deep(text))
    throw Error(ErrorKind::invalid,
                fmt::format("the JSON is nested more than {} levels deep (line {}, column {})", max_json_depth, at->first, at->second),
                "this is not a desk or GitHub export: desk reads JSON nested at most " + std::to_string(max_json_depth) + " levels deep");
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ...", or
    // (a number too large for a double) "[json.exception.out_of_range.406] number overflow parsing '1e999'".
    std::string what = e.what();
    auto at = what.find("] ");
    throw Error(ErrorKind::invalid, "not valid JSON: " + strip_controls(at == std::string::npos ? what : what.substr(at + 2)),
                "check the file, or pass --format csv for a CSV file");
  }
}

// ---- desk's JSON ----

// A person of desk_format 2 ({name, email[, text]}) as the text a ticket file records.
json person_text(const json& v) {
  if (!v.is_object()) return v;
  if (auto t = v.find("text"); t != v.end() && t->is_string()) return *t;
  PersonParts p;
  if (auto n = v.find("name"); n != v.end() && n->is_string()) p.name = n->get<std::string>();
  if (auto e = v.find("email"); e != v.end() && e->is_string()) p.email = e->get<std::string>();
  return join_person(p);
}

// A ticket object of desk_format 2 in the shape of the file: people as text, no null assignee,
// no seconds beside the SLA targets (both derived from the file's keys).
json file_shape(json obj, int format) {
  if (format < 2 || !obj.is_object()) return obj;
  for (const char* k : {"requester", "assignee"})
    if (auto it = obj.find(k); it != obj.end()) {
      if (it->is_null()) obj.erase(it);
      else *it = person_text(*it);
    }
  // In an array and in a history entry nobody (null) is the empty text.
  if (auto w = obj.find("watchers"); w != obj.end() && w->is_array())
    for (auto& p : *w) p = p.is_null() ? json("") : person_text(p);
  if (auto h = obj.find("history"); h != obj.end() && h->is_array())
    for (auto& e : *h)
      if (e.is_object())
        if (auto by = e.find("by"); by != e.end()) *by = by->is_null() ? json("") : person_text(*by);
  if (auto sla = obj.find("sla"); sla != obj.end() && sla->is_object())
    for (const char* k : {"first_response", "next_update", "resolution"})
      if (sla->contains(k)) sla->erase(std::string(k) + "_seconds");
  return obj;
}

Ticket desk_ticket(const json& obj, const Config& cfg) {
  if (!obj.is_object()) throw RowFail{"not a JSON object"};
  std::string text;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it->is_null()) continue;
    text += toml_key(it.key()) + " = " + toml_from_json(*it, it.key()) + "\n";
  }
  Ticket t;
  constexpr std::string_view where = "json";
  try {
    t = parse_ticket(text, where);
  } catch (const Error& e) {
    // "json:LINE:COLUMN: what": the line is of the TOML made here, which means nothing to the user.
    std::string msg = e.what();
    auto colon = msg.find(": ", where.size());
    throw RowFail{colon == std::string::npos ? msg : msg.substr(colon + 2)};
  }
  check_title(t.title);
  if (!t.tier.empty()) check([&] { cfg.require_tier(t.tier); });
  if (!t.priority.empty()) check([&] { cfg.require_priority(t.priority); });
  if (!t.type.empty()) check([&] { cfg.require_type(t.type); });
  return t;
}

// ---- GitHub ----

const json* member(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string string_member(const json& obj, const char* key, bool required, const std::string& path = {}) {
  const json* v = member(obj, key);
  if (!v) {
    if (required) throw RowFail{fmt::format("{}{} is missing", path, key)};
    return {};
  }
  if (!v->is_string()) throw RowFail{fmt::format("{}{} must be a string", path, key)};
  return v->get<std::string>();
}

Timestamp time_member(const json& obj, const char* key, const std::string& path = {}) {
  std::string s = string_member(obj, key, true, path);
  auto t = parse_time(s);
  if (!t) throw RowFail{fmt::format("{}{} '{}' is not an RFC 3339 time", path, key, strip_controls(s))};
  return *t;
}

std::string login_of(const json& obj, const char* key, const std::string& path) {
  const json* who = member(obj, key);
  if (!who) return {};
  if (!who->is_object()) throw RowFail{fmt::format("{}{} must be an object with a login", path, key)};
  std::string login = string_member(*who, "login", false, fmt::format("{}{}.", path, key));
  if (!login.empty()) require_name(login, "login");
  return login;
}

Ticket github_ticket(const json& issue, const Config& cfg, const ImportOptions& opt) {
  if (!issue.is_object()) throw RowFail{"not a JSON object"};
  const json* num = member(issue, "number");
  if (!num || !num->is_number_integer()) throw RowFail{"number is missing or not an integer"};
  int64_t number = num->get<int64_t>();
  Ticket t;
  t.created = time_member(issue, "createdAt");
  t.id = stable_ticket_id(fmt::format("github:{}:{}", number, format_time(t.created)));
  t.title = string_member(issue, "title", true);
  check_title(t.title);
  t.description = string_member(issue, "body", false);
  std::string state = lower(string_member(issue, "state", false));
  if (!state.empty() && state != "open" && state != "closed")
    throw RowFail{fmt::format("state '{}' is neither OPEN nor CLOSED", strip_controls(state))};
  bool closed = state == "closed";
  t.tier = cfg.default_tier;
  t.priority = cfg.default_priority;
  t.type = cfg.default_type;
  if (const json* labels = member(issue, "labels")) {
    if (!labels->is_array()) throw RowFail{"labels must be an array"};
    for (const auto& l : *labels) {
      std::string name = l.is_string() ? l.get<std::string>() : l.is_object() ? string_member(l, "name", true, "labels[].") : "";
      require_name(name, "label");
      if (std::find(t.tags.begin(), t.tags.end(), name) == t.tags.end()) t.tags.push_back(name);
    }
  }
  if (const json* assignees = member(issue, "assignees")) {
    if (!assignees->is_array()) throw RowFail{"assignees must be an array"};
    if (!assignees->empty()) {
      const json& a = (*assignees)[0];
      t.assignee = a.is_string() ? a.get<std::string>() : a.is_object() ? string_member(a, "login", true, "assignees[0].") : "";
      require_name(t.assignee, "assignee");
    }
  }
  std::string author = login_of(issue, "author", "");
  t.requester = author.empty() ? opt.actor : author;
  t.status = closed ? "closed" : "open";
  t.sla = policy_for(cfg, t.priority);
  t.extra.insert_or_assign("github_number", number);

  HistoryEntry created = make_entry(t.created, t.requester, "create");
  created.status = "open";
  created.to = t.tier;
  t.history.push_back(std::move(created));
  if (const json* comments = member(issue, "comments")) {
    if (!comments->is_array()) throw RowFail{"comments must be an array"};
    for (size_t i = 0; i < comments->size(); ++i) {
      const json& c = (*comments)[i];
      std::string path = fmt::format("comments[{}].", i);
      if (!c.is_object()) throw RowFail{fmt::format("comments[{}] is not an object", i)};
      std::string by = login_of(c, "author", path);
      HistoryEntry e = make_entry(time_member(c, "createdAt", path), by.empty() ? "ghost" : by, "comment");
      e.text = string_member(c, "body", false, path);
      t.history.push_back(std::move(e));
    }
  }
  if (closed) {
    Timestamp at = t.created;
    for (const auto& e : t.history) at = std::max(at, e.at);
    if (member(issue, "closedAt")) at = time_member(issue, "closedAt");
    HistoryEntry e = make_entry(at, opt.actor, "close");
    e.status = "closed";
    t.history.push_back(std::move(e));
  }
  finish_history(t);
  return t;
}

// ---- CSV ----

const std::vector<std::string> csv_fields = {"id",       "key",        "title",    "description", "status",
                                             "waiting_on", "tier",     "priority", "impact",      "urgency",
                                             "type",     "category",   "tags",     "requester",   "assignee",
                                             "vendor",   "vendor_case", "template", "created",     "updated",
                                             "resolution", "csat"};

// Keys of a ticket file that a CSV column cannot fill.
const std::set<std::string> reserved_keys = {"format", "sla", "checklist", "history", "source_key", "watchers"};

std::string column_name(std::string_view header) {
  std::string n = lower(trim(header));
  std::replace(n.begin(), n.end(), ' ', '_');
  return n;
}

bool is_extra_key(std::string_view k) {
  return !k.empty() && k[0] >= 'a' && k[0] <= 'z' && std::all_of(k.begin(), k.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

// Column index -> field ("" = skipped), from the header and --map.
std::vector<std::string> map_columns(const std::vector<std::string>& header, const ImportOptions& opt,
                                     std::vector<std::string>& notes) {
  std::vector<std::string> field(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    std::string n = column_name(header[i]);
    if (std::find(csv_fields.begin(), csv_fields.end(), n) != csv_fields.end()) field[i] = n;
  }
  for (const auto& column_target : opt.map) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string& col = column_target.first;
    const std::string& target = column_target.second;
    auto it = std::find_if(header.begin(), header.end(), [&](const std::string& h) { return trim(h) == trim(col); });
    if (it == header.end())
      it = std::find_if(header.begin(), header.end(), [&](const std::string& h) { return lower(trim(h)) == lower(trim(col)); });
    if (it == header.end()) {
      std::vector<std::string> names;
      for (const auto& h : header) names.push_back("'" + strip_controls(h) + "'");
      throw Error(ErrorKind::usage, fmt::format("--map: the CSV has no column '{}'", strip_controls(col)),
                  "its columns are " + join(names, ", "));
    }
    bool known = std::find(csv_fields.begin(), csv_fields.end(), target) != csv_fields.end();
    if (target != "-" && !known && (!is_extra_key(target) || reserved_keys.count(target) ||
                                    ticket_field(Ticket{}, target).has_value()))
      throw Error(ErrorKind::usage, fmt::format("--map: cannot map a column to '{}'", strip_controls(target)),
                  "map to one of " + join(csv_fields, ", ") + ", to - to skip it, or to a new lowercase key");
    field[static_cast<size_t>(it - header.begin())] = target == "-" ? "" : target;
  }
  std::map<std::string, size_t> seen;
  std::vector<std::string> skipped;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i].empty()) {
      skipped.push_back("'" + strip_controls(header[i]) + "'");
      continue;
    }
    if (auto [it, fresh] = seen.emplace(field[i], i); !fresh)
      throw Error(ErrorKind::usage,
                  fmt::format("columns '{}' and '{}' both map to {}", strip_controls(header[it->second]), strip_controls(header[i]), field[i]),
                  "skip one with --map COLUMN=-");
  }
  if (!seen.count("title"))
    throw Error(ErrorKind::usage, "no CSV column maps to the ticket title", "name it with --map COLUMN=title, e.g. --map Subject=title");
  if (!skipped.empty())
    notes.push_back(fmt::format("skipping column{} {} (map with --map COLUMN=FIELD)", skipped.size() > 1 ? "s" : "", join(skipped, ", ")));
  return field;
}

Ticket csv_ticket(const std::map<std::string, std::string>& row, const Config& cfg, const ImportOptions& opt) {
  auto get = [&](const char* k) {
    auto it = row.find(k);
    return it == row.end() ? std::string() : it->second;
  };
  Ticket t;
  t.title = get("title");
  check_title(t.title);
  t.description = get("description");
  std::string status = lower(trim(get("status")));
  t.status = status.empty() ? "new" : status;
  if (std::find(all_statuses.begin(), all_statuses.end(), t.status) == all_statuses.end())
    throw RowFail{fmt::format("unknown status '{}' (one of {})", strip_controls(get("status")), join(all_statuses, ", "))};
  std::string waiting = lower(trim(get("waiting_on")));
  if (t.status == "pending") {
    t.waiting_on = waiting.empty() ? "customer" : waiting;
    if (t.waiting_on != "customer" && t.waiting_on != "vendor")
      throw RowFail{fmt::format("waiting_on '{}' is neither customer nor vendor", strip_controls(waiting))};
  }
  t.tier = get("tier").empty() ? cfg.default_tier : get("tier");
  check([&] { cfg.require_tier(t.tier); });
  t.impact = get("impact");
  t.urgency = get("urgency");
  if (!t.impact.empty()) check([&] { cfg.require_impact(t.impact); });
  if (!t.urgency.empty()) check([&] { cfg.require_urgency(t.urgency); });
  t.priority = get("priority");
  if (t.priority.empty() && !t.impact.empty() && !t.urgency.empty()) t.priority = cfg.derive_priority(t.impact, t.urgency).value_or("");
  if (t.priority.empty()) t.priority = cfg.default_priority;
  check([&] { cfg.require_priority(t.priority); });
  t.type = get("type").empty() ? cfg.default_type : get("type");
  if (!t.type.empty()) check([&] { cfg.require_type(t.type); });
  for (const char* k : {"category", "vendor", "vendor_case", "template", "assignee", "requester"}) {
    std::string v = get(k);
    if (!v.empty()) require_name(v, k);
  }
  t.category = get("category");
  t.vendor = get("vendor");
  t.vendor_case = get("vendor_case");
  t.template_name = get("template");
  t.assignee = get("assignee");
  t.requester = get("requester").empty() ? opt.actor : get("requester");
  std::string tags = get("tags");
  std::replace(tags.begin(), tags.end(), ';', ',');
  for (const auto& raw : split(tags, ',')) {
    std::string tag = trim(raw);
    if (tag.empty()) continue;
    require_name(tag, "tag");
    if (std::find(t.tags.begin(), t.tags.end(), tag) == t.tags.end()) t.tags.push_back(tag);
  }
  auto time_of = [&](const char* k) -> std::optional<Timestamp> {
    std::string v = trim(get(k));
    if (v.empty()) return std::nullopt;
    auto ts = parse_time(v);
    if (!ts) throw RowFail{fmt::format("{} '{}' is not a time such as 2026-11-22T09:00:00Z", k, strip_controls(v))};
    return ts;
  };
  t.created = time_of("created").value_or(opt.now);
  Timestamp changed = std::max(t.created, time_of("updated").value_or(t.created));
  t.resolution = get("resolution");
  if (std::string c = trim(get("csat")); !c.empty()) {
    if (c.size() != 1 || c[0] < '1' || c[0] > '5') throw RowFail{fmt::format("csat '{}' is not a number from 1 to 5", strip_controls(c))};
    t.csat = c[0] - '0';
  }
  for (const auto& [k, v] : row)
    if (std::find(csv_fields.begin(), csv_fields.end(), k) == csv_fields.end()) t.extra.insert_or_assign(k, v);
  if (std::string key = get("key"); !key.empty()) t.extra.insert_or_assign("source_key", key);
  t.sla = policy_for(cfg, t.priority);

  HistoryEntry created = make_entry(t.created, t.requester, "create");
  created.status = t.status == "new" ? "new" : "open";
  created.to = t.tier;
  t.history.push_back(std::move(created));
  if (t.status == "pending") {
    HistoryEntry e = make_entry(changed, opt.actor, "wait");
    e.status = "pending";
    e.on = t.waiting_on;
    t.history.push_back(std::move(e));
  } else if (t.status == "resolved" || t.status == "closed") {
    HistoryEntry e = make_entry(changed, opt.actor, "resolve");
    e.status = "resolved";
    e.text = t.resolution;
    t.history.push_back(std::move(e));
    if (t.status == "closed") {
      HistoryEntry c = make_entry(changed, opt.actor, "close");
      c.status = "closed";
      c.csat = t.csat;
      t.history.push_back(std::move(c));
    }
  }
  return t;
}

ImportSource import_csv(std::string_view text, const Config& cfg, const ImportOptions& opt) {
  ImportSource src;
  auto records = parse_csv(text, src.errors);
  if (records.empty()) {
    if (src.errors.empty()) src.errors.push_back({1, "", "the CSV has no header row"});
    return src;
  }
  const auto& header = records.front().fields;
  auto field = map_columns(header, opt, src.notes);
  // desk's own export (its header row, exactly): every cell that starts with ' had one put
  // there by csv_export_cell, against formula injection, and gets it back off.
  if (is_desk_csv_header(header))
    for (size_t r = 1; r < records.size(); ++r)
      for (auto& f : records[r].fields)
        if (!f.empty() && f[0] == '\'') f.erase(0, 1);
  std::map<std::string, size_t> seen_ids;  // id -> line
  std::map<std::string, int> seen_rows;    // row content -> occurrences, for key-less rows
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    try {
      if (rec.fields.size() != header.size())
        throw RowFail{fmt::format("the row has {} fields, the header {}", rec.fields.size(), header.size())};
      // A ticket file is UTF-8 (toml++ refuses anything else): a spreadsheet's Latin-1 would make one desk cannot read.
      for (const auto& f : rec.fields)
        if (!is_valid_utf8(f)) throw RowFail{"the row is not valid UTF-8; convert the file first, for example: iconv -f latin1 -t utf-8 FILE"};
      std::map<std::string, std::string> row;
      std::string content;
      for (size_t i = 0; i < field.size(); ++i) {
        if (field[i].empty()) continue;
        row[field[i]] = rec.fields[i];
        content += field[i] + '\x1f' + rec.fields[i] + '\x1e';
      }
      Ticket t = csv_ticket(row, cfg, opt);
      if (std::string id = trim(row["id"]); !id.empty()) {
        if (!is_ticket_id(id)) throw RowFail{fmt::format("'{}' is not a desk ticket id (map the column to key instead)", strip_controls(id))};
        t.id = id;
      } else if (std::string key = row["key"]; !key.empty()) {
        t.id = stable_ticket_id("csv:key:" + key);
      } else {
        // No key: the row's content names it; a repeated identical row is its next occurrence.
        int n = ++seen_rows[content];
        t.id = stable_ticket_id(fmt::format("csv:row:{}#{}", content, n));
      }
      if (auto [it, fresh] = seen_ids.emplace(t.id, rec.line); !fresh)
        throw RowFail{fmt::format("the same ticket as line {} (ticket {})", it->second, t.id)};
      finish_history(t);
      src.tickets.push_back(std::move(t));
    } catch (const RowFail& f) {
      src.errors.push_back({rec.line, "", f.message});
    }
  }
  return src;
}

}  // namespace

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  if (name == "json") return ImportFormat::json;
  if (name == "csv") return ImportFormat::csv;
  if (name == "github") return ImportFormat::github;
  return std::nullopt;
}

ImportFormat detect_import_format(std::string_view text, std::string_view file_name) {
  if (lower(file_name).ends_with(".csv")) return ImportFormat::csv;
  size_t i = 0;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
  if (i == text.size() || (text[i] != '[' && text[i] != '{')) return ImportFormat::csv;
  if (text[i] == '{') return ImportFormat::json;
  try {
    json j = json::parse(text);
    if (j.is_array() && !j.empty() && j[0].is_object() && j[0].contains("number")) return ImportFormat::github;
  } catch (const json::exception&) {
  }
  return ImportFormat::json;
}

const std::vector<std::string>& csv_import_fields() { return csv_fields; }

ImportSource parse_import(std::string_view text, const Config& cfg, const ImportOptions& opt) {
  if (opt.format == ImportFormat::csv) return import_csv(text, cfg, opt);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  json root = parse_json(text);
  const json* items = &root;
  int format = json_format_oldest;
  if (root.is_object()) {
    if (opt.format == ImportFormat::github) throw Error(ErrorKind::invalid, "a GitHub issues export is a JSON array", "make it with `gh issue list --json ...`");
    if (const json* f = member(root, "desk_format"); f && (!f->is_number_integer() || f->get<int64_t>() > json_format))
      throw Error(ErrorKind::invalid, fmt::format("desk_format {} is newer than this desk knows ({})", f->dump(), json_format), "upgrade desk");
    else if (f)
      format = static_cast<int>(f->get<int64_t>());
    auto it = root.find("tickets");
    if (it == root.end() || !it->is_array()) throw Error(ErrorKind::invalid, "the JSON has no \"tickets\" array", "make it with `desk export --json`");
    items = &*it;
  } else if (!root.is_array()) {
    throw Error(ErrorKind::invalid, "the JSON is neither an array nor an object with \"tickets\"", "make it with `desk export --json`");
  }
  auto lines = element_lines(text);
  ImportSource src;
  std::map<std::string, size_t> seen;  // id -> index
  for (size_t i = 0; i < items->size(); ++i) {
    const json& item = (*items)[i];
    size_t line = i < lines.size() ? lines[i] : 0;
    std::string where = fmt::format("tickets[{}]", i);
    try {
      Ticket t;
      if (opt.format == ImportFormat::github) {
        if (const json* n = item.is_object() ? member(item, "number") : nullptr; n && n->is_number_integer())
          where = fmt::format("issue #{}", n->get<int64_t>());
        else
          where = fmt::format("[{}]", i);
        t = github_ticket(item, cfg, opt);
      } else {
        t = desk_ticket(file_shape(item, format), cfg);
        check_limits(t);
      }
      if (auto [it, fresh] = seen.emplace(t.id, i); !fresh)
        throw RowFail{fmt::format("ticket {} is also element {}", t.id, it->second)};
      src.tickets.push_back(std::move(t));
    } catch (const RowFail& f) {
      src.errors.push_back({line, where, f.message});
    }
  }
  return src;
}

std::vector<CsvRecord> parse_csv(std::string_view text, std::vector<RowError>& errors) {
  std::vector<CsvRecord> out;
  size_t i = 0, line = 1;
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;  // Excel's byte order mark
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    bool bad = false;
    while (true) {
      std::string field;
      if (i < text.size() && text[i] == '"') {
        size_t start_line = line;
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          errors.push_back({start_line, "", "a quoted field is not closed"});
          return out;
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
          if (!bad) errors.push_back({line, "", "text after a closing quote (write a quote inside a quoted field as \"\")"});
          bad = true;
          while (i < text.size() && text[i] != ',' && text[i] != '\n') ++i;
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') break;
          if (text[i] == '"' && !bad) {
            errors.push_back({line, "", "a quote inside an unquoted field (quote the field and write the quote as \"\")"});
            bad = true;
          }
          field += text[i++];
        }
      }
      rec.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') {
        ++i;
        ++line;
      }
      break;
    }
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!bad && !blank) out.push_back(std::move(rec));
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool csv_needs_guard(std::string_view s) {
  return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' || s[0] == '\'');
}

std::string csv_export_cell(std::string_view s) {
  std::string text = strip_controls(s);
  if (!csv_needs_guard(text)) return csv_field(text);
  std::string out = "\"'";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool is_desk_csv_header(const std::vector<std::string>& header) { return header == csv_export_columns(); }

std::string export_json(const std::vector<Ticket>& tickets) {
  ExportStream x(false);
  std::string out = x.begin();
  for (const auto& t : tickets) out += x.ticket(t);
  return out + x.end();
}

const std::vector<std::string>& csv_export_columns() {
  static const std::vector<std::string> columns = {
      "id",       "title",    "status",    "waiting_on", "tier",        "priority", "impact",  "urgency", "type",       "category", "tags",
      "requester", "assignee", "vendor",   "vendor_case", "template",   "created",  "updated", "resolution", "csat", "description"};
  return columns;
}

std::string export_csv(const std::vector<Ticket>& tickets) {
  ExportStream x(true);
  std::string out = x.begin();
  for (const auto& t : tickets) out += x.ticket(t);
  return out + x.end();
}

void ExportStream::only(const std::set<std::string, std::less<>>* fields) {
  w_.only_keys(fields, 3);  // the document, its "tickets" array, a ticket
  columns_.clear();
  for (const auto& c : csv_export_columns())
    if (!fields || fields->contains(c) || c == "id") columns_.push_back(c);
}

std::string ExportStream::begin() {
  if (csv_) return join(columns_, ",") + "\r\n";
  w_.begin_document().key("tickets").begin_array();
  return w_.take();
}

std::string ExportStream::ticket(const Ticket& original) {
  if (csv_) {
    const auto& cols = columns_;
    std::string out;
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i) out += ',';
      out += csv_export_cell(ticket_field(original, cols[i]).value_or(""));
    }
    return out + "\r\n";
  }
  Ticket t = original;
  tag_in_place(t.extra);
  for (auto& item : t.checklist) tag_in_place(item.extra);
  if (t.sla) tag_in_place(t.sla->extra);
  for (auto& e : t.history) {
    tag_in_place(e.extra);
    for (auto& c : e.changes) tag_in_place(c.extra);
  }
  write_ticket_json(w_, t);
  return w_.take();
}

std::string ExportStream::end() {
  if (csv_) return "";
  w_.end_array().end_object();
  return w_.take();
}

std::string stable_ticket_id(std::string_view key) { return make_id(seeded_random(fnv1a(key)), ticket_id_length); }

ImportPlan plan_import(const std::vector<Ticket>& tickets,
                       const std::function<std::optional<std::string>(const std::string& path)>& read,
                       const std::function<void(size_t, size_t)>& progress) {
  ImportPlan plan;
  for (size_t i = 0; i < tickets.size(); ++i) {
    const Ticket& t = tickets[i];
    std::string path = ticket_path(t.id);
    std::string content = emit_ticket(t);
    check_file_size(path, content.size());
    auto old = read(path);
    if (!old) {
      plan.files.push_back({path, std::move(content)});
      plan.added.push_back(t.id);
    } else if (*old == content) {
      plan.unchanged.push_back(t.id);
    } else {
      plan.kept.push_back(t.id);
    }
    if (progress) progress(i + 1, tickets.size());
  }
  return plan;
}

}  // namespace desk
