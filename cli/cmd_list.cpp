#include <fmt/format.h>

#include <set>

#include "cli/commands.hpp"
#include "cli/filters.hpp"
#include "cli/render.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/report/json.hpp"
#include "core/store/query.hpp"
#include "core/sla/sla.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {
struct ListOptions {
  ListFilter filter;
  FilterTimes times;
  std::vector<std::string> sort;
  size_t limit = 0;
  bool json = false;
  bool breached = false, at_risk = false;
  std::vector<std::string> clocks;  // --clock: which clocks --breached and --at-risk look at
  std::string due_within;
  std::string problem;  // --problem: the incidents of this problem
  std::vector<std::string> fields;  // --fields: the keys of each ticket in --json
};


std::string age(Timestamp from, Timestamp now) {
  return coarse_duration(std::chrono::duration_cast<std::chrono::seconds>(now - from));
}

// The SLA cell, a few columns that say which clock and how it stands: the running clock most
// late ("FR 2h late", red), else the one due soonest ("upd 22m", yellow when at risk), else a
// clock that stopped late ("res late"); then ", tier" (magenta) past the tier's time limit,
// desk's own target. Durations of a day or more in days.
std::vector<std::pair<std::string, const char*>> sla_parts(const std::vector<ClockStatus>& clocks, Timestamp now) {
  auto abbrev = [](const std::string& name) { return name == "first_response" ? "FR" : name == "next_update" ? "upd" : "res"; };
  auto span = [](auto d) {
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(d);
    return secs >= std::chrono::hours(24) ? coarse_duration(secs) : format_duration(secs);
  };
  const ClockStatus *late = nullptr, *next = nullptr, *stopped_late = nullptr;
  for (const auto& c : clocks) {
    if (!is_sla_clock(c.name)) continue;
    if (c.state == "breached" && !c.running && !stopped_late) stopped_late = &c;
    if (!c.running || !c.due) continue;
    if (c.state == "breached") {
      if (!late || *c.due < *late->due) late = &c;
    } else if (!next || *c.due < *next->due) {
      next = &c;
    }
  }
  std::vector<std::pair<std::string, const char*>> parts;
  if (late) parts.push_back({fmt::format("{} {} late", abbrev(late->name), span(now - *late->due)), "31"});
  else if (next) parts.push_back({fmt::format("{} {}", abbrev(next->name), span(*next->due - now)), next->state == "at_risk" ? "33" : nullptr});
  else if (stopped_late) parts.push_back({fmt::format("{} late", abbrev(stopped_late->name)), "31"});
  if (over_tier_limit(clocks)) parts.push_back({"tier", "35"});
  return parts;
}
}  // namespace

// Shared with desk export (declared in cli/filters.hpp); defined here, where g++ 12 compiles
// CLI11's option parsing without a false -Wnull-dereference that it raises in a file of its own.
void add_filter_options(CLI::App& cmd, ListFilter& f, FilterTimes& times) {
  cmd.add_option("-s,--status", f.statuses, "only these statuses: new, open, pending (or pending/customer, pending/vendor), resolved, closed")
      ->type_name("STATUS");
  cmd.add_option("--tier", f.tiers, "only these tiers")->type_name("TIER");
  cmd.add_option("-p,--priority", f.priorities, "only these priorities")->type_name("P");
  cmd.add_option("-a,--assignee", f.assignees, "only tickets assigned to USER (none: unassigned; me: the git identity's name, email or its local part)")->type_name("USER");
  cmd.add_option("--requester", f.requesters, "only tickets from WHO")->type_name("WHO");
  cmd.add_option("--tag", f.tags, "only tickets with every one of these tags")->type_name("TAG");
  cmd.add_option("--type", f.types, "only these types")->type_name("TYPE");
  cmd.add_option("--text", f.text, "only tickets whose title, description or history contains TEXT (any case)")->type_name("TEXT");
  cmd.add_option("--vendor", f.vendors, "only tickets escalated to these vendors")->type_name("VENDOR");
  cmd.add_option("--waiting-on", f.waiting_on, "only pending tickets waiting on: customer, vendor")->type_name("WHO");
  auto when = [&](const char* name, std::string& into, const char* what) {
    cmd.add_option(name, into, what)->type_name("WHEN");
  };
  when("--created-since", times.created_since, "only tickets created at or after WHEN: a date, 2026-11, 2026-W47, yesterday, last-week, 30d ...");
  when("--created-until", times.created_until, "only tickets created at or before WHEN (a day, week or month: its end)");
  when("--updated-since", times.updated_since, "only tickets last changed at or after WHEN");
  when("--updated-until", times.updated_until, "only tickets last changed at or before WHEN");
  when("--closed-since", times.closed_since, "only tickets resolved or closed at or after WHEN");
  when("--closed-until", times.closed_until, "only tickets resolved or closed at or before WHEN");
  cmd.add_flag("--has-csat", f.has_csat, "only tickets with a satisfaction rating");
  cmd.add_option("--no-reply-for", times.no_reply_for,
                 "only tickets whose customer has heard nothing for DURATION: no public reply (or creation) since (e.g. 4h, 2d)")
      ->type_name("DURATION");
}

void define_list(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<ListOptions>();
  auto& f = o->filter;
  add_filter_options(cmd, f, o->times);
  cmd.add_flag("--all", f.all, "include resolved and closed tickets");
  cmd.add_flag("--breached", o->breached, "only tickets with a breached SLA clock (with --clock tier: over the tier's time limit)");
  cmd.add_flag("--at-risk", o->at_risk, "only tickets with an SLA clock at risk (past the warning share of its target)");
  cmd.add_option("--clock", o->clocks, "--breached and --at-risk look at these clocks: first_response, next_update, resolution (default: the three), tier")
      ->type_name("CLOCK");
  cmd.add_option("--due-within", o->due_within, "only tickets with a running clock due within DURATION (e.g. 2h, 1d)")->type_name("DURATION");
  cmd.add_option("--sort", o->sort, "sort by KEY: id, title, status, tier, priority, created, updated, assignee, type; -KEY reverses (default: priority, created)")
      ->type_name("KEY");
  cmd.add_option("-n,--limit", o->limit, "show at most N tickets")->type_name("N");
  cmd.add_option("--problem", o->problem, "only the incidents linked to this problem")->type_name("PROBLEM");
  add_json_flag(cmd, o->json);
  cmd.add_option("--fields", o->fields, "with --json, only these keys of each ticket (a,b or repeated; id always; clocks for the SLA clocks)")
      ->type_name("KEYS");
  cmd.callback([&s, o] {
    auto known = ticket_json_keys();
    known.push_back("clocks");
    auto fields = checked_fields(o->fields, known);
    if (!fields.empty() && !o->json) throw Error(ErrorKind::usage, "--fields chooses the keys of --json", "add --json");
    Desk& d = s.desk();
    ListFilter filter = o->filter;
    filter.assignees = s.expand_me(filter.assignees);
    filter = checked_filter(filter, d.config(), o->times, s.now());
    if (!o->problem.empty()) filter.problem = d.resolve(o->problem);
    std::optional<std::chrono::seconds> within;
    if (!o->due_within.empty()) {
      within = parse_duration(o->due_within);
      if (!within) throw Error(ErrorKind::usage, fmt::format("--due-within '{}' is not a duration", o->due_within), "use e.g. 30m, 2h, 1d");
    }
    std::set<std::string> which;
    for (const auto& c : comma_values(o->clocks)) {
      if (!is_sla_clock(c) && c != "tier")
        throw Error(ErrorKind::usage, fmt::format("--clock '{}' is not a clock", c), "use first_response, next_update, resolution or tier");
      which.insert(c);
    }
    Timestamp now = s.now();
    Snapshot snap = d.head();
    // Tickets stream by one at a time (a large desk's open work does not fit in memory as whole
    // tickets): each row keeps what the table and the sort need.
    struct Row {
      SortFields head;
      std::optional<Timestamp> due;
      std::vector<std::pair<std::string, const char*>> sla;  // the SLA cell's parts and colours
    };
    std::vector<Row> rows_in;
    TicketQuery q{[&filter](std::string_view status) { return status_wanted(filter, status); }, &filter, true, std::nullopt};
    q.texts = !filter.text.empty();  // the table shows no texts; --json reads them again below
    auto problems = for_each_ticket(d, snap, q, [&] { rows_in.clear(); }, [&](Ticket&& t) {
      if (!matches(t, filter)) return;
      auto clocks = compute_clocks(t, d.config(), now);
      auto next = next_due(clocks);
      if (o->breached || o->at_risk) {
        bool any_over = false, any_risk = false;
        for (const auto& c : clocks) {
          if (which.empty() ? !is_sla_clock(c.name) : !which.count(c.name)) continue;  // default: the SLA clocks
          any_over = any_over || c.state == "breached" || c.state == "over_limit";
          any_risk = any_risk || c.state == "at_risk";
        }
        if (o->breached && !any_over) return;
        if (o->at_risk && (any_over || !any_risk)) return;
      }
      if (within && (!next || *next > now + *within)) return;
      rows_in.push_back({SortFields::of(t), next, sla_parts(clocks, now)});
    });
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls_line(p.message) << "\n";
    auto keys = comma_values(o->sort);
    if (keys.empty()) keys = {"priority", "created"};
    std::vector<SortFields> heads;
    std::vector<std::optional<Timestamp>> dues;
    heads.reserve(rows_in.size());
    for (auto& r : rows_in) {
      heads.push_back(std::move(r.head));
      dues.push_back(r.due);
    }
    std::vector<size_t> order = sorted_order(heads, keys, d.config(), dues);
    if (o->limit && order.size() > o->limit) order.resize(o->limit);
    if (o->json) {
      // Whole tickets, read again in the sorted order and written as they come.
      std::vector<std::string> ids;
      for (size_t i : order) ids.push_back(heads[i].id);
      JsonWriter w = s.json();
      if (!fields.empty()) w.only_keys(&fields, 3);  // the document, "tickets", a ticket
      bool clocks = fields.empty() || fields.contains("clocks");
      w.begin_document().key("tickets").begin_array();
      tickets_by_id(d, snap, ids, true, [&](Ticket&& t) {
        w.begin_object();
        write_ticket_fields(w, t);
        if (clocks) {
          w.key("clocks");
          write_clocks_json(w, compute_clocks(t, d.config(), now));
        }
        w.end_object();
        s.out() << w.take();
      });
      w.only_keys(nullptr, 0);  // --fields chooses the keys of tickets, not of problems
      w.end_array().key("problems").begin_array();
      for (const auto& p : problems) w.begin_object().key("path").value(p.path).key("message").value(p.message).end_object();
      w.end_array().end_object();
      s.out() << w.take();
      return;
    }
    if (order.empty()) {
      s.status(filter.all || !filter.statuses.empty() ? "no tickets match" : "no open tickets match (--all includes resolved and closed)");
      return;
    }
    std::vector<std::string> all_ids = all_ticket_ids(d, snap);  // short ids are unique among every ticket
    size_t plen = unique_prefix_length(all_ids);
    std::vector<std::vector<std::string>> rows;
    rows.reserve(order.size());
    for (size_t i : order) {
      const SortFields& t = heads[i];
      std::string status = t.status == "pending" && !t.waiting_on.empty() ? "pend/" + t.waiting_on.substr(0, 4) : t.status;
      std::string sla;
      for (const auto& [text, sgr] : rows_in[i].sla) sla += (sla.empty() ? "" : ", ") + (sgr ? s.paint(text, sgr) : text);
      std::string pri = strip_controls_line(t.priority);
      const char* pri_sgr = pri == "P1" ? "1;31" : pri == "P2" ? "33" : nullptr;
      rows.push_back({s.paint(t.id.substr(0, plen), "33"), pri_sgr ? s.paint(pri, pri_sgr) : pri, strip_controls_line(t.tier),
                      strip_controls_line(status), t.assignee.empty() ? "-" : strip_controls_line(person(t.assignee)), age(t.created, now),
                      sla.empty() ? "-" : sla, strip_controls_line(t.title)});
    }
    // At 80 columns the title keeps 30: AGE goes first, then TIER, ASSIGNEE, STATUS, SLA. A
    // pager chops the rows (less -S), so a title cut on screen is still found by its search.
    std::vector<Column> columns = {{"ID"},
                                   {"PRI", 95},
                                   {"TIER", 40},
                                   {"STATUS", 60, 9},
                                   {"ASSIGNEE", 50, 14},
                                   {"AGE", 30},
                                   {"SLA", 70, 16},
                                   {"TITLE", 100, 0, true, 30}};
    s.page_table(columns, rows);
  });
}

}  // namespace desk::cli
