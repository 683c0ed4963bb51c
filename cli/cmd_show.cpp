#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/report/json.hpp"
#include "core/store/index.hpp"
#include "core/sla/sla.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

std::string describe_entry(const HistoryEntry& e) {
  const std::string& a = e.action;
  if (a == "create") return fmt::format("created at {}", e.to) + (e.message_id.empty() ? "" : " by mail");
  if (a == "comment") return e.internal ? "internal note" : e.message_id.empty() ? "public reply" : "reply by mail";
  if (a == "mailed") return fmt::format("mailed ({})", e.to);
  if (a == "rate") return fmt::format("rated {}/5", e.csat.value_or(0));
  if (a == "merge" && !e.changes.empty()) {
    const auto& c = e.changes.front();
    return fmt::format("merge: both sides changed {}; kept '{}' (acted last), the other side had '{}'", c.field, c.to, c.from);
  }
  if (a == "escalate") {
    std::string s = fmt::format("escalated {} -> {}", e.from, e.to);
    if (!e.vendor.empty()) s += fmt::format(" (vendor {}, case {})", e.vendor, e.vendor_case);
    return s;
  }
  if (a == "deescalate") return fmt::format("de-escalated {} -> {}", e.from, e.to);
  if (a == "assign") return e.to.empty() ? "unassigned" : fmt::format("assigned to {}", e.to);
  if (a == "wait") return fmt::format("waiting on {}", e.on);
  if (a == "resume") return "resumed";
  if (a == "resolve") return "resolved";
  if (a == "close") return e.csat ? fmt::format("closed (csat {})", *e.csat) : "closed";
  if (a == "reopen") return "reopened";
  if (a == "link" || a == "unlink") {
    bool link = a == "link";
    for (const char* kind : {"related", "parent", "problem"}) {
      std::string head = std::string(kind) + "/";
      if (e.to.rfind(head, 0) != 0) continue;
      std::string other = e.to.substr(head.size());
      if (head == "related/") return fmt::format("{} {}", link ? "related to" : "no longer related to", other);
      if (head == "parent/") return fmt::format("{} {}", link ? "child of" : "no longer a child of", other);
      return fmt::format("{} {}", link ? "incident of problem" : "no longer an incident of problem", other);
    }
    bool article = e.to.rfind("kb/", 0) == 0;
    if (article) return fmt::format("{} {}", a == "link" ? "linked to" : "unlinked from", e.to);
    return a == "link" ? fmt::format("marked as duplicate of {}", e.to) : fmt::format("no longer a duplicate of {}", e.to);
  }
  if (a == "check") return fmt::format("checked step {}", e.step.value_or(0));
  if (a == "uncheck") return fmt::format("unchecked step {}", e.step.value_or(0));
  if (a == "triage" || a == "edit") {
    std::vector<std::string> parts;
    for (const auto& c : e.changes)
      parts.push_back(c.from.empty() && c.to.empty() ? c.field : fmt::format("{} {} -> {}", c.field, c.from.empty() ? "-" : c.from, c.to.empty() ? "-" : c.to));
    return (a == "triage" ? "triaged" : "edited") + (parts.empty() ? std::string() : ": " + join(parts, ", "));
  }
  return a;
}

namespace {

// One clock as four cells: name, state (coloured), when, how much of the target is used.
std::vector<std::string> clock_cells(Session& s, const ClockStatus& c, Timestamp now) {
  std::string name = c.name == "first_response" ? "first response" : c.name == "next_update" ? "next update" : c.name == "tier" ? "tier limit" : c.name;
  std::string state = c.state == "at_risk" ? "at risk" : c.state == "over_limit" ? "over limit" : c.state;
  const char* sgr = c.state == "breached" ? "31" : c.state == "over_limit" ? "35" : c.state == "at_risk" ? "33" : "32";
  std::string when;
  if (c.state == "met")
    when = fmt::format("met {}", human_time(*c.stopped_at));
  else if (c.state == "breached" || c.state == "over_limit")
    when = fmt::format("over by {}", format_business(c.overdue)) + (c.due ? fmt::format(" (due {})", human_time(*c.due)) : "");
  else if (c.paused)
    when = "paused";
  else if (c.due)
    when = fmt::format("due {} (in {})", human_time(*c.due), format_duration(std::chrono::duration_cast<std::chrono::seconds>(*c.due - now)));
  // Business time, as the target is configured ("24h" stays 24h); "in" above is wall-clock time.
  std::string detail = fmt::format("{} of {}", format_business(c.elapsed), format_business(c.target));
  if (c.paused_time.count() > 0) detail += fmt::format(", paused {}", format_business(c.paused_time));
  bool over = c.state == "breached" || c.state == "over_limit";
  if (c.paused && !over) state += ", paused";
  if (c.warning > 0 && !over && c.state != "met")
    detail += fmt::format(", past {}%", static_cast<int>(c.warning * 100 + 0.5));
  return {name, s.paint(state, sgr), when, detail};
}

// The clocks as aligned columns, each as wide as its widest cell.
std::string clock_lines(Session& s, const std::vector<ClockStatus>& clocks, Timestamp now) {
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> w(4, 0);
  for (const auto& c : clocks) {
    rows.push_back(clock_cells(s, c, now));
    for (size_t i = 0; i < 4; ++i) w[i] = std::max(w[i], display_width(rows.back()[i]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line = "  " + pad(r[0], w[0]) + "  " + pad(r[1], w[1]) + "  " + pad(r[2], w[2]) + "  " + r[3];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// What a ticket states about others and what others state about it.
struct Relations {
  std::vector<std::string> related;  // both sides, the ticket's own first
  std::vector<std::string> children, incidents;
};

Relations relations_of(const Desk& d, const Snapshot& snap, const Ticket& t) {
  Relations r;
  r.related = t.related;
  for (auto& id : tickets_linking_to(d, snap, t.id, "related"))
    if (std::find(r.related.begin(), r.related.end(), id) == r.related.end()) r.related.push_back(std::move(id));
  r.children = tickets_linking_to(d, snap, t.id, "parent");
  r.incidents = tickets_linking_to(d, snap, t.id, "problem");
  return r;
}

// A linked ticket on one line: its id, status and title, or that it cannot be read.
std::string ticket_line(const Snapshot& snap, const std::string& id) {
  try {
    Ticket o = snap.ticket(id);
    return fmt::format("{} ({}) {}", o.id, strip_controls_line(o.status), strip_controls_line(o.title));
  } catch (const Error&) {
    return strip_controls_line(id) + " (missing)";
  }
}

struct ShowOptions {
  size_t width = 0;  // the terminal's columns: texts wrap at their indent; 0: as they are
  std::optional<size_t> last;
  bool reverse = false;
};

std::string render(Session& s, const Snapshot& snap, const Ticket& t, const Relations& rel, const Config& cfg, const std::optional<Suggestions>& sg,
                   const ShowOptions& o) {
  // Fields on one line; texts keep their line breaks. Both as a terminal may show them.
  auto clean = [](const std::string& x) { return strip_controls_line(x); };
  auto body = [](const std::string& x) { return strip_controls(x); };
  auto tier_label = [&](const std::string& name) {
    auto i = cfg.tier_index(name);
    return i && !cfg.tiers[*i].title.empty() ? fmt::format("{} ({})", name, cfg.tiers[*i].title) : name;
  };
  auto prio_label = [&](const std::string& name) {
    auto i = cfg.priority_index(name);
    return i && !cfg.priorities[*i].title.empty() ? fmt::format("{} ({})", name, cfg.priorities[*i].title) : name;
  };
  std::string out = s.paint(t.id, "33") + "  " + s.paint(clean(t.title), "1") + "\n";
  std::vector<std::pair<std::string, std::string>> rows = {
      {"status", clean(t.status + (t.waiting_on.empty() ? "" : " (waiting on " + t.waiting_on + ")"))},
      {"tier", clean(tier_label(t.tier))},
      {"priority", clean(prio_label(t.priority))},
      {"impact", clean(t.impact)},
      {"urgency", clean(t.urgency)},
      {"type", clean(t.type)},
      {"category", clean(t.category)},
      {"tags", clean(join(t.tags, ", "))},
      {"requester", clean(t.requester)},
      {"watchers", clean(join(t.watchers, ", "))},
      {"assignee", clean(t.assignee)},
      {"vendor", t.vendor.empty() ? "" : clean(t.vendor) + " (case " + clean(t.vendor_case) + ")"},
      {"template", clean(t.template_name)},
      {"kb", clean(join(t.kb, ", "))},
      {"duplicate", t.duplicate_of.empty() ? "" : "of " + clean(t.duplicate_of)},
  };
  for (const auto& id : rel.related) rows.emplace_back("related", ticket_line(snap, id));
  if (!t.parent.empty()) rows.emplace_back("parent", ticket_line(snap, t.parent));
  for (const auto& id : rel.children) rows.emplace_back("child", ticket_line(snap, id));
  if (!t.problem.empty()) rows.emplace_back("problem", ticket_line(snap, t.problem));
  for (const auto& id : rel.incidents) rows.emplace_back("incident", ticket_line(snap, id));
  std::vector<std::pair<std::string, std::string>> times = {
      {"created", human_time(t.created) + " UTC"},
      {"updated", human_time(t.updated) + " UTC"},
      {"csat", t.csat ? std::to_string(*t.csat) + "/5" : ""},
  };
  rows.insert(rows.end(), times.begin(), times.end());
  for (const auto& [k, v] : rows)
    if (!v.empty()) out += fmt::format("{:<10} {}\n", k, v);
  auto clocks = compute_clocks(t, cfg, s.now());
  if (!clocks.empty()) {
    std::string head = "SLA";
    if (t.sla) head += fmt::format(" ({}, {} calendar, times in UTC)", clean(t.sla->priority), clean(t.sla->calendar));
    out += "\n" + s.paint(head, "1") + "\n" + clock_lines(s, clocks, s.now());
  }
  if (!t.description.empty()) out += "\n" + s.paint("Description", "1") + "\n" + wrap(body(t.description), o.width, 2);
  if (!t.resolution.empty()) out += "\n" + s.paint("Resolution", "1") + "\n" + wrap(body(t.resolution), o.width, 2);
  if (!t.checklist.empty()) {
    size_t done = 0;
    for (const auto& c : t.checklist) done += c.done;
    out += "\n" + s.paint(fmt::format("Checklist ({}/{} done)", done, t.checklist.size()), "1") + "\n";
    for (size_t i = 0; i < t.checklist.size(); ++i) {
      // The text wraps under itself, after "  [x] 12. ".
      std::string mark = fmt::format("  [{}] {}. ", t.checklist[i].done ? "x" : " ", i + 1);
      std::string text = wrap(clean(t.checklist[i].text), o.width, mark.size());
      out += mark + text.substr(mark.size());
    }
  }
  if (sg) {
    std::string text = render_suggestions(*sg);
    if (!text.empty()) out += "\n" + s.paint("Suggestions", "1") + "\n" + indent(text.substr(0, text.size() - 1), 2);
  }
  // History: oldest first (--reverse: newest first), the last N with --last. A public reply and
  // an internal note differ in label and colour, so a note is not taken for what the customer saw.
  size_t first = o.last && *o.last < t.history.size() ? t.history.size() - *o.last : 0;
  std::string head = "History";
  if (first > 0) head += fmt::format(" (the last {} of {}; --last 0 shows all)", t.history.size() - first, t.history.size());
  out += "\n" + s.paint(head, "1") + "\n";
  std::vector<const HistoryEntry*> shown;
  for (size_t i = first; i < t.history.size(); ++i) shown.push_back(&t.history[i]);
  if (o.reverse) std::reverse(shown.begin(), shown.end());
  std::set<std::string> mailed;
  for (const auto& e : t.history)
    if (e.action == "mailed") mailed.insert(e.to);
  for (const HistoryEntry* e : shown) {
    std::string what = clean(describe_entry(*e));
    if (e->action == "comment") what = s.paint(what, e->internal ? "1;35" : "36");
    if (e->notify && !mailed.count(e->id)) what += s.paint(" (mail queued)", "33");
    out += fmt::format("  {}  {}  {}\n", human_time(e->at), clean(person(e->by)), what);
    bool text = !e->text.empty() && e->action != "check" && e->action != "uncheck" && e->action != "merge";
    if (text) out += wrap(body(e->text), o.width, 6);
    if (!e->quoted.empty()) {  // folded: one line says it is there
      size_t lines = static_cast<size_t>(std::count(e->quoted.begin(), e->quoted.end(), '\n')) + 1;
      out += s.paint(fmt::format("      [{} quoted line{} not shown; desk show --json has them]", lines, lines == 1 ? "" : "s"), "2") + "\n";
    }
  }
  return out;
}

}  // namespace

void define_show(CLI::App& cmd, Session& s) {
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto no_suggest = std::make_shared<bool>(false), suggest = std::make_shared<bool>(false);
  cmd.add_option("ID", *id, "the ticket (a unique prefix of its id)")->required();
  cmd.add_flag("--suggest", *suggest, "look for related articles and possible duplicates even off a terminal (and in --json)");
  cmd.add_flag("--no-suggest", *no_suggest, "do not look for related articles and possible duplicate tickets")->excludes("--suggest");
  auto o = std::make_shared<ShowOptions>();
  auto last = std::make_shared<std::optional<size_t>>();
  cmd.add_option("--last", *last, "show only the last N history entries (0: all)")->type_name("N");
  cmd.add_flag("--reverse", o->reverse, "history newest first");
  add_json_flag(cmd, *json);
  cmd.callback([&s, id, json, no_suggest, suggest, o, last] {
    Desk& d = s.desk();
    std::string full = d.resolve(*id);
    Snapshot snap = d.head();
    Ticket t = snap.ticket(full);
    // Suggestions only help while the ticket is being worked, and a person at a terminal reads
    // them (the search reads every open ticket); scripts ask for them with --suggest.
    std::optional<Suggestions> sg;
    bool want = *suggest || (!*no_suggest && !*json && s.env().stdout_tty);
    if (want && is_active_status(t.status)) sg = suggestions_at(d, snap, t);
    Relations rel = relations_of(d, snap, t);
    if (*json) {
      JsonWriter w = s.json();
      w.begin_document();
      write_ticket_fields(w, t);
      // Both sides of every relation: what the ticket states and what others state about it.
      w.key("relations").begin_object();
      auto ids = [&](const char* k, const std::vector<std::string>& v) {
        w.key(k).begin_array();
        for (const auto& x : v) w.value(x);
        w.end_array();
      };
      ids("related", rel.related);
      w.field("parent", t.parent);
      ids("children", rel.children);
      w.field("problem", t.problem);
      ids("incidents", rel.incidents);
      w.end_object();
      w.key("clocks");
      write_clocks_json(w, compute_clocks(t, d.config(), s.now()));
      if (sg) {
        w.key("suggestions");
        write_suggestions_json(w, *sg);
      }
      w.end_object();
      s.out() << w.str();
      return;
    }
    ShowOptions opts = *o;
    if (*last && **last > 0) opts.last = **last;
    opts.width = s.env().stdout_tty ? static_cast<size_t>(s.env().columns) : 0;
    s.page(render(s, snap, t, rel, d.config(), sg, opts));
  });
}

}  // namespace desk::cli
