#include "core/report/json.hpp"

#include "core/util/person.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <sstream>

namespace desk {

std::string json_quote(std::string_view raw) {
  // Git authors and messages can hold any bytes; JSON must be valid UTF-8.
  std::string repaired = repair_utf8(raw);
  std::string_view s = repaired;
  std::string out = "\"";
  out.reserve(s.size() + 2);
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      continue;
    }
    // C1 controls (U+0080..U+009F) and the bidirectional controls are escaped too: the data
    // stays the same, and JSON printed on a terminal cannot act on it or reorder it.
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(s[i + 1])));
      ++i;
      continue;
    }
    if ((c == 0xE2 || c == 0xD8) && i + 1 < s.size()) {
      char32_t cp = 0;
      size_t n = c == 0xE2 ? 3 : 2;
      if (i + n <= s.size()) {
        cp = c == 0xE2 ? ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 2]) & 0x3Fu)
                       : ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
        if (is_bidi_control(cp)) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
          i += n - 1;
          continue;
        }
      }
    }
    out += s[i];
  }
  return out + "\"";
}

bool JsonWriter::skipping() {
  if (skip_ == 1) {  // the left-out value is a scalar: this is it
    skip_ = 0;
    return true;
  }
  return skip_ > 1;
}

JsonWriter& JsonWriter::begin_document() {
  return begin_object().key("desk_format").value(format_);
}

JsonWriter& JsonWriter::person(std::string_view p) {
  if (format_ < 2) return value(p);
  if (p.empty()) return null();
  PersonParts parts = split_person(p);
  begin_object().key("name");
  if (parts.name.empty()) null(); else value(parts.name);
  key("email");
  if (parts.email.empty()) null(); else value(parts.email);
  if (join_person(parts) != p) key("text").value(p);
  return end_object();
}

JsonWriter& JsonWriter::duration(std::string_view k, std::chrono::seconds d) {
  key(k).value(format_duration_exact(d));
  return key(std::string(k) + "_seconds").value(static_cast<long long>(d.count()));
}

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(first_.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  if (skip_) {
    ++skip_;
    return *this;
  }
  before_value();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  if (skip_) {
    if (--skip_ == 1) skip_ = 0;
    return *this;
  }
  bool empty = first_.back();
  first_.pop_back();
  if (!empty) newline();
  out_ += '}';
  if (first_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  if (skip_) {
    ++skip_;
    return *this;
  }
  before_value();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  if (skip_) {
    if (--skip_ == 1) skip_ = 0;
    return *this;
  }
  bool empty = first_.back();
  first_.pop_back();
  if (!empty) newline();
  out_ += ']';
  if (first_.empty()) out_ += '\n';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (skip_) return *this;
  if (only_ && first_.size() == only_depth_ && !only_->contains(k)) {
    skip_ = 1;
    return *this;
  }
  before_value();
  out_ += json_quote(k);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  if (skipping()) return *this;
  before_value();
  out_ += json_quote(s);
  return *this;
}

JsonWriter& JsonWriter::value(long long n) {
  if (skipping()) return *this;
  before_value();
  out_ += std::to_string(n);
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  if (skipping()) return *this;
  before_value();
  out_ += (d != d || d == 1.0 / 0.0 || d == -1.0 / 0.0) ? "null" : fmt::format("{}", d);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  if (skipping()) return *this;
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  if (skipping()) return *this;
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::field(std::string_view k, std::string_view v) {
  if (!v.empty()) key(k).value(v);
  return *this;
}

JsonWriter& JsonWriter::toml(const toml::node& n) {
  if (auto* s = n.as_string()) return value(s->get());
  if (auto* i = n.as_integer()) return value(static_cast<long long>(i->get()));
  if (auto* f = n.as_floating_point()) return value(f->get());
  if (auto* b = n.as_boolean()) return value(b->get());
  if (auto* a = n.as_array()) {
    begin_array();
    for (auto&& el : *a) toml(el);
    return end_array();
  }
  if (auto* t = n.as_table()) {
    begin_object();
    for (auto&& [k, v] : *t) key(k.str()).toml(v);
    return end_object();
  }
  std::ostringstream os;  // dates and times: their TOML text
  if (auto* d = n.as_date()) os << d->get();
  if (auto* tm = n.as_time()) os << tm->get();
  if (auto* dt = n.as_date_time()) os << dt->get();
  return value(os.str());
}

void write_clocks_json(JsonWriter& w, const std::vector<ClockStatus>& clocks) {
  w.begin_array();
  for (const auto& c : clocks) {
    w.begin_object().key("clock").value(c.name).key("state").value(c.state);
    w.key("running").value(c.running).key("paused").value(c.paused);
    w.key("start").value(format_time(c.start));
    if (c.due) w.key("due").value(format_time(*c.due)); else w.key("due").null();
    if (c.stopped_at) w.key("stopped_at").value(format_time(*c.stopped_at));
    w.duration("target", c.target).duration("elapsed", c.elapsed).duration("paused_time", c.paused_time).duration("overdue", c.overdue);
    w.key("warning").value(c.warning);
    w.key("calendar").value(c.calendar);
    w.end_object();
  }
  w.end_array();
}

void write_ticket_json(JsonWriter& w, const Ticket& t) {
  w.begin_object();
  write_ticket_fields(w, t);
  w.end_object();
}

void write_ticket_fields(JsonWriter& w, const Ticket& t) {
  w.key("format").value(t.format);
  w.key("id").value(t.id);
  w.key("title").value(t.title);
  w.key("status").value(t.status);
  w.field("waiting_on", t.waiting_on);
  w.field("tier", t.tier);
  w.field("priority", t.priority);
  w.field("impact", t.impact);
  w.field("urgency", t.urgency);
  w.field("type", t.type);
  w.field("category", t.category);
  w.key("tags").begin_array();
  for (const auto& tag : t.tags) w.value(tag);
  w.end_array();
  w.key("kb").begin_array();
  for (const auto& slug : t.kb) w.value(slug);
  w.end_array();
  if (!t.watchers.empty()) {
    w.key("watchers").begin_array();
    for (const auto& p : t.watchers) w.person(p);
    w.end_array();
  }
  if (w.format() >= 2) {
    w.key("requester").person(t.requester);
    w.key("assignee").person(t.assignee);
  } else {
    w.field("requester", t.requester);
    w.field("assignee", t.assignee);
  }
  w.field("vendor", t.vendor);
  w.field("vendor_case", t.vendor_case);
  w.field("template", t.template_name);
  w.key("created").value(format_time(t.created));
  w.key("updated").value(format_time(t.updated));
  w.field("resolution", t.resolution);
  w.field("duplicate_of", t.duplicate_of);
  if (!t.related.empty()) {
    w.key("related").begin_array();
    for (const auto& id : t.related) w.value(id);
    w.end_array();
  }
  w.field("parent", t.parent);
  w.field("problem", t.problem);
  if (t.csat) w.key("csat").value(*t.csat);
  w.field("description", t.description);
  for (auto&& [k, v] : t.extra) w.key(k.str()).toml(v);
  if (t.sla) {
    w.key("sla").begin_object().field("priority", t.sla->priority).field("calendar", t.sla->calendar);
    // Format 2 adds the seconds beside each target; format 1 has the strings alone, so that a
    // format 1 export reads back with no keys the file never had.
    auto target = [&w](const char* k, const std::optional<std::chrono::seconds>& d) {
      if (!d) return;
      if (w.format() >= 2) w.duration(k, *d);
      else w.key(k).value(format_duration_exact(*d));
    };
    target("first_response", t.sla->first_response);
    target("next_update", t.sla->next_update);
    target("resolution", t.sla->resolution);
    for (auto&& [k, v] : t.sla->extra) w.key(k.str()).toml(v);
    w.end_object();
  }
  w.key("checklist").begin_array();
  for (const auto& item : t.checklist) {
    w.begin_object().key("text").value(item.text).key("done").value(item.done);
    if (item.required) w.key("required").value(true);
    for (auto&& [k, v] : item.extra) w.key(k.str()).toml(v);
    w.end_object();
  }
  w.end_array();
  w.key("history").begin_array();
  for (const auto& e : t.history) {
    w.begin_object();
    w.key("id").value(e.id).key("at").value(format_time(e.at)).key("by").person(e.by).key("action").value(e.action);
    w.field("from", e.from).field("to", e.to).field("status", e.status).field("on", e.on);
    w.field("vendor", e.vendor).field("case", e.vendor_case);
    if (e.internal) w.key("internal").value(true);
    if (e.notify) w.key("notify").value(true);
    w.field("clock", e.clock);
    if (e.due) w.key("due").value(format_time(*e.due));
    w.field("message_id", e.message_id);
    if (!e.changes.empty()) {
      w.key("changes").begin_array();
      for (const auto& c : e.changes) {
        w.begin_object().key("field").value(c.field).key("from").value(c.from).key("to").value(c.to);
        for (auto&& [k, v] : c.extra) w.key(k.str()).toml(v);
        w.end_object();
      }
      w.end_array();
    }
    if (e.step) w.key("step").value(*e.step);
    if (e.csat) w.key("csat").value(*e.csat);
    w.field("text", e.text);
    w.field("quoted", e.quoted);
    for (auto&& [k, v] : e.extra) w.key(k.str()).toml(v);
    w.end_object();
  }
  w.end_array();
}

}  // namespace desk
