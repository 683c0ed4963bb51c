#include "cli/editor_context.hpp"

#include <fmt/format.h>

#include "cli/render.hpp"
#include "cli/session.hpp"
#include "core/sla/sla.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

// One clock in words: "next update due 2026-12-07 10:00 (in 3h)", "first response met".
std::string clock_words(const ClockStatus& c, Timestamp now) {
  std::string name = c.name == "first_response" ? "first response" : c.name == "next_update" ? "next update" : c.name == "tier" ? "tier limit" : c.name;
  if (c.state == "met") return name + " met";
  if (c.state == "breached" || c.state == "over_limit") return fmt::format("{} {}, over by {}", name, c.state == "breached" ? "breached" : "over", format_business(c.overdue));
  if (c.paused) return name + " paused";
  if (c.due)
    return fmt::format("{} due {} (in {}){}", name, human_time(*c.due), format_duration(std::chrono::duration_cast<std::chrono::seconds>(*c.due - now)),
                       c.state == "at_risk" ? ", at risk" : "");
  return name + " " + c.state;
}

// The newest message the customer saw or wrote: a public reply, a reply by mail, or else the
// description the ticket was opened with.
const HistoryEntry* last_public(const Ticket& t) {
  for (auto e = t.history.rbegin(); e != t.history.rend(); ++e)
    if (e->action == "comment" && !e->internal && !e->text.empty()) return &*e;
  return nullptr;
}

}  // namespace

std::string editor_context(const Ticket& t, const Config& cfg, Timestamp now, Audience audience) {
  auto clean = [](const std::string& x) { return strip_controls_line(x); };
  std::string out = "#\n";
  out += fmt::format("# Ticket {}: {}\n", t.id, clean(t.title));
  std::string status = t.status + (t.waiting_on.empty() ? "" : " (waiting on " + t.waiting_on + ")");
  out += fmt::format("#   {}, {}, {}, {}\n", clean(status), clean(t.tier), clean(t.priority),
                     t.assignee.empty() ? std::string("unassigned") : "assignee " + clean(t.assignee));
  if (!t.requester.empty()) out += fmt::format("#   requester {}\n", clean(t.requester));
  for (const auto& c : compute_clocks(t, cfg, now))
    if (is_sla_clock(c.name)) out += "#   SLA: " + clean(clock_words(c, now)) + "\n";
  const HistoryEntry* e = last_public(t);
  std::string said = e ? e->text : t.description;
  if (!said.empty()) {
    out += "#\n";
    out += e ? fmt::format("# The last public message ({}, {} UTC):\n", clean(person(e->by)), human_time(e->at))
             : std::string("# The description:\n");
    std::vector<std::string> lines = split(strip_controls(said), '\n');
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    constexpr size_t shown = 12;
    for (size_t i = 0; i < lines.size() && i < shown; ++i) out += ("#   > " + lines[i]).substr(0, 200) + "\n";
    if (lines.size() > shown) out += fmt::format("#   > [{} more lines: desk show {}]\n", lines.size() - shown, t.id);
  }
  out += "#\n";
  std::string to = t.requester.empty() ? std::string("the customer") : clean(t.requester);
  switch (audience) {
    case Audience::customer:
      out += fmt::format("# This is a PUBLIC reply: {} reads it. For a note to the team only, use -i.\n", to);
      break;
    case Audience::team:
      out += "# Only the team reads this; the customer does not.\n";
      break;
    case Audience::resolution:
      out += fmt::format("# The customer reads the resolution: with mail set up, {} is sent it.\n", to);
      break;
  }
  return out;
}

std::function<std::string()> editor_context_for(Session& s, const std::vector<std::string>& ids, Audience audience) {
  if (ids.size() != 1 || ids.front() == "-") return {};
  return [&s, id = ids.front(), audience] {
    Desk& d = s.desk();
    Ticket t = d.head().ticket(d.resolve(id));
    return editor_context(t, d.config(), s.now(), audience);
  };
}

}  // namespace desk::cli
