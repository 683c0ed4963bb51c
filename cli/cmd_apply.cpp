#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/model/macro.hpp"
#include "core/report/json.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

// What a macro's text becomes: "reply", "note", "resolution", "hand-off" or "-".
std::string text_kind(const Macro& m) {
  if (m.reply.empty()) return "-";
  if (!m.tier.empty()) return "hand-off";
  if (!m.status.empty()) return "resolution";
  return m.internal ? "note" : "reply";
}

// The other steps, in the order apply_macro takes them: "tags +logs-requested, wait customer".
std::string steps_of(const Macro& m) {
  std::vector<std::string> parts;
  const TriageArgs& f = m.fields;
  if (f.priority) parts.push_back("priority " + *f.priority);
  if (f.impact) parts.push_back("impact " + *f.impact);
  if (f.urgency) parts.push_back("urgency " + *f.urgency);
  if (f.type) parts.push_back("type " + *f.type);
  if (f.category) parts.push_back("category " + *f.category);
  std::vector<std::string> tags;
  for (const auto& t : f.add_tags) tags.push_back("+" + t);
  for (const auto& t : f.remove_tags) tags.push_back("-" + t);
  if (!tags.empty()) parts.push_back("tags " + join(tags, " "));
  if (!m.tier.empty()) parts.push_back("escalate " + m.tier);
  if (!m.status.empty()) parts.push_back("resolve");
  if (!m.wait.empty()) parts.push_back("wait " + m.wait);
  return parts.empty() ? "-" : join(parts, ", ");
}

// The change as JSON: one ticket as every command prints it, several as the bulk commands do,
// with the macro's name and whether it was a dry run.
void print_apply_json(Session& s, const std::string& commit, const Macro& m, const std::vector<Change>& changes, bool dry_run) {
  JsonWriter w = s.json();
  std::string subject = changes.size() == 1 ? changes.front().subject : fmt::format("apply {} to {} tickets", m.name, changes.size());
  begin_change_json(w, commit, "apply", subject);
  w.key("macro").value(m.name).key("dry_run").value(dry_run);
  if (changes.size() == 1) {
    w.key("ticket");
    write_ticket_json(w, changes.front().ticket);
  } else {
    w.key("tickets").begin_array();
    for (const auto& c : changes) write_ticket_json(w, c.ticket);
    w.end_array();
  }
  w.end_object();
  s.out() << w.str();
}

// What a dry run shows of one ticket: the fields that change, then each entry the macro adds
// with its text (placeholders filled in), as desk show would list them.
std::string render_dry_run(Session& s, const Ticket& before, const Change& c, size_t width) {
  const Ticket& after = c.ticket;
  auto clean = [](const std::string& x) { return strip_controls_line(x); };
  std::string out = s.paint(after.id, "33") + "  " + s.paint(clean(after.title), "1") + "\n";
  auto status_of = [](const Ticket& t) { return t.status + (t.waiting_on.empty() ? "" : " (waiting on " + t.waiting_on + ")"); };
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> rows = {
      {"status", {status_of(before), status_of(after)}}};
  for (const char* f : {"tier", "priority", "impact", "urgency", "type", "category", "tags", "assignee"})
    rows.push_back({f, {*ticket_field(before, f), *ticket_field(after, f)}});
  for (const auto& [field, values] : rows)
    if (values.first != values.second)
      out += fmt::format("  {:<9} {} -> {}\n", field, values.first.empty() ? "-" : clean(values.first),
                         values.second.empty() ? "-" : clean(values.second));
  if (after.history.size() == before.history.size()) return out + "  nothing to change: the ticket already is as the macro leaves it\n";
  for (size_t i = before.history.size(); i < after.history.size(); ++i) {
    const HistoryEntry& e = after.history[i];
    std::string what = clean(describe_entry(e));
    if (e.action == "comment") what = s.paint(what, e.internal ? "1;35" : "36");
    out += "  + " + what + "\n";
    if (!e.text.empty()) out += wrap(strip_controls(e.text), width, 6);
  }
  return out;
}

}  // namespace

void define_apply(CLI::App& cmd, Session& s) {
  struct Options {
    std::string macro;
    std::vector<std::string> ids;
    bool dry_run = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("MACRO", o->macro, "the macro: a file .desk/macros/MACRO.toml (desk macros lists them)")->required();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  add_dry_run_flag(cmd, o->dry_run, "print what each ticket would become (the text with its placeholders filled in, the field changes); commit nothing");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    // The macro is read and checked once, before any ticket: a broken one changes nothing.
    Macro m = macro_named(d.head(), d.config(), o->macro);
    Context ctx = s.context();
    auto transition = [&](Ticket t) { return apply_macro(std::move(t), d.config(), ctx, m); };
    if (!o->dry_run) {
      auto done = s.mutate_all(o->ids, transition, fmt::format("apply {} to", m.name));
      if (!done.result.commit.empty() && m.status == "resolved") s.warn_unchecked(done.changes);
      if (o->json) print_apply_json(s, done.result.commit, m, done.changes, false);
      return;
    }
    // A dry run: the same transitions on the tickets at HEAD, all of them checked, nothing written.
    std::vector<std::string> ids = s.resolve_ids(o->ids);
    Snapshot snap = d.head();
    std::vector<Ticket> before;
    std::vector<Change> changes;
    for (const auto& id : ids) {
      before.push_back(snap.ticket(id));
      try {
        changes.push_back(transition(before.back()));
      } catch (const Error& e) {
        if (ids.size() == 1) throw;
        throw Error(e.kind(), fmt::format("{}: {}", short_id(id), e.what()), e.hint());
      }
    }
    if (o->json) {
      print_apply_json(s, "", m, changes, true);
    } else {
      size_t width = s.env().stdout_tty ? static_cast<size_t>(s.env().columns) : 0;
      std::string out;
      for (size_t i = 0; i < changes.size(); ++i) out += (i ? "\n" : "") + render_dry_run(s, before[i], changes[i], width);
      s.page(out);
    }
    s.status(fmt::format("apply {}: dry run, nothing committed ({} ticket{})", m.name, changes.size(), changes.size() == 1 ? "" : "s"));
  });
}

void define_macros(CLI::App& cmd, Session& s) {
  auto json = std::make_shared<bool>(false);
  add_json_flag(cmd, *json);
  cmd.callback([&s, json] {
    Desk& d = s.desk();
    auto [macros, problems] = all_macros(d.head(), d.config());
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls_line(p.message) << "\n";
    if (*json) {
      JsonWriter w = s.json();
      w.begin_document().key("macros").begin_array();
      for (const auto& m : macros) {
        const TriageArgs& f = m.fields;
        w.begin_object().key("name").value(m.name).field("title", m.title).field("description", m.description);
        w.field("reply", m.reply).key("internal").value(m.internal).field("wait", m.wait).field("status", m.status).field("tier", m.tier);
        w.field("priority", f.priority.value_or("")).field("impact", f.impact.value_or("")).field("urgency", f.urgency.value_or(""));
        w.field("type", f.type.value_or("")).field("category", f.category.value_or(""));
        w.key("tags").begin_array();
        for (const auto& t : f.add_tags) w.value(t);
        w.end_array().key("remove_tags").begin_array();
        for (const auto& t : f.remove_tags) w.value(t);
        w.end_array().end_object();
      }
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : macros)
      rows.push_back({strip_controls_line(m.name), text_kind(m), strip_controls_line(steps_of(m)), strip_controls_line(m.title)});
    s.page_table({{"NAME"}, {"TEXT", 60}, {"STEPS", 50}, {"TITLE", 100, 0, true, 30}}, rows);
  });
}

}  // namespace desk::cli
