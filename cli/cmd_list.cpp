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
};


std::string age(Timestamp from, Timestamp now) {
  auto d = now - from;
  if (d.count() < 0) return "0s";
  return format_duration(std::chrono::duration_cast<std::chrono::seconds>(d));
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
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    ListFilter filter = o->filter;
    filter.assignees = s.expand_me(filter.assignees);
    filter = checked_filter(filter, d.config(), o->times, s.now());
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
      std::string sla_state;     // the customer's clocks: breached, at risk or ""
      bool over_limit = false;  // past the tier's time limit (internal, never "breached")
    };
    std::vector<Row> rows_in;
    TicketQuery q{[&filter](std::string_view status) { return status_wanted(filter, status); }, &filter};
    q.texts = !filter.text.empty();  // the table shows no texts; --json reads them again below
    auto problems = for_each_ticket(d, snap, q, [&] { rows_in.clear(); }, [&](Ticket&& t) {
      if (!matches(t, filter)) return;
      auto clocks = compute_clocks(t, d.config(), now);
      bool breached = any_breached(clocks), at_risk = any_at_risk(clocks), over_limit = over_tier_limit(clocks);
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
      // The SLA cell: the customer's clocks first; the tier limit is an internal target.
      rows_in.push_back({SortFields::of(t), next, breached ? "breached" : at_risk ? "at risk" : "", over_limit});
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
      JsonWriter w;
      w.begin_object().key("desk_format").value(json_format).key("tickets").begin_array();
      tickets_by_id(d, snap, ids, true, [&](Ticket&& t) {
        w.begin_object();
        write_ticket_fields(w, t);
        w.key("clocks");
        write_clocks_json(w, compute_clocks(t, d.config(), now));
        w.end_object();
        s.out() << w.take();
      });
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
      std::string status = t.status == "pending" ? "pending/" + t.waiting_on : t.status;
      std::string due_text = "-";
      if (rows_in[i].due) {
        auto left = std::chrono::duration_cast<std::chrono::seconds>(*rows_in[i].due - now);
        due_text = left.count() >= 0 ? "in " + format_duration(left) : format_duration(-left) + " ago";
      }
      const std::string& st = rows_in[i].sla_state;
      std::string states;
      if (!st.empty()) states = s.paint(st, st == "breached" ? "31" : "33");
      if (rows_in[i].over_limit) states += (states.empty() ? "" : ", ") + s.paint("tier limit", "35");
      if (!states.empty()) due_text = states + (due_text == "-" ? "" : ", " + due_text);
      rows.push_back({s.paint(t.id.substr(0, plen), "33"), strip_controls_line(t.priority), strip_controls_line(t.tier), strip_controls_line(status),
                      t.assignee.empty() ? "-" : strip_controls_line(person(t.assignee)), age(t.created, now), due_text, strip_controls_line(t.title)});
    }
    size_t width = s.env().stdout_tty ? static_cast<size_t>(s.env().columns) : 0;
    s.page(table({"ID", "PRI", "TIER", "STATUS", "ASSIGNEE", "AGE", "SLA", "TITLE"}, rows, width, s.color_out()));
  });
}

}  // namespace desk::cli
