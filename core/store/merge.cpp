#include "core/store/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/util/text.hpp"
#include "core/model/toml_writer.hpp"

namespace desk {

namespace {

// The newest history entry a side has that the base does not: which side acted last.
Timestamp last_own_entry(const Ticket& side, const std::set<std::string>& base_ids) {
  Timestamp latest{};
  for (const auto& e : side.history)
    if (!base_ids.count(e.id)) latest = std::max(latest, e.at);
  return latest;
}

// A stable 64-bit FNV-1a hash, for deterministic merge entry ids.
uint64_t fnv(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// One history entry's canonical text, for deterministic choices between versions of it.
std::string emit_entry(const HistoryEntry& e) {
  Ticket t;
  t.history.push_back(e);
  return emit_ticket(t);
}

std::string emit_table(const toml::table& t) {
  std::string out;
  toml_emit_table_body(out, t, "");
  return out;
}

struct Merger {
  Timestamp ours_last, theirs_last;
  std::vector<FieldChange> conflicts;

  // Three-way merge of one value with a text form for comparisons.
  template <typename T, typename Text>
  T pick(const std::string& field, const T* base, const T& ours, const T& theirs, Text text) {
    std::string o = text(ours), t = text(theirs);
    if (o == t) return ours;
    if (base) {
      std::string b = text(*base);
      if (o == b) return theirs;
      if (t == b) return ours;
    }
    bool ours_wins = ours_last != theirs_last ? ours_last > theirs_last : o > t;
    conflicts.push_back({field, ours_wins ? t : o, ours_wins ? o : t});
    return ours_wins ? ours : theirs;
  }

  std::string str(const std::string& field, const std::string* base, const std::string& ours, const std::string& theirs) {
    return pick(field, base, ours, theirs, [](const std::string& s) { return s; });
  }
};

// Keys desk does not know, key by key: each key takes the side that changed it; `where` prefixes
// the field names conflicts record ("extra.", "checklist[2].extra.").
toml::table merge_extra(Merger& m, const std::string& where, const toml::table* base, const toml::table& ours,
                        const toml::table& theirs) {
  std::set<std::string> keys;
  for (const toml::table* s : {&ours, &theirs}) for (auto&& [k, v] : *s) keys.insert(std::string(k.str()));
  if (base) for (auto&& [k, v] : *base) keys.insert(std::string(k.str()));
  toml::table extra;
  for (const auto& k : keys) {
    auto text_of = [&](const toml::table* s) -> std::string {
      if (!s) return "";
      const toml::node* n = s->get(k);
      if (!n) return "";
      toml::table one;
      one.insert(k, *n);
      return emit_table(one);
    };
    std::string bt = text_of(base), ot = text_of(&ours), tt = text_of(&theirs);
    const toml::table* winner = m.pick(where + k, base ? &bt : nullptr, ot, tt, [](const std::string& s) { return s; }) == ot ? &ours : &theirs;
    if (const toml::node* n = winner->get(k)) extra.insert(k, *n);
  }
  return extra;
}

// The whole recorded policy, its unknown keys included (a change to one of them is a change).
std::string sla_text(const std::optional<SlaPolicy>& p) {
  if (!p) return "";
  auto d = [](const std::optional<std::chrono::seconds>& x) { return x ? format_duration_exact(*x) : std::string("-"); };
  return fmt::format("{} {} {} {} {}\n{}", p->priority, p->calendar, d(p->first_response), d(p->next_update), d(p->resolution),
                     emit_table(p->extra));
}

std::string checklist_text(const std::vector<ChecklistItem>& items) {
  std::string s;
  for (const auto& i : items) s += (i.done ? "[x] " : "[ ] ") + i.text + "\n" + emit_table(i.extra);
  return s;
}

// A set-valued field (tags, kb links): the base's values minus what either side removed, plus
// what either side added. Base order first, then additions sorted, so the order does not depend
// on which side is ours.
std::vector<std::string> merge_set(const std::vector<std::string>* base, const std::vector<std::string>& ours,
                                   const std::vector<std::string>& theirs) {
  // One side changed nothing (or both made the same change): the other side's list as it is,
  // in its order, like any field changed on one side.
  if (ours == theirs || (base && theirs == *base)) return ours;
  if (base && ours == *base) return theirs;
  std::set<std::string> base_set = base ? std::set<std::string>(base->begin(), base->end()) : std::set<std::string>{};
  std::set<std::string> o(ours.begin(), ours.end()), t(theirs.begin(), theirs.end());
  std::vector<std::string> out;
  if (base)
    for (const auto& v : *base) {
      bool removed = !o.count(v) || !t.count(v);
      if (!removed && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
  std::set<std::string> added;
  for (const auto& v : o)
    if (!base_set.count(v)) added.insert(v);
  for (const auto& v : t)
    if (!base_set.count(v)) added.insert(v);
  for (const auto& v : added) out.push_back(v);
  return out;
}

}  // namespace

MergeOutcome merge_tickets(const std::optional<Ticket>& base, const Ticket& ours, const Ticket& theirs) {
  std::set<std::string> base_ids;
  if (base)
    for (const auto& e : base->history) base_ids.insert(e.id);
  Merger m{last_own_entry(ours, base_ids), last_own_entry(theirs, base_ids), {}};
  const Ticket* b = base ? &*base : nullptr;
  Ticket out = ours;

#define DESK_MERGE_STR(field) out.field = m.str(#field, b ? &b->field : nullptr, ours.field, theirs.field)
  DESK_MERGE_STR(title);
  DESK_MERGE_STR(status);
  DESK_MERGE_STR(tier);
  DESK_MERGE_STR(priority);
  DESK_MERGE_STR(impact);
  DESK_MERGE_STR(urgency);
  DESK_MERGE_STR(type);
  DESK_MERGE_STR(category);
  DESK_MERGE_STR(requester);
  DESK_MERGE_STR(assignee);
  DESK_MERGE_STR(vendor);
  DESK_MERGE_STR(vendor_case);
  DESK_MERGE_STR(template_name);
  DESK_MERGE_STR(duplicate_of);
  DESK_MERGE_STR(parent);
  DESK_MERGE_STR(problem);
  DESK_MERGE_STR(description);
#undef DESK_MERGE_STR
  out.format = std::max(ours.format, theirs.format);
  out.created = std::min(ours.created, theirs.created);
  out.updated = std::max(ours.updated, theirs.updated);
  auto csat_text = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
  // The lifecycle fields follow the status: when both sides changed the status (one closed with
  // a rating while the other reopened, say), resolution, csat and waiting_on come from the side
  // whose status won, as if its action came last; the other side's differing values are recorded
  // like any losing value, so nothing is lost.
  bool status_clash = ours.status != theirs.status && (!b || (ours.status != b->status && theirs.status != b->status));
  if (status_clash) {
    const Ticket& win = out.status == ours.status ? ours : theirs;
    const Ticket& lose = &win == &ours ? theirs : ours;
    out.waiting_on = win.waiting_on;
    out.resolution = win.resolution;
    out.csat = win.csat;
    if (lose.waiting_on != win.waiting_on) m.conflicts.push_back({"waiting_on", lose.waiting_on, win.waiting_on});
    if (lose.resolution != win.resolution) m.conflicts.push_back({"resolution", lose.resolution, win.resolution});
    if (lose.csat != win.csat) m.conflicts.push_back({"csat", csat_text(lose.csat), csat_text(win.csat)});
  } else {
    out.waiting_on = m.str("waiting_on", b ? &b->waiting_on : nullptr, ours.waiting_on, theirs.waiting_on);
    out.resolution = m.str("resolution", b ? &b->resolution : nullptr, ours.resolution, theirs.resolution);
    out.csat = m.pick("csat", b ? &b->csat : nullptr, ours.csat, theirs.csat, csat_text);
  }
  // The recorded SLA policy follows the priority: when both sides changed it, take the policy of
  // the side whose priority won (it is a consequence of the priority, not a conflict of its own).
  {
    std::string bs = b ? sla_text(b->sla) : "", os = sla_text(ours.sla), ts = sla_text(theirs.sla);
    if (os == ts || (b && ts == bs)) out.sla = ours.sla;
    else if (b && os == bs) out.sla = theirs.sla;
    else if (out.priority == ours.priority && out.priority != theirs.priority) out.sla = ours.sla;
    else if (out.priority == theirs.priority && out.priority != ours.priority) out.sla = theirs.sla;
    else out.sla = m.pick("sla", b ? &b->sla : nullptr, ours.sla, theirs.sla, sla_text);
  }

  // Tags and knowledge-base links as sets.
  out.tags = merge_set(b ? &b->tags : nullptr, ours.tags, theirs.tags);
  out.kb = merge_set(b ? &b->kb : nullptr, ours.kb, theirs.kb);
  out.watchers = merge_set(b ? &b->watchers : nullptr, ours.watchers, theirs.watchers);
  out.related = merge_set(b ? &b->related : nullptr, ours.related, theirs.related);

  // Checklist: item by item when both sides kept the same steps, else as a whole.
  if (ours.checklist.size() == theirs.checklist.size() && (!b || b->checklist.size() == ours.checklist.size())) {
    for (size_t i = 0; i < out.checklist.size(); ++i) {
      const ChecklistItem* bi = b ? &b->checklist[i] : nullptr;
      out.checklist[i].done = m.pick(fmt::format("checklist[{}].done", i + 1), bi ? &bi->done : nullptr, ours.checklist[i].done,
                                     theirs.checklist[i].done, [](bool v) { return std::string(v ? "true" : "false"); });
      out.checklist[i].required = ours.checklist[i].required || theirs.checklist[i].required;
      out.checklist[i].text = m.str(fmt::format("checklist[{}].text", i + 1), bi ? &bi->text : nullptr, ours.checklist[i].text,
                                    theirs.checklist[i].text);
      out.checklist[i].extra = merge_extra(m, fmt::format("checklist[{}].", i + 1), bi ? &bi->extra : nullptr,
                                           ours.checklist[i].extra, theirs.checklist[i].extra);
    }
  } else {
    out.checklist = m.pick("checklist", b ? &b->checklist : nullptr, ours.checklist, theirs.checklist, checklist_text);
  }

  // Unknown keys, key by key.
  out.extra = merge_extra(m, "extra.", b ? &b->extra : nullptr, ours.extra, theirs.extra);

  // History: the union by id. Each side's own order is kept (entries made in the same second
  // stay in sequence); between the sides, the earlier entry goes first, merge entries after the
  // actions they settle, then by id. Every choice depends only on the entries, never on which
  // side is ours.
  auto key_less = [](const HistoryEntry& x, const HistoryEntry& y) {
    if (x.at != y.at) return x.at < y.at;
    bool xm = x.action == "merge", ym = y.action == "merge";
    if (xm != ym) return ym;
    return x.id < y.id;
  };
  // The same id with different content (two clones' records of one conflict): keep one, chosen
  // by time, then by content.
  std::map<std::string, HistoryEntry> chosen;
  for (const Ticket* side : {&ours, &theirs})
    for (const auto& e : side->history) {
      auto [it, fresh] = chosen.emplace(e.id, e);
      if (fresh) continue;
      const HistoryEntry& have = it->second;
      if (e.at > have.at || (e.at == have.at && emit_entry(e) > emit_entry(have))) it->second = e;
    }
  std::vector<HistoryEntry> history;
  std::set<std::string> emitted;
  size_t i = 0, j = 0;
  const auto& a = ours.history;
  const auto& c = theirs.history;
  while (i < a.size() || j < c.size()) {
    while (i < a.size() && emitted.count(a[i].id)) ++i;
    while (j < c.size() && emitted.count(c[j].id)) ++j;
    if (i >= a.size() && j >= c.size()) break;
    const HistoryEntry* next;
    if (i >= a.size()) next = &c[j];
    else if (j >= c.size()) next = &a[i];
    else if (a[i].id == c[j].id) next = &a[i];
    else next = key_less(c[j], a[i]) ? &c[j] : &a[i];
    emitted.insert(next->id);
    history.push_back(chosen.at(next->id));
  }
  // One merge entry per field both sides changed. Its id hashes the ticket, the field and the
  // two values in sorted order, not the winner, so two clones (or both lines of a criss-cross
  // merge) that met the same conflict record it under one id.
  Timestamp merge_at = std::max(m.ours_last, m.theirs_last);
  std::vector<HistoryEntry> merges;
  for (const auto& conflict : m.conflicts) {
    HistoryEntry e;
    std::string lo = std::min(conflict.from, conflict.to), hi = std::max(conflict.from, conflict.to);
    uint64_t h = fnv(ours.id + "\n" + conflict.field + "\n" + lo + "\n" + hi);
    static constexpr char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    for (int k = 0; k < 10; ++k, h >>= 5) e.id += alphabet[h & 31];
    if (emitted.count(e.id)) continue;
    e.at = merge_at;
    e.by = "desk merge <merge@desk.invalid>";
    e.action = "merge";
    e.changes = {conflict};
    e.text = "Both sides changed this field; the side that acted last won. The losing value is in 'from'.";
    emitted.insert(e.id);
    merges.push_back(std::move(e));
  }
  std::sort(merges.begin(), merges.end(), key_less);
  history.insert(history.end(), merges.begin(), merges.end());
  out.history = std::move(history);
  return MergeOutcome{std::move(out), std::move(m.conflicts)};
}

std::string merge_toml_by_key(const std::optional<std::string>& base, const std::string& ours, const std::string& theirs,
                              const std::string& path) {
  auto parse = [&](const std::string& text, const char* side) {
    try {
      return parse_toml(text, path);
    } catch (const toml::parse_error& e) {
      throw Error(ErrorKind::invalid, fmt::format("{} ({}):{}:{}: {}", path, side, e.source().begin.line, e.source().begin.column, e.description()));
    }
  };
  toml::table b = base && !base->empty() ? parse(*base, "base") : toml::table{};
  toml::table o = parse(ours, "ours"), t = parse(theirs, "theirs");
  auto text_of = [](const toml::table& tbl, const std::string& key) -> std::optional<std::string> {
    const toml::node* n = tbl.get(key);
    if (!n) return std::nullopt;
    toml::table one;
    one.insert(key, *n);
    return emit_table(one);
  };
  std::set<std::string> keys;
  for (const toml::table* tbl : {&b, &o, &t})
    for (auto&& [k, v] : *tbl) keys.insert(std::string(k.str()));
  toml::table out;
  std::vector<std::string> conflicts;
  for (const auto& k : keys) {
    auto bt = text_of(b, k), ot = text_of(o, k), tt = text_of(t, k);
    const toml::table* from = nullptr;
    if (ot == tt) from = &o;
    else if (ot == bt) from = &t;
    else if (tt == bt) from = &o;
    else {
      conflicts.push_back(k);
      continue;
    }
    if (const toml::node* n = from->get(k)) out.insert(k, *n);
  }
  if (!conflicts.empty())
    throw Error(ErrorKind::conflict, fmt::format("{}: both sides changed {} differently", path, join(conflicts, ", ")),
                "merge these keys by hand, then `git add` the file and commit");
  std::string result = "# merged by desk key by key\n";
  toml_emit_table_body(result, out, "");
  return result;
}

bool has_conflict_markers(const std::string& text, size_t* line_out) {
  std::istringstream in(text);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("<<<<<<<", 0) == 0 || line.rfind(">>>>>>>", 0) == 0 || line == "=======" || line.rfind("||||||| ", 0) == 0) {
      if (line_out) *line_out = n;
      return true;
    }
  }
  return false;
}

std::string merge_ticket_files(const std::optional<std::string>& base, const std::string& ours, const std::string& theirs,
                               const std::string& path) {
  std::optional<Ticket> b;
  if (base && !base->empty()) b = parse_ticket(*base, path + " (base)");
  Ticket o = parse_ticket(ours, path + " (ours)");
  Ticket t = parse_ticket(theirs, path + " (theirs)");
  if (o.id != t.id) throw Error(ErrorKind::invalid, fmt::format("{}: the two sides are different tickets ({} and {})", path, o.id, t.id));
  return emit_ticket(merge_tickets(b, o, t).ticket);
}

}  // namespace desk
