// A fast reader for canonical ticket files (what emit_ticket writes), tried before toml++: a
// first index build after a clone parses every ticket, and toml++ spends most of that time
// building tables. It reads a strict subset of TOML and accepts its result only when the
// ticket re-emits to exactly the input, so it can never read a file differently than toml++:
// anything else (hand-written files, unknown keys, errors) falls through to the full parser.
#include <algorithm>
#include <cstdint>
#include <set>

#include "core/model/id.hpp"
#include "core/model/ticket.hpp"
#include "core/util/text.hpp"

namespace desk {

namespace {

struct Miss {};  // not the canonical subset: let toml++ read it

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool take(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }
  void expect(std::string_view lit) {
    if (!take(lit)) throw Miss{};
  }
  std::string_view line() {
    size_t end = s_.find('\n', pos_);
    if (end == std::string_view::npos) throw Miss{};
    std::string_view l = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return l;
  }
  std::string_view key() {
    size_t start = pos_;
    while (pos_ < s_.size() && ((s_[pos_] >= 'a' && s_[pos_] <= 'z') || s_[pos_] == '_')) ++pos_;
    if (pos_ == start) throw Miss{};
    return s_.substr(start, pos_ - start);
  }
  // A basic string "...", or with multiline a """ string whose opening is followed by a newline.
  std::string string(bool multiline_ok) {
    std::string out;
    if (multiline_ok && take("\"\"\"\n")) {
      for (;;) {
        if (done()) throw Miss{};
        if (take("\"\"\"")) return out;
        char c = s_[pos_++];
        if (c == '\\') {
          escape(out);
        } else if (c == '"') {
          throw Miss{};  // the writer escapes every quote
        } else {
          out += c;
        }
      }
    }
    expect("\"");
    for (;;) {
      if (done()) throw Miss{};
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        escape(out);
      } else if (c == '\n' || (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
        throw Miss{};
      } else {
        out += c;
      }
    }
  }
  int64_t integer() {
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    if (pos_ == start || pos_ - start > 9) throw Miss{};
    int64_t v = 0;
    for (size_t i = start; i < pos_; ++i) v = v * 10 + (s_[i] - '0');
    return v;
  }
  Timestamp time() {
    if (pos_ + 20 > s_.size()) throw Miss{};
    auto t = parse_time(s_.substr(pos_, 20));
    if (!t || s_[pos_ + 19] != 'Z') throw Miss{};
    pos_ += 20;
    return *t;
  }
  std::vector<std::string> strings() {
    std::vector<std::string> out;
    expect("[");
    if (take("]")) return out;
    for (;;) {
      out.push_back(string(false));
      if (take("]")) return out;
      expect(", ");
    }
  }
  bool boolean() {
    if (take("true")) return true;
    if (take("false")) return false;
    throw Miss{};
  }

 private:
  void escape(std::string& out) {
    if (done()) throw Miss{};
    char e = s_[pos_++];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        if (pos_ + 4 > s_.size()) throw Miss{};
        uint32_t cp = 0;
        for (int i = 0; i < 4; ++i) {
          char h = s_[pos_++];
          cp = cp * 16 + static_cast<uint32_t>(h >= '0' && h <= '9' ? h - '0' : h >= 'A' && h <= 'F' ? h - 'A' + 10 : throw Miss{});
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) throw Miss{};
        append_utf8(out, cp);
        break;
      }
      default:
        throw Miss{};
    }
  }
  std::string_view s_;
  size_t pos_ = 0;
};

void parse_body(std::string_view text, Ticket& t) {
  Reader r(text);
  enum class Section { top, sla, checklist, history } section = Section::top;
  std::set<std::string_view> seen;
  bool has_id = false, has_title = false, has_status = false, has_created = false, has_updated = false;
  while (!r.done()) {
    char c = r.peek();
    if (c == '#' || c == '\n') {
      r.line();
      continue;
    }
    if (c == '[') {
      std::string_view header = r.line();
      seen.clear();
      if (header == "[sla]" && section == Section::top && !t.sla) {
        section = Section::sla;
        t.sla.emplace();
      } else if (header == "[[checklist]]" && section != Section::history) {
        section = Section::checklist;
        t.checklist.emplace_back();
      } else if (header == "[[history]]") {
        section = Section::history;
        t.history.emplace_back();
      } else {
        throw Miss{};
      }
      continue;
    }
    std::string_view k = r.key();
    if (!seen.insert(k).second) throw Miss{};
    r.expect(" = ");
    switch (section) {
      case Section::top:
        if (k == "format") t.format = static_cast<int>(r.integer());
        else if (k == "id") t.id = r.string(true), has_id = true;
        else if (k == "title") t.title = r.string(true), has_title = true;
        else if (k == "status") t.status = r.string(true), has_status = true;
        else if (k == "waiting_on") t.waiting_on = r.string(true);
        else if (k == "tier") t.tier = r.string(true);
        else if (k == "priority") t.priority = r.string(true);
        else if (k == "impact") t.impact = r.string(true);
        else if (k == "urgency") t.urgency = r.string(true);
        else if (k == "type") t.type = r.string(true);
        else if (k == "category") t.category = r.string(true);
        else if (k == "tags") t.tags = r.strings();
        else if (k == "kb") t.kb = r.strings();
        else if (k == "watchers") t.watchers = r.strings();
        else if (k == "requester") t.requester = r.string(true);
        else if (k == "assignee") t.assignee = r.string(true);
        else if (k == "vendor") t.vendor = r.string(true);
        else if (k == "vendor_case") t.vendor_case = r.string(true);
        else if (k == "template") t.template_name = r.string(true);
        else if (k == "created") t.created = r.time(), has_created = true;
        else if (k == "updated") t.updated = r.time(), has_updated = true;
        else if (k == "resolution") t.resolution = r.string(true);
        else if (k == "duplicate_of") t.duplicate_of = r.string(true);
        else if (k == "related") t.related = r.strings();
        else if (k == "parent") t.parent = r.string(true);
        else if (k == "problem") t.problem = r.string(true);
        else if (k == "csat") t.csat = static_cast<int>(r.integer());
        else if (k == "description") t.description = r.string(true);
        else throw Miss{};
        break;
      case Section::sla: {
        SlaPolicy& p = *t.sla;
        auto dur = [&]() {
          auto d = parse_duration(r.string(true));
          if (!d) throw Miss{};
          return d;
        };
        if (k == "priority") p.priority = r.string(true);
        else if (k == "calendar") p.calendar = r.string(true);
        else if (k == "first_response") p.first_response = dur();
        else if (k == "next_update") p.next_update = dur();
        else if (k == "resolution") p.resolution = dur();
        else throw Miss{};
        break;
      }
      case Section::checklist: {
        ChecklistItem& item = t.checklist.back();
        if (k == "text") item.text = r.string(true);
        else if (k == "done") item.done = r.boolean();
        else if (k == "required") item.required = r.boolean();
        else throw Miss{};
        break;
      }
      case Section::history: {
        HistoryEntry& e = t.history.back();
        if (k == "id") e.id = r.string(true);
        else if (k == "at") e.at = r.time();
        else if (k == "by") e.by = r.string(true);
        else if (k == "action") e.action = r.string(true);
        else if (k == "from") e.from = r.string(true);
        else if (k == "to") e.to = r.string(true);
        else if (k == "status") e.status = r.string(true);
        else if (k == "on") e.on = r.string(true);
        else if (k == "vendor") e.vendor = r.string(true);
        else if (k == "case") e.vendor_case = r.string(true);
        else if (k == "internal") e.internal = r.boolean();
        else if (k == "notify") e.notify = r.boolean();
        else if (k == "message_id") e.message_id = r.string(true);
        else if (k == "clock") e.clock = r.string(true);
        else if (k == "due") e.due = r.time();
        else if (k == "step") e.step = static_cast<int>(r.integer());
        else if (k == "csat") e.csat = static_cast<int>(r.integer());
        else if (k == "text") e.text = r.string(true);
        else if (k == "quoted") e.quoted = r.string(true);
        else if (k == "changes") {
          r.expect("[");
          for (;;) {
            FieldChange fc;
            r.expect("{ field = ");
            fc.field = r.string(false);
            r.expect(", from = ");
            fc.from = r.string(false);
            r.expect(", to = ");
            fc.to = r.string(false);
            r.expect(" }");
            e.changes.push_back(std::move(fc));
            if (r.take("]")) break;
            r.expect(", ");
          }
        } else {
          throw Miss{};
        }
        break;
      }
    }
    r.expect("\n");
  }
  // What parse_ticket requires and checks; anything else is its to report.
  if (!has_id || !has_title || !has_status || !has_created || !has_updated) throw Miss{};
  if (t.format < 1 || t.format > ticket_format || !is_ticket_id(t.id)) throw Miss{};
  if (std::find(all_statuses.begin(), all_statuses.end(), t.status) == all_statuses.end()) throw Miss{};
  if (t.csat && (*t.csat < 1 || *t.csat > 5)) throw Miss{};
}

}  // namespace

std::optional<Ticket> parse_canonical_ticket(std::string_view text) {
  // toml++ refuses a file that is not UTF-8 (the writer passes bytes through); so must this.
  if (!is_valid_utf8(text)) return std::nullopt;
  Ticket t;
  try {
    parse_body(text, t);
  } catch (const Miss&) {
    return std::nullopt;
  }
  // The proof: only a file this reader understood completely re-emits to itself.
  if (emit_ticket(t) != text) return std::nullopt;
  return t;
}

}  // namespace desk
