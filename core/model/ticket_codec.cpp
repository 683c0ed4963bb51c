#include "core/model/ticket_codec.hpp"

#include <cstdint>

#include "core/util/error.hpp"

namespace desk {

namespace {

class Out {
 public:
  void u(uint64_t v) {
    while (v >= 0x80) {
      s_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    s_.push_back(static_cast<char>(v));
  }
  void i(int64_t v) { u((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void str(const std::string& v) {
    u(v.size());
    s_ += v;
  }
  void time(Timestamp t) { i(t.time_since_epoch().count()); }
  void opt_time(const std::optional<Timestamp>& t) {
    u(t ? 1 : 0);
    if (t) time(*t);
  }
  void opt_int(const std::optional<int>& v) {
    u(v ? 1 : 0);
    if (v) i(*v);
  }
  void opt_secs(const std::optional<std::chrono::seconds>& v) {
    u(v ? 1 : 0);
    if (v) i(v->count());
  }
  void strs(const std::vector<std::string>& v) {
    u(v.size());
    for (const auto& x : v) str(x);
  }
  std::string take() { return std::move(s_); }

 private:
  std::string s_;
};

class In {
 public:
  explicit In(std::string_view s) : s_(s) {}
  uint64_t u() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= s_.size()) bad();
      auto b = static_cast<unsigned char>(s_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad();
  }
  int64_t i() {
    uint64_t v = u();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  std::string str() {
    uint64_t n = u();
    if (n > s_.size() - pos_) bad();
    std::string v(s_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  // Skips a string (a text the reader does not want).
  std::string text(bool want) {
    if (want) return str();
    uint64_t n = u();
    if (n > s_.size() - pos_) bad();
    pos_ += n;
    return {};
  }
  Timestamp time() { return Timestamp{std::chrono::seconds{i()}}; }
  std::optional<Timestamp> opt_time() { return u() ? std::optional(time()) : std::nullopt; }
  std::optional<int> opt_int() { return u() ? std::optional(static_cast<int>(i())) : std::nullopt; }
  std::optional<std::chrono::seconds> opt_secs() { return u() ? std::optional(std::chrono::seconds{i()}) : std::nullopt; }
  std::vector<std::string> strs() {
    uint64_t n = count();
    std::vector<std::string> v;
    v.reserve(n);
    for (uint64_t k = 0; k < n; ++k) v.push_back(str());
    return v;
  }
  // A element count, bounded by the bytes left (every element takes at least one).
  uint64_t count() {
    uint64_t n = u();
    if (n > s_.size() - pos_) bad();
    return n;
  }
  bool done() const { return pos_ == s_.size(); }
  [[noreturn]] static void bad() { throw Error(ErrorKind::invalid, "the index holds a damaged ticket record"); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

constexpr uint64_t magic = 0x4b534544;  // "DESK"

}  // namespace

std::optional<std::string> encode_ticket(const Ticket& t) {
  if (!t.extra.empty()) return std::nullopt;
  if (t.sla && !t.sla->extra.empty()) return std::nullopt;
  for (const auto& c : t.checklist)
    if (!c.extra.empty()) return std::nullopt;
  for (const auto& e : t.history) {
    if (!e.extra.empty()) return std::nullopt;
    for (const auto& c : e.changes)
      if (!c.extra.empty()) return std::nullopt;
  }
  Out o;
  o.u(magic);
  o.u(static_cast<uint64_t>(ticket_codec_version));
  o.i(t.format);
  for (const std::string* s : {&t.id, &t.title, &t.status, &t.waiting_on, &t.tier, &t.priority, &t.impact, &t.urgency, &t.type,
                               &t.category})
    o.str(*s);
  o.strs(t.tags);
  o.strs(t.kb);
  o.strs(t.watchers);
  for (const std::string* s : {&t.requester, &t.assignee, &t.vendor, &t.vendor_case, &t.template_name}) o.str(*s);
  o.time(t.created);
  o.time(t.updated);
  o.str(t.resolution);
  o.str(t.duplicate_of);
  o.strs(t.related);
  o.str(t.parent);
  o.str(t.problem);
  o.opt_int(t.csat);
  o.str(t.description);
  o.u(t.sla ? 1 : 0);
  if (t.sla) {
    o.str(t.sla->priority);
    o.str(t.sla->calendar);
    o.opt_secs(t.sla->first_response);
    o.opt_secs(t.sla->next_update);
    o.opt_secs(t.sla->resolution);
  }
  o.u(t.checklist.size());
  for (const auto& c : t.checklist) {
    o.str(c.text);
    o.u((c.done ? 1 : 0) | (c.required ? 2 : 0));
  }
  o.u(t.history.size());
  for (const auto& e : t.history) {
    o.str(e.id);
    o.time(e.at);
    for (const std::string* s : {&e.by, &e.action, &e.from, &e.to, &e.status, &e.on, &e.vendor, &e.vendor_case}) o.str(*s);
    o.u((e.internal ? 1 : 0) | (e.notify ? 2 : 0));
    o.str(e.message_id);
    o.str(e.clock);
    o.opt_time(e.due);
    o.u(e.changes.size());
    for (const auto& c : e.changes) {
      o.str(c.field);
      o.str(c.from);
      o.str(c.to);
    }
    o.opt_int(e.step);
    o.opt_int(e.csat);
    o.str(e.text);
    o.str(e.quoted);
  }
  return o.take();
}

Ticket decode_ticket(std::string_view data, bool texts) {
  In in(data);
  if (in.u() != magic || in.u() != static_cast<uint64_t>(ticket_codec_version)) In::bad();
  Ticket t;
  t.format = static_cast<int>(in.i());
  for (std::string* s : {&t.id, &t.title, &t.status, &t.waiting_on, &t.tier, &t.priority, &t.impact, &t.urgency, &t.type, &t.category})
    *s = in.str();
  t.tags = in.strs();
  t.kb = in.strs();
  t.watchers = in.strs();
  for (std::string* s : {&t.requester, &t.assignee, &t.vendor, &t.vendor_case, &t.template_name}) *s = in.str();
  t.created = in.time();
  t.updated = in.time();
  t.resolution = in.text(texts);
  t.duplicate_of = in.str();
  t.related = in.strs();
  t.parent = in.str();
  t.problem = in.str();
  t.csat = in.opt_int();
  t.description = in.text(texts);
  if (in.u()) {
    SlaPolicy p;
    p.priority = in.str();
    p.calendar = in.str();
    p.first_response = in.opt_secs();
    p.next_update = in.opt_secs();
    p.resolution = in.opt_secs();
    t.sla = std::move(p);
  }
  uint64_t n = in.count();
  t.checklist.reserve(n);
  for (uint64_t k = 0; k < n; ++k) {
    ChecklistItem c;
    c.text = in.str();
    uint64_t flags = in.u();
    c.done = (flags & 1) != 0;
    c.required = (flags & 2) != 0;
    t.checklist.push_back(std::move(c));
  }
  n = in.count();
  t.history.reserve(n);
  for (uint64_t k = 0; k < n; ++k) {
    HistoryEntry e;
    e.id = in.str();
    e.at = in.time();
    for (std::string* s : {&e.by, &e.action, &e.from, &e.to, &e.status, &e.on, &e.vendor, &e.vendor_case}) *s = in.str();
    uint64_t flags = in.u();
    e.internal = (flags & 1) != 0;
    e.notify = (flags & 2) != 0;
    e.message_id = in.str();
    e.clock = in.str();
    e.due = in.opt_time();
    uint64_t nc = in.count();
    for (uint64_t c = 0; c < nc; ++c) {
      FieldChange fc;
      fc.field = in.str();
      fc.from = in.str();
      fc.to = in.str();
      e.changes.push_back(std::move(fc));
    }
    e.step = in.opt_int();
    e.csat = in.opt_int();
    e.text = in.text(texts);
    e.quoted = in.text(texts);
    t.history.push_back(std::move(e));
  }
  if (!in.done()) In::bad();
  return t;
}

}  // namespace desk
