#include "core/report/report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/report/svg.hpp"
#include "core/sla/sla.hpp"
#include "core/util/text.hpp"

namespace desk {

using std::chrono::days;
using std::chrono::seconds;

namespace {

// "2026-11-23 09:00" (UTC).
std::string minute_text(Timestamp t) {
  std::string s = format_time(t);  // 2026-11-23T09:00:00Z
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

std::string percent(const std::optional<double>& r) { return r ? fmt::format("{:.0f}%", *r * 100) : "–"; }
std::string duration(const std::optional<seconds>& d) { return d ? format_duration(*d) : "–"; }

// The status changes of a ticket in time order: (when, status).
std::vector<std::pair<Timestamp, std::string>> status_changes(const Ticket& t) {
  std::vector<std::pair<Timestamp, std::string>> out;
  for (const auto& e : t.history)
    if (!e.status.empty()) out.emplace_back(e.at, e.status);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

struct Tile {
  std::string label, value, sub;
};

std::vector<Tile> metric_tiles(const Metrics& m) {
  auto sla = [&](const char* clock) -> Tile {
    auto it = m.sla.find(clock);
    if (it == m.sla.end()) return {"", "–", ""};
    return {"", percent(it->second.rate), fmt::format("{} met, {} breached", it->second.met, it->second.breached)};
  };
  std::vector<Tile> tiles;
  tiles.push_back({"Created", std::to_string(m.created), fmt::format("{} tickets active in the period", m.tickets)});
  tiles.push_back({"Resolved", std::to_string(m.resolved), fmt::format("{} closed, {} reopened", m.closed, m.reopened)});
  tiles.push_back({"Backlog", std::to_string(m.backlog), fmt::format("{} new, {} open, {} pending", m.backlog_new, m.backlog_open, m.backlog_pending)});
  tiles.push_back({"First contact resolution", percent(m.fcr_rate), fmt::format("{} of {} resolved", m.first_contact, m.resolved)});
  tiles.push_back({"Reopen rate", percent(m.reopen_rate), fmt::format("{} of {} resolved", m.resolved_then_reopened, m.resolved)});
  // Business time beside calendar time: an answer given after hours counts 0s of business time,
  // which a lead reading "0s" alone would distrust.
  tiles.push_back({"First response (median)", duration(m.first_response.median) + " business",
                   fmt::format("{} calendar; p90 {} business, {} tickets", duration(m.first_response_calendar.median), duration(m.first_response.p90),
                               m.first_response.samples.size())});
  tiles.push_back({"Resolution (median)", duration(m.resolution.median) + " business",
                   fmt::format("{} calendar; p90 {} business, {} tickets", duration(m.resolution_calendar.median), duration(m.resolution.p90),
                               m.resolution.samples.size())});
  Tile fr = sla("first_response");
  fr.label = "SLA first response";
  tiles.push_back(fr);
  Tile upd = sla("next_update");
  upd.label = "SLA next update";
  tiles.push_back(upd);
  Tile res = sla("resolution");
  res.label = "SLA resolution";
  tiles.push_back(res);
  tiles.push_back({"Escalations", std::to_string(m.escalations), fmt::format("{} de-escalations", m.deescalations)});
  tiles.push_back({"CSAT", m.csat_mean ? fmt::format("{:.2f}", *m.csat_mean) : "–",
                   fmt::format("{} rating{}; survey response {} ({} of {} mailed)", m.csat_count, m.csat_count == 1 ? "" : "s",
                               percent(m.survey_response_rate), m.survey_answers, m.surveys_sent)});
  tiles.push_back({"Knowledge-base link rate", percent(m.kb_link_rate),
                   fmt::format("{} of {} resolved; {} duplicate{}", m.kb_linked, m.resolved, m.duplicates,
                               m.duplicates == 1 ? "" : "s")});
  return tiles;
}

std::string tiles_html(const Metrics& m) {
  std::string out = "<section class=\"tiles\" aria-label=\"Key metrics\">\n";
  for (const auto& t : metric_tiles(m))
    out += fmt::format("<div class=\"tile\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"sub\">{}</div></div>\n",
                       svg::escape(t.label), svg::escape(t.value), svg::escape(t.sub));
  out += "</section>\n";
  return out;
}

std::string figure(const std::string& heading, const std::string& chart, const std::string& caption) {
  return fmt::format("<figure>\n<h2>{}</h2>\n{}<figcaption>{}</figcaption>\n</figure>\n", svg::escape(heading), chart, svg::escape(caption));
}

std::string backlog_chart(const std::vector<BacklogPoint>& points) {
  svg::BarChart c;
  c.title = "Backlog over time: tickets new, open and pending at the end of each day";
  c.y_label = "tickets";
  c.max_x_labels = 8;
  svg::Series open{"open", svg::palette::blue, {}}, pending{"pending", svg::palette::sky, {}}, fresh{"new", svg::palette::orange, {}};
  for (const auto& p : points) {
    c.categories.push_back(format_time(p.day).substr(5, 5));
    open.values.push_back(static_cast<double>(p.open));
    pending.values.push_back(static_cast<double>(p.pending));
    fresh.values.push_back(static_cast<double>(p.new_count));
  }
  c.series = {open, pending, fresh};
  return svg::area_chart(c);
}

std::string clock_title(const std::string& name) {
  std::string s = name;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string sla_chart(const Metrics& m) {
  svg::BarChart c;
  c.title = "SLA compliance: clocks met and breached, per clock";
  c.y_label = "clocks";
  c.stacked = true;
  svg::Series met{"met", svg::palette::green, {}}, breached{"breached", svg::palette::vermillion, {}};
  for (const auto& [name, comp] : m.sla) {
    c.categories.push_back(fmt::format("{} ({})", clock_title(name), percent(comp.rate)));
    met.values.push_back(static_cast<double>(comp.met));
    breached.values.push_back(static_cast<double>(comp.breached));
  }
  c.series = {met, breached};
  return svg::bar_chart(c);
}

// Each arc labelled with its count and its share of all the moves in its direction ("3 · 60%"),
// so a number is read as a count of that pair and not of another arc it sits near.
std::vector<svg::Flow> flows(const std::map<std::string, size_t>& pairs, size_t total) {
  std::vector<svg::Flow> out;
  for (const auto& [pair, n] : pairs) {
    auto arrow = pair.find("->");
    if (arrow == std::string::npos) continue;
    std::string label = fmt::format("{} · {}", n, percent(total ? std::optional<double>(static_cast<double>(n) / static_cast<double>(total)) : std::nullopt));
    out.push_back({pair.substr(0, arrow), pair.substr(arrow + 2), static_cast<double>(n), label});
  }
  return out;
}

std::string flow_chart(const Metrics& m) {
  svg::FlowChart c;
  c.title = "Tier flow: escalations and de-escalations between tiers, and where resolved tickets were resolved";
  for (const auto& t : m.tiers) c.tiers.push_back({t.tier, fmt::format("{} resolved here\n{} of resolved", t.resolved_here, percent(t.share))});
  c.up = flows(m.escalations_by_pair, m.escalations);
  c.down = flows(m.deescalations_by_pair, m.deescalations);
  return svg::flow_chart(c);
}

// Business-time buckets; a working day of a 09:00-17:00 calendar is 8h.
struct Bucket {
  const char* label;
  seconds below;
};
const std::vector<Bucket>& time_buckets() {
  using std::chrono::hours;
  static const std::vector<Bucket> b = {{"<1h", hours{1}},    {"1-4h", hours{4}},   {"4-8h", hours{8}},          {"8-24h", hours{24}},
                                        {"1-2d", hours{48}},  {"2-5d", hours{120}}, {"≥5d", seconds::max()}};
  return b;
}

std::vector<double> histogram(const DurationStats& d) {
  const auto& buckets = time_buckets();
  std::vector<double> counts(buckets.size(), 0);
  for (auto s : d.samples)
    for (size_t i = 0; i < buckets.size(); ++i)
      if (s < buckets[i].below) {
        ++counts[i];
        break;
      }
  return counts;
}

std::string times_chart(const Metrics& m) {
  svg::BarChart c;
  c.title = "Distribution of business time to first response and to resolution";
  c.y_label = "tickets";
  for (const auto& b : time_buckets()) c.categories.push_back(b.label);
  c.series = {{"first response", svg::palette::sky, histogram(m.first_response)}, {"resolution", svg::palette::blue, histogram(m.resolution)}};
  return svg::bar_chart(c);
}

std::string csat_chart(const Metrics& m) {
  svg::BarChart c;
  c.title = "Customer satisfaction ratings given on close, 1 (worst) to 5 (best)";
  c.y_label = "ratings";
  svg::Series s{"ratings", svg::palette::green, {}};
  for (size_t i = 0; i < 5; ++i) {
    c.categories.push_back(std::to_string(i + 1));
    s.values.push_back(static_cast<double>(m.csat[i]));
  }
  c.series = {s};
  return svg::bar_chart(c);
}

std::string ageing_chart(const Metrics& m) {
  svg::BarChart c;
  c.title = "Backlog by age: open work at the end of the period by wall-clock age";
  c.y_label = "tickets";
  c.categories = {"<1d", "1-3d", "3-7d", "≥7d"};
  svg::Series s{"tickets", svg::palette::orange, {}};
  for (size_t n : m.ageing) s.values.push_back(static_cast<double>(n));
  c.series = {s};
  return svg::bar_chart(c);
}

// One population per table, so no row contradicts itself: the resolved tickets of the period by
// the highest tier each reached (where it was resolved), and the backlog by the tier it is at now.
std::string tier_table(const Stats& by_tier) {
  const Metrics& m = by_tier.total;
  std::vector<std::string> names;
  for (const auto& t : m.tiers) names.push_back(t.tier);
  for (const auto& g : by_tier.groups)
    if (std::find(names.begin(), names.end(), g.key) == names.end()) names.push_back(g.key);
  std::string out =
      "<table>\n<thead><tr><th scope=\"col\">Tier</th><th scope=\"col\">Resolved tickets that reached it</th>"
      "<th scope=\"col\">Resolved here (went no higher)</th><th scope=\"col\">Kept at tier</th><th scope=\"col\">Share of all resolved</th>"
      "<th scope=\"col\">Escalated up from it</th><th scope=\"col\">Backlog there now</th></tr></thead>\n<tbody>\n";
  static const Metrics none{};
  for (const auto& name : names) {
    const Metrics* g = &none;
    for (const auto& grp : by_tier.groups)
      if (grp.key == name) g = &grp.metrics;
    const TierShare* share = nullptr;
    for (const auto& t : m.tiers)
      if (t.tier == name) share = &t;
    size_t up = 0;
    for (const auto& [pair, n] : m.escalations_by_pair)
      if (pair.rfind(name + "->", 0) == 0) up += n;
    out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       svg::escape(name.empty() ? "–" : name), share ? share->reached : 0, share ? share->resolved_here : 0,
                       share ? percent(share->rate) : "–", share ? percent(share->share) : "–", up, g->backlog);
  }
  out += fmt::format("<tr><th scope=\"row\">All</th><td>{}</td><td>{}</td><td></td><td>{}</td><td>{}</td><td>{}</td></tr>\n", m.resolved, m.resolved,
                     m.resolved ? "100%" : "–", m.escalations, m.backlog);
  out += "</tbody>\n</table>\n"
         "<p class=\"note\">The first four columns count the tickets resolved in the period by the tiers they reached: a ticket "
         "escalated to L3 and resolved after coming back to L1 reached L1, L2 and L3 and was resolved at L3, the highest. "
         "Kept at tier: resolved here out of those that reached it. Escalated up: escalations from the tier in the period. "
         "Backlog: tickets new, open or pending at the tier now.</p>\n";
  return out;
}

// ---- The groupings beside the tiers ----

size_t breaches(const Metrics& m) {
  size_t n = 0;
  for (const auto& [name, c] : m.sla) n += c.breached;
  return n;
}

std::string weekly_chart(const Stats& weekly) {
  svg::BarChart c;
  c.title = "Weekly trend: SLA clocks breached and escalations, per ISO week";
  c.y_label = "count";
  svg::Series b{"SLA breaches", svg::palette::vermillion, {}}, e{"escalations", svg::palette::orange, {}}, r{"resolved", svg::palette::green, {}};
  for (const auto& g : weekly.groups) {
    c.categories.push_back(g.key.size() > 5 ? g.key.substr(5) : g.key);  // "W48"
    b.values.push_back(static_cast<double>(breaches(g.metrics)));
    e.values.push_back(static_cast<double>(g.metrics.escalations));
    r.values.push_back(static_cast<double>(g.metrics.resolved));
  }
  c.series = {r, b, e};
  return svg::bar_chart(c);
}

std::string weekly_table(const Stats& weekly) {
  std::string out =
      "<table>\n<thead><tr><th scope=\"col\">Week</th><th scope=\"col\">Created</th><th scope=\"col\">Resolved</th>"
      "<th scope=\"col\">SLA breaches</th><th scope=\"col\">SLA met</th><th scope=\"col\">First contact resolution</th>"
      "<th scope=\"col\">Escalations</th><th scope=\"col\">Escalated from L1</th><th scope=\"col\">CSAT</th>"
      "<th scope=\"col\">Backlog at the end</th></tr></thead>\n<tbody>\n";
  for (const auto& g : weekly.groups) {
    const Metrics& m = g.metrics;
    size_t met = 0;
    for (const auto& [name, c] : m.sla) met += c.met;
    size_t b = breaches(m);
    // Escalation rate of the first tier: escalations from it per resolved ticket that reached it.
    std::string first_tier;
    if (!m.tiers.empty()) first_tier = m.tiers.front().tier;
    size_t up = 0;
    for (const auto& [pair, n] : m.escalations_by_pair)
      if (!first_tier.empty() && pair.rfind(first_tier + "->", 0) == 0) up += n;
    out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       svg::escape(g.key), m.created, m.resolved, b,
                       met + b ? percent(static_cast<double>(met) / static_cast<double>(met + b)) : "–", percent(m.fcr_rate), m.escalations, up,
                       m.csat_mean ? fmt::format("{:.2f} ({})", *m.csat_mean, m.csat_count) : "–", m.backlog);
  }
  out += "</tbody>\n</table>\n<p class=\"note\">Each week as <code>desk stats --by week</code> counts it: clocks that stopped in "
         "the week (first response, next-update cycles and resolution), tickets resolved in it, and the backlog at its end.</p>\n";
  return out;
}

std::string ageing_by_priority_chart(const Stats& by_priority) {
  svg::BarChart c;
  c.title = "Backlog by priority and age: open work at the end of the period";
  c.y_label = "tickets";
  c.stacked = true;
  static const char* ages[] = {"<1d", "1-3d", "3-7d", "≥7d"};
  static const char* colors[] = {svg::palette::sky, svg::palette::blue, svg::palette::orange, svg::palette::vermillion};
  std::vector<svg::Series> series;
  for (size_t i = 0; i < 4; ++i) series.push_back({ages[i], colors[i], {}});
  for (const auto& g : by_priority.groups) {
    if (g.metrics.backlog == 0) continue;
    c.categories.push_back(g.key.empty() ? "none" : g.key);
    for (size_t i = 0; i < 4; ++i) series[i].values.push_back(static_cast<double>(g.metrics.ageing[i]));
  }
  c.series = series;
  return svg::bar_chart(c);
}

std::string volume_chart(const Stats& grouped, const std::string& what) {
  svg::BarChart c;
  c.title = "Tickets created in the period by " + what;
  c.y_label = "tickets";
  std::vector<std::pair<size_t, std::string>> rows;
  for (const auto& g : grouped.groups)
    if (g.metrics.created) rows.emplace_back(g.metrics.created, g.key.empty() ? "none" : g.key);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  svg::Series s{"created", svg::palette::blue, {}};
  for (const auto& [n, key] : rows) {
    c.categories.push_back(strip_controls_line(key));
    s.values.push_back(static_cast<double>(n));
  }
  c.series = {s};
  return svg::bar_chart(c);
}

constexpr const char* style = R"(:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1280px;padding:16px 24px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","DejaVu Sans",sans-serif;color:#1a1a1a;background:#ffffff;line-height:1.4}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.05em;margin:0 0 6px}
.meta{color:#444444;margin:0 0 16px}
.note{color:#444444;font-size:.85em;margin:6px 0 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:0 0 20px}
.tile{border:1px solid #cccccc;border-radius:6px;padding:8px 10px;background:#fafafa}
.tile .label{font-size:.78em;color:#444444;text-transform:uppercase;letter-spacing:.03em}
.tile .value{font-size:1.5em;font-weight:600}
.tile .sub{font-size:.8em;color:#555555}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:16px;margin:0 0 20px}
figure{margin:0;border:1px solid #dddddd;border-radius:6px;padding:10px;break-inside:avoid;page-break-inside:avoid}
figcaption{font-size:.8em;color:#444444;margin-top:4px}
svg.chart{display:block;width:100%;height:auto}
.wide{overflow-x:auto;margin-top:20px}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #dddddd;padding:4px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child,td.text,th.text{text-align:left}
thead th{border-bottom:2px solid #888888;white-space:normal;vertical-align:bottom}
footer{margin-top:20px;font-size:.8em;color:#555555}
@media print{body{max-width:none;padding:0;font-size:10pt}.charts{grid-template-columns:1fr 1fr}figure{border-color:#999999}.tile{background:none}}
)";

}  // namespace

BacklogBuilder::BacklogBuilder(const StatsPeriod& period, Timestamp now) {
  Timestamp as_of = std::min(period.until, now);
  if (as_of < period.since) return;
  auto first = std::chrono::floor<days>(period.since), last = std::chrono::floor<days>(as_of);
  long long span = (last - first).count() + 1;
  long long step = (span + 399) / 400;
  for (auto d = first; d <= last; d += days{step}) {
    Timestamp end = std::min(Timestamp{d + days{1}} - seconds{1}, as_of);
    points_.push_back({Timestamp{d}, end, 0, 0, 0});
  }
  if (points_.back().at != as_of && (last - points_.back().day).count() > 0) points_.push_back({Timestamp{last}, as_of, 0, 0, 0});
}

void BacklogBuilder::add(const Ticket& t) {
  auto changes = status_changes(t);
  size_t next = 0;
  std::string status = "new";
  for (auto& p : points_) {
    if (t.created > p.at) continue;
    while (next < changes.size() && changes[next].first <= p.at) status = changes[next++].second;
    if (status == "new") ++p.new_count;
    if (status == "open") ++p.open;
    if (status == "pending") ++p.pending;
  }
}

std::vector<BacklogPoint> backlog_series(const std::vector<Ticket>& tickets, const StatsPeriod& period, Timestamp now) {
  BacklogBuilder b(period, now);
  for (const auto& t : tickets) b.add(t);
  return b.finish();
}

std::string render_report_html(const std::vector<Ticket>& tickets, const Config& cfg, const StatsPeriod& period, Timestamp now,
                               const ReportOptions& options) {
  Stats st = compute_stats(tickets, cfg, period, GroupBy::tier, now);
  return render_report_html(st, backlog_series(tickets, period, now), cfg, now, options);
}

AgentLoad& WatchBuilder::agent(const std::string& assignee) {
  for (auto& a : agents_)
    if (a.assignee == assignee) return a;
  agents_.push_back({assignee, 0, 0, 0});
  return agents_.back();
}

void WatchBuilder::add(const Ticket& t) {
  auto in = [&](Timestamp at) { return period_.since <= at && at <= period_.until; };
  bool resolved_in = false;
  for (const auto& e : t.history) {
    if (e.action == "resolve" && in(e.at)) resolved_in = true;
    if (e.action == "reopen" && in(e.at)) {
      // One line per ticket: its latest reopening in the period.
      auto it = std::find_if(reopened_.begin(), reopened_.end(), [&](const WatchTicket& w) { return w.id == t.id; });
      if (it == reopened_.end()) reopened_.push_back({t.id, t.title, t.assignee, "", e.at});
      else it->due = std::max(it->due, e.at);
    }
  }
  if (resolved_in) ++agent(t.assignee).resolved;
  if (!is_active_status(t.status)) return;
  AgentLoad& a = agent(t.assignee);
  ++a.open;
  bool breaching = false;
  for (const auto& c : compute_clocks(t, *cfg_, now_)) {
    if (!is_sla_clock(c.name)) continue;
    if (c.state == "breached") breaching = true;
    if (c.running && c.due && c.state != "breached" && c.state != "met") next_.push_back({t.id, t.title, t.assignee, c.name, *c.due});
  }
  if (breaching) ++a.breaching;
}

Watch WatchBuilder::finish() {
  Watch w;
  w.now = now_;
  auto by_due = [](const WatchTicket& a, const WatchTicket& b) { return a.due != b.due ? a.due < b.due : a.id != b.id ? a.id < b.id : a.clock < b.clock; };
  std::sort(next_.begin(), next_.end(), by_due);
  for (const auto& n : next_) {
    if (w.next.size() == 5) break;
    if (std::none_of(w.next.begin(), w.next.end(), [&](const WatchTicket& x) { return x.id == n.id; })) w.next.push_back(n);
  }
  std::sort(reopened_.begin(), reopened_.end(), [](const WatchTicket& a, const WatchTicket& b) { return a.due != b.due ? a.due > b.due : a.id < b.id; });
  w.reopened_total = reopened_.size();
  if (reopened_.size() > 10) reopened_.resize(10);
  w.reopened = std::move(reopened_);
  std::sort(agents_.begin(), agents_.end(), [](const AgentLoad& a, const AgentLoad& b) {
    if (a.assignee.empty() != b.assignee.empty()) return b.assignee.empty();
    return a.open != b.open ? a.open > b.open : a.assignee < b.assignee;
  });
  w.agents = std::move(agents_);
  return w;
}

namespace {

std::string watch_html(const Watch& w) {
  auto name = [](const std::string& assignee) { return assignee.empty() ? std::string("unassigned") : assignee; };
  auto clock_name = [](const std::string& c) { return c == "first_response" ? "first response" : c == "next_update" ? "next update" : c; };
  std::string out = "<section class=\"wide\">\n<h2>Due next</h2>\n";
  if (w.next.empty()) {
    out += "<p class=\"note\">No running SLA clock is due: nothing active is waiting on the team.</p>\n";
  } else {
    out += "<table>\n<thead><tr><th scope=\"col\">Ticket</th><th scope=\"col\" class=\"text\">Title</th><th scope=\"col\" class=\"text\">Assignee</th>"
           "<th scope=\"col\" class=\"text\">Clock</th><th scope=\"col\">Due (UTC)</th><th scope=\"col\">In</th></tr></thead>\n<tbody>\n";
    for (const auto& n : w.next)
      out += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td></tr>\n", svg::escape(n.id),
                         svg::escape(strip_controls_line(n.title)), svg::escape(strip_controls_line(name(n.assignee))), clock_name(n.clock),
                         minute_text(n.due), format_duration(std::chrono::duration_cast<std::chrono::seconds>(n.due - w.now)));
    out += "</tbody>\n</table>\n<p class=\"note\">The five active tickets whose running SLA clock (first response, next update or "
           "resolution) falls due soonest and has not yet breached, as of when the report was generated.</p>\n";
  }
  out += "</section>\n<section class=\"wide\">\n<h2>Per assignee</h2>\n";
  out += "<table>\n<thead><tr><th scope=\"col\">Assignee</th><th scope=\"col\">Open</th><th scope=\"col\">Breaching</th>"
         "<th scope=\"col\">Resolved in the period</th></tr></thead>\n<tbody>\n";
  for (const auto& a : w.agents)
    out += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n", svg::escape(strip_controls_line(name(a.assignee))),
                       a.open, a.breaching, a.resolved);
  out += "</tbody>\n</table>\n<p class=\"note\">Open and Breaching (an SLA clock past its target) count the active tickets "
         "each person holds now; Resolved counts the tickets resolved in the period, under the person who holds them now.</p>\n";
  out += "</section>\n<section class=\"wide\">\n<h2>Reopened in the period</h2>\n";
  if (w.reopened.empty()) {
    out += "<p class=\"note\">No ticket was reopened in the period.</p>\n";
  } else {
    out += "<table>\n<thead><tr><th scope=\"col\">Ticket</th><th scope=\"col\" class=\"text\">Title</th><th scope=\"col\" class=\"text\">Assignee</th>"
           "<th scope=\"col\">Reopened (UTC)</th></tr></thead>\n<tbody>\n";
    for (const auto& r : w.reopened)
      out += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td></tr>\n", svg::escape(r.id),
                         svg::escape(strip_controls_line(r.title)), svg::escape(strip_controls_line(name(r.assignee))), minute_text(r.due));
    out += "</tbody>\n</table>\n";
    if (w.reopened_total > w.reopened.size())
      out += fmt::format("<p class=\"note\">The latest {} of {}; desk list shows them all.</p>\n", w.reopened.size(), w.reopened_total);
  }
  out += "</section>\n";
  return out;
}

}  // namespace

std::string render_report_html(const Stats& st, const std::vector<BacklogPoint>& points, const Config& cfg, Timestamp now,
                               const ReportOptions& options, const Watch* watch, const ReportGroups* groups) {
  const Metrics& m = st.total;

  std::string title = options.title.empty() ? "desk report" : options.title;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"generator\" content=\"desk\"/>\n";
  out += "<link rel=\"icon\" href=\"data:,\"/>\n";
  out += fmt::format("<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n", svg::escape(title), style);
  out += fmt::format("<header>\n<h1>{}</h1>\n<p class=\"meta\">Desk <strong>{}</strong> · {} to {} UTC · backlog as of {} UTC · generated {} UTC</p>\n</header>\n",
                     svg::escape(title), svg::escape(cfg.name), minute_text(st.period.since), minute_text(st.period.until),
                     minute_text(st.as_of), minute_text(now));
  out += tiles_html(m);
  out += "<section class=\"charts\">\n";
  out += figure("Backlog over time", backlog_chart(points),
                "Tickets new, open or pending at the end of each day (UTC), replayed from each ticket's history.");
  out += figure("SLA compliance", sla_chart(m),
                "First response and resolution clocks that stopped in the period, and the next-update cycles that ended in it (a "
                "reply to the next, or to the resolution): met, or breached (business time past the target).");
  out += figure("Tier flow", flow_chart(m),
                "Escalations (above) and de-escalations (below) in the period per pair of tiers: each arc says its count and its share "
                "of all escalations (or de-escalations); the width follows the count. Each box: resolved tickets whose highest tier "
                "it was, and their share of all resolved.");
  out += figure("Response and resolution times", times_chart(m),
                "Business time (the ticket's calendar, waits excluded) of the clocks that stopped in the period; 8h is a "
                "working day of a 09:00-17:00 calendar.");
  out += figure("Customer satisfaction", csat_chart(m), "Ratings given when tickets were closed in the period.");
  out += figure("Backlog by age", ageing_chart(m), "Tickets in the backlog at the end of the period, by time since creation.");
  if (groups) {
    out += figure("Weekly trend", weekly_chart(groups->weekly),
                  "Per ISO week of the period: tickets resolved, SLA clocks breached (first response, next-update cycles and resolution) "
                  "and escalations.");
    out += figure("Backlog by priority", ageing_by_priority_chart(groups->by_priority),
                  "Tickets in the backlog at the end of the period, per priority, stacked by time since creation.");
    out += figure("Volume by type", volume_chart(groups->by_type, "type"), "Tickets created in the period, per type, most first.");
    out += figure("Volume by category", volume_chart(groups->by_category, "category"), "Tickets created in the period, per category, most first.");
  }
  out += "</section>\n";
  out += "<section class=\"wide\">\n<h2>Per tier</h2>\n" + tier_table(st) + "</section>\n";
  if (groups) out += "<section class=\"wide\">\n<h2>Per week</h2>\n" + weekly_table(groups->weekly) + "</section>\n";
  if (watch) out += watch_html(*watch);
  out += "<footer>Generated by desk from the tickets at HEAD. Definitions: man desk-report, man desk-stats (METRICS).</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace desk
