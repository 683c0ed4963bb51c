#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "cli/commands.hpp"
#include "cli/period.hpp"
#include "cli/render.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/report/json.hpp"
#include "core/report/stats.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

struct StatsOptions {
  PeriodOptions period;
  std::string by;
  bool json = false;
};

// ---- JSON ----

void opt_rate(JsonWriter& w, const std::optional<double>& r) {
  if (r)
    w.value(*r);
  else
    w.null();
}

void write_durations(JsonWriter& w, const DurationStats& d) {
  w.begin_object().key("count").value(d.samples.size());
  for (auto [k, v] : {std::pair{"mean", &d.mean}, std::pair{"median", &d.median}, std::pair{"p90", &d.p90}}) {
    if (*v) w.duration(k, **v);  // "2h30m" and, beside it, the seconds
    else w.key(k).null().key(std::string(k) + "_seconds").null();
  }
  w.end_object();
}

void write_metrics(JsonWriter& w, const Metrics& m) {
  w.key("tickets").value(m.tickets);
  w.key("created").value(m.created).key("resolved").value(m.resolved).key("closed").value(m.closed).key("reopened").value(m.reopened);
  w.key("backlog").begin_object().key("total").value(m.backlog).key("new").value(m.backlog_new).key("open").value(m.backlog_open);
  w.key("pending").value(m.backlog_pending).key("ageing").begin_object();
  w.key("under_1d").value(m.ageing[0]).key("1d_to_3d").value(m.ageing[1]).key("3d_to_7d").value(m.ageing[2]).key("over_7d").value(m.ageing[3]);
  w.end_object().end_object();
  w.key("first_contact_resolution").begin_object().key("count").value(m.first_contact).key("resolved").value(m.resolved).key("rate");
  opt_rate(w, m.fcr_rate);
  w.end_object();
  w.key("reopen").begin_object().key("count").value(m.resolved_then_reopened).key("resolved").value(m.resolved).key("rate");
  opt_rate(w, m.reopen_rate);
  w.end_object();
  w.key("kb_link").begin_object().key("count").value(m.kb_linked).key("resolved").value(m.resolved).key("rate");
  opt_rate(w, m.kb_link_rate);
  w.end_object();
  w.key("duplicates").value(m.duplicates);
  w.key("tiers").begin_array();
  for (const auto& t : m.tiers) {
    w.begin_object().key("tier").value(t.tier).key("reached").value(t.reached).key("resolved_here").value(t.resolved_here);
    w.key("rate");
    opt_rate(w, t.rate);
    w.key("share");
    opt_rate(w, t.share);
    w.end_object();
  }
  w.end_array();
  w.key("first_response_time");
  write_durations(w, m.first_response);
  w.key("resolution_time");
  write_durations(w, m.resolution);
  w.key("first_response_calendar_time");  // the same clocks in wall-clock time
  write_durations(w, m.first_response_calendar);
  w.key("resolution_calendar_time");
  write_durations(w, m.resolution_calendar);
  w.key("sla").begin_object();
  for (const auto& [name, c] : m.sla) {
    w.key(name).begin_object().key("met").value(c.met).key("breached").value(c.breached).key("rate");
    opt_rate(w, c.rate);
    w.end_object();
  }
  w.end_object();
  auto moves = [&](const char* key, size_t total, const std::map<std::string, size_t>& pairs) {
    w.key(key).begin_object().key("total").value(total).key("by_pair").begin_object();
    for (const auto& [pair, n] : pairs) w.key(pair).value(n);
    w.end_object().end_object();
  };
  moves("escalations", m.escalations, m.escalations_by_pair);
  moves("deescalations", m.deescalations, m.deescalations_by_pair);
  w.key("csat").begin_object().key("count").value(m.csat_count).key("mean");
  opt_rate(w, m.csat_mean);
  w.key("distribution").begin_object();
  for (size_t i = 0; i < 5; ++i) w.key(std::to_string(i + 1)).value(m.csat[i]);
  w.end_object();
  w.key("surveys_sent").value(m.surveys_sent).key("survey_answers").value(m.survey_answers).key("survey_response_rate");
  opt_rate(w, m.survey_response_rate);
  w.end_object();
}

std::string stats_json(const Stats& st, JsonWriter w) {
  w.begin_document();
  w.key("since").value(format_time(st.period.since)).key("until").value(format_time(st.period.until));
  w.key("as_of").value(format_time(st.as_of)).key("by");
  if (st.by == GroupBy::none)
    w.null();
  else
    w.value(group_by_name(st.by));
  w.key("total").begin_object();
  write_metrics(w, st.total);
  w.end_object().key("groups").begin_array();
  for (const auto& g : st.groups) {
    w.begin_object().key("group");
    if (st.by == GroupBy::assignee) w.person(g.key);  // a person; null for the unassigned
    else if (g.key.empty() && w.format() >= 2) w.null();  // none: no type, no category
    else w.value(g.key);
    write_metrics(w, g.metrics);
    w.end_object();
  }
  w.end_array().end_object();
  return w.str();
}

// ---- Human output ----

// A bar of `width` cells for a fraction in [0, 1], in eighths of a cell.
std::string bar(double fraction, size_t width) {
  static const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  fraction = std::clamp(fraction, 0.0, 1.0);
  auto units = static_cast<size_t>(std::lround(fraction * static_cast<double>(width * 8)));
  std::string out;
  for (size_t i = 0; i < units / 8; ++i) out += "█";
  out += eighths[units % 8];
  return out;
}

std::string percent(const std::optional<double>& r) { return r ? fmt::format("{:.0f}%", *r * 100) : "-"; }

std::string duration(const std::optional<std::chrono::seconds>& d) { return d ? format_duration(*d) : "-"; }

class Renderer {
 public:
  explicit Renderer(Session& s) : s_(s) {}

  // Green from 90%, yellow from 75%, red below: how a lead reads a compliance figure.
  std::string rate_bar(const std::optional<double>& r) const {
    if (!r) return "";
    return s_.paint(bar(*r, 20), *r >= 0.9 ? "32" : *r >= 0.75 ? "33" : "31");
  }
  std::string count_bar(size_t n, size_t max) const {
    if (max == 0 || n == 0) return "";
    return s_.paint(bar(static_cast<double>(n) / static_cast<double>(max), 20), "36");
  }
  std::string section(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) const {
    return table(header, rows, 0, s_.color_out());
  }

  std::string total(const Stats& st) const {
    const Metrics& m = st.total;
    std::string out;
    size_t volume_max = std::max({m.created, m.resolved, m.closed, m.reopened});
    out += section({"VOLUME", "", ""}, {{"  created", std::to_string(m.created), count_bar(m.created, volume_max)},
                                        {"  resolved", std::to_string(m.resolved), count_bar(m.resolved, volume_max)},
                                        {"  closed", std::to_string(m.closed), count_bar(m.closed, volume_max)},
                                        {"  reopened", std::to_string(m.reopened), count_bar(m.reopened, volume_max)},
                                        {"  duplicates", std::to_string(m.duplicates), count_bar(m.duplicates, volume_max)}});
    size_t age_max = *std::max_element(m.ageing.begin(), m.ageing.end());
    static const char* ages[] = {"  under 1d", "  1d to 3d", "  3d to 7d", "  7d and over"};
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < 4; ++i) rows.push_back({ages[i], std::to_string(m.ageing[i]), count_bar(m.ageing[i], age_max)});
    out += "\n" + section({"BACKLOG", std::to_string(m.backlog), fmt::format("new {}, open {}, pending {}", m.backlog_new, m.backlog_open, m.backlog_pending)},
                          rows);
    rows.clear();
    rows.push_back({"  first contact", percent(m.fcr_rate), fmt::format("{}/{}", m.first_contact, m.resolved), rate_bar(m.fcr_rate)});
    rows.push_back({"  reopened later", percent(m.reopen_rate), fmt::format("{}/{}", m.resolved_then_reopened, m.resolved), count_bar(m.resolved_then_reopened, m.resolved)});
    rows.push_back({"  linked to kb", percent(m.kb_link_rate), fmt::format("{}/{}", m.kb_linked, m.resolved), rate_bar(m.kb_link_rate)});
    for (const auto& t : m.tiers)
      rows.push_back({"  kept at " + strip_controls_line(t.tier), percent(t.rate), fmt::format("{}/{}", t.resolved_here, t.reached), rate_bar(t.rate)});
    out += "\n" + section({"RESOLVED TICKETS", "RATE", "N", ""}, rows);
    rows.clear();
    auto times = [&](const char* name, const DurationStats& d) {
      rows.push_back({name, duration(d.mean), duration(d.median), duration(d.p90), std::to_string(d.samples.size())});
    };
    times("  first response", m.first_response);
    times("  resolution", m.resolution);
    out += "\n" + section({"BUSINESS TIME", "MEAN", "MEDIAN", "P90", "N"}, rows);
    rows.clear();
    times("  first response", m.first_response_calendar);
    times("  resolution", m.resolution_calendar);
    out += "\n" + section({"CALENDAR TIME", "MEAN", "MEDIAN", "P90", "N"}, rows);
    rows.clear();
    for (const auto& [name, c] : m.sla)
      rows.push_back({"  " + name, percent(c.rate), fmt::format("{} met, {} breached", c.met, c.breached), rate_bar(c.rate)});
    out += "\n" + section({"SLA COMPLIANCE", "RATE", "CLOCKS", ""}, rows);
    rows.clear();
    size_t move_max = 0;
    for (const auto& [p, n] : m.escalations_by_pair) move_max = std::max(move_max, n);
    for (const auto& [p, n] : m.deescalations_by_pair) move_max = std::max(move_max, n);
    for (const auto& [p, n] : m.escalations_by_pair) rows.push_back({"  " + strip_controls_line(p), std::to_string(n), count_bar(n, move_max)});
    out += "\n" + section({"ESCALATIONS", std::to_string(m.escalations), ""}, rows);
    rows.clear();
    for (const auto& [p, n] : m.deescalations_by_pair) rows.push_back({"  " + strip_controls_line(p), std::to_string(n), count_bar(n, move_max)});
    out += "\n" + section({"DE-ESCALATIONS", std::to_string(m.deescalations), ""}, rows);
    rows.clear();
    size_t csat_max = *std::max_element(m.csat.begin(), m.csat.end());
    for (size_t i = 5; i-- > 0;) rows.push_back({fmt::format("  rated {}", i + 1), std::to_string(m.csat[i]), count_bar(m.csat[i], csat_max)});
    if (m.surveys_sent)
      rows.push_back({"  survey answered", fmt::format("{:.0f}%", *m.survey_response_rate * 100),
                      fmt::format("{} of {} mailed", m.survey_answers, m.surveys_sent)});
    out += "\n" + section({"CSAT", m.csat_mean ? fmt::format("{:.2f}", *m.csat_mean) : "-",
                            fmt::format("{} rating{}", m.csat_count, m.csat_count == 1 ? "" : "s")},
                           rows);
    return out;
  }

  std::string grouped(const Stats& st) const {
    std::vector<std::vector<std::string>> rows;
    size_t backlog_max = st.total.backlog;
    auto row = [&](const std::string& key, const Metrics& m) {
      auto sla = [&](const char* name) {
        auto it = m.sla.find(name);
        return it == m.sla.end() ? std::string("-") : percent(it->second.rate);
      };
      rows.push_back({key, std::to_string(m.created), std::to_string(m.resolved), percent(m.fcr_rate), percent(m.reopen_rate),
                      percent(m.kb_link_rate), duration(m.first_response.median), duration(m.resolution.median), sla("first_response"), sla("resolution"),
                      std::to_string(m.escalations), m.csat_mean ? fmt::format("{:.1f}", *m.csat_mean) : "-", std::to_string(m.backlog),
                      count_bar(m.backlog, backlog_max)});
    };
    for (const auto& g : st.groups) row(g.key.empty() ? "-" : strip_controls_line(g.key), g.metrics);
    row("all", st.total);
    std::string name = group_by_name(st.by);
    for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return section({name, "NEW", "RESOLVED", "FCR", "REOPEN", "KB", "FIRST RESP", "RESOLUTION", "SLA FR", "SLA RES", "ESC", "CSAT", "BACKLOG", ""},
                   rows);
  }

 private:
  Session& s_;
};

}  // namespace

void define_stats(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<StatsOptions>();
  add_period_options(cmd, o->period);
  cmd.add_option("--by", o->by, "one row per tier, priority, assignee, type, category, or week or month of creation")->type_name("KEY");
  cmd.add_flag("--json", o->json, "print JSON on stdout");
  cmd.callback([&s, o] {
    auto by = parse_group_by(o->by);
    if (!by || (!o->by.empty() && *by == GroupBy::none))
      throw Error(ErrorKind::usage, fmt::format("cannot group by '{}'", strip_controls_line(o->by)), "use one of: " + join(group_by_names(), ", "));
    Timestamp now = s.now();
    StatsPeriod period = resolve_period(o->period, now);
    Desk& d = s.desk();
    StatsBuilder builder(d.config(), period, *by, now);
    TicketQuery q;
    q.texts = false;  // no metric reads a text
    q.settled_before = std::min(period.since, std::min(period.until, now));  // the rest add nothing
    auto problems = for_each_ticket(
        d, d.head(), q, [&] { builder = StatsBuilder(d.config(), period, *by, now); }, [&](Ticket&& t) { builder.add(t); });
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls_line(p.message) << "\n";
    Stats st = builder.finish();
    if (o->json) {
      s.out() << stats_json(st, s.json());
      return;
    }
    Renderer r(s);
    std::string out = s.paint(fmt::format("{} to {} UTC", human_time(st.period.since), human_time(st.period.until)), "1");
    out += fmt::format(": {} ticket{}", st.total.tickets, st.total.tickets == 1 ? "" : "s");
    if (st.as_of < st.period.until) out += fmt::format(", backlog as of {} UTC", human_time(st.as_of));
    out += "\n\n";
    out += st.by == GroupBy::none ? r.total(st) : r.grouped(st);
    s.page(out);
  });
}

}  // namespace desk::cli
