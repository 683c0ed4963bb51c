#include "core/report/stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <set>

#include "core/util/error.hpp"
#include "core/sla/sla.hpp"
#include "core/util/text.hpp"

namespace desk {

using std::chrono::seconds;

namespace {

const std::vector<std::pair<GroupBy, std::string>>& group_by_table() {
  static const std::vector<std::pair<GroupBy, std::string>> table = {
      {GroupBy::tier, "tier"}, {GroupBy::priority, "priority"}, {GroupBy::assignee, "assignee"},
      {GroupBy::type, "type"}, {GroupBy::category, "category"}, {GroupBy::week, "week"},         {GroupBy::month, "month"}};
  return table;
}

bool is_done(const std::string& status) { return status == "resolved" || status == "closed"; }

std::optional<double> ratio(size_t n, size_t d) {
  if (d == 0) return std::nullopt;
  return static_cast<double>(n) / static_cast<double>(d);
}

std::string pair_name(const std::string& from, const std::string& to) { return from + "->" + to; }

// What one ticket contributes, read from its history up to the end of the period.
struct Facts {
  bool contributes = false;
  bool created = false, resolved = false, closed = false, reopened = false;
  std::string backlog_status;  // new, open or pending when in the backlog at as_of; else empty
  seconds age{0};
  bool first_contact = false;
  bool reopened_after_resolve = false;
  bool kb_linked = false;  // linked to an article at as_of
  bool duplicate = false;  // marked as a duplicate in the period
  std::vector<std::string> reached;  // tiers the ticket was at, when it is resolved in the period
  std::string highest;               // the highest of them (by config order)
  std::vector<std::pair<std::string, std::string>> escalations, deescalations;
  std::vector<int> csat;
  size_t surveys = 0, survey_answers = 0;  // resolution messages mailed; ratings that came back by mail
  std::vector<ClockStatus> stopped;  // first_response / resolution clocks and next-update cycles that stopped in the period
};

Facts facts_of(const Ticket& t, const Config& cfg, const StatsPeriod& p, Timestamp as_of) {
  Facts f;
  if (t.created > as_of) return f;
  auto in = [&](Timestamp at) { return p.since <= at && at <= p.until; };

  // The ticket as it stood at as_of: history up to then, in time order, and the status it left.
  Ticket then = t;
  then.history.clear();
  for (const auto& e : t.history)
    if (e.at <= as_of) then.history.push_back(e);
  std::stable_sort(then.history.begin(), then.history.end(), [](const HistoryEntry& a, const HistoryEntry& b) { return a.at < b.at; });
  std::string status = "new", waiting_on;
  for (const auto& e : then.history) {
    if (e.status.empty()) continue;
    status = e.status;
    waiting_on = e.status == "pending" ? e.on : "";
  }
  then.status = status;
  then.waiting_on = waiting_on;

  f.created = in(t.created);
  bool any_in = f.created;
  bool escalated = false, reassigned = false, ever_reopened = false;
  std::optional<Timestamp> first_resolve_in;
  std::set<std::string> kb_links;
  bool kb_history = false;
  std::string initial_tier;
  std::vector<std::string> moved_to;
  std::set<std::string> resolve_entries;
  for (const auto& e : then.history)
    if (e.action == "resolve") resolve_entries.insert(e.id);
  for (const auto& e : then.history) {
    bool here = in(e.at);
    if (e.action == "mailed" && here && resolve_entries.count(e.to)) ++f.surveys;
    if ((e.action == "close" || e.action == "rate") && here && e.csat && !e.message_id.empty()) ++f.survey_answers;
    any_in = any_in || here;
    if (e.action == "create" && initial_tier.empty()) initial_tier = e.to;
    if (e.action == "escalate" || e.action == "deescalate") {
      if (initial_tier.empty()) initial_tier = e.from;
      moved_to.push_back(e.to);
    }
    if (e.action == "escalate") {
      escalated = true;
      if (here) f.escalations.emplace_back(e.from, e.to);
    }
    if (e.action == "deescalate" && here) f.deescalations.emplace_back(e.from, e.to);
    if (e.action == "assign" && !e.from.empty()) reassigned = true;
    if ((e.action == "link" || e.action == "unlink") && e.to.rfind("kb/", 0) == 0) {
      kb_history = true;
      if (e.action == "link") kb_links.insert(e.to.substr(3));
      else kb_links.erase(e.to.substr(3));
    } else if (e.action == "link" && here && !e.to.empty() && e.to.find('/') == std::string::npos) {  // related/, parent/, problem/ are not duplicates
      f.duplicate = true;
    }
    for (const auto& c : e.changes)  // a hand edit of the links (desk edit)
      if (c.field == "kb" && c.to != "(text)") {
        kb_history = true;
        kb_links.clear();
        for (const auto& slug : split(c.to, ',')) kb_links.insert(slug);
      }
    if (e.action == "reopen") {
      ever_reopened = true;
      if (here) f.reopened = true;
      if (first_resolve_in && e.at > *first_resolve_in) f.reopened_after_resolve = true;
    }
    if (e.action == "resolve" && here) {
      f.resolved = true;
      if (!first_resolve_in) first_resolve_in = e.at;
    }
    if (e.action == "close" && here) {
      f.closed = true;
      if (e.csat && *e.csat >= 1 && *e.csat <= 5) f.csat.push_back(*e.csat);
    }
    if (e.action == "rate" && here && e.csat && *e.csat >= 1 && *e.csat <= 5) f.csat.push_back(*e.csat);
  }
  if (initial_tier.empty()) initial_tier = t.tier;

  // Links written into the file by hand and committed without desk count as they stand; a ticket
  // whose links desk recorded counts as linked only by the links made up to as_of (one linked
  // after the period was not linked in it).
  if (!kb_history)
    kb_history = std::any_of(t.history.begin(), t.history.end(), [](const HistoryEntry& e) {
      if ((e.action == "link" || e.action == "unlink") && e.to.rfind("kb/", 0) == 0) return true;
      return std::any_of(e.changes.begin(), e.changes.end(), [](const auto& c) { return c.field == "kb" && c.to != "(text)"; });
    });
  f.kb_linked = kb_history ? !kb_links.empty() : !t.kb.empty();
  if (f.resolved) {
    f.first_contact = is_done(status) && !escalated && !reassigned && !ever_reopened;
    f.reached.push_back(initial_tier);
    for (const auto& to : moved_to)
      if (std::find(f.reached.begin(), f.reached.end(), to) == f.reached.end()) f.reached.push_back(to);
    // The highest known tier; a tier the config does not know ranks above none of them.
    std::optional<size_t> best;
    for (const auto& name : f.reached) {
      auto i = cfg.tier_index(name);
      if (i && (!best || *i > *best)) {
        best = i;
        f.highest = name;
      }
    }
    if (!best) f.highest = f.reached.back();
  }

  if (is_active_status(status)) {
    f.backlog_status = status;
    f.age = std::chrono::duration_cast<seconds>(as_of - t.created);
  }

  std::vector<ClockStatus> cycles;
  for (auto& c : compute_clocks(then, cfg, as_of, &cycles))
    if (c.stopped_at && in(*c.stopped_at) && (c.name == "first_response" || c.name == "resolution")) f.stopped.push_back(std::move(c));
  for (auto& c : cycles)
    if (in(*c.stopped_at)) f.stopped.push_back(std::move(c));

  f.contributes = any_in || !f.backlog_status.empty();
  return f;
}

Metrics empty_metrics(const Config& cfg) {
  Metrics m;
  for (const auto& tier : cfg.tiers)
    if (tier.accepts_tickets) m.tiers.push_back({tier.name, 0, 0, std::nullopt, std::nullopt});
  // The adjacent pairs of ticket tiers are always listed, so scripts find them even at zero.
  for (size_t i = 0; i + 1 < cfg.tiers.size(); ++i)
    if (cfg.tiers[i].accepts_tickets) m.escalations_by_pair[pair_name(cfg.tiers[i].name, cfg.tiers[i + 1].name)] = 0;
  m.sla["first_response"] = {};
  m.sla["next_update"] = {};
  m.sla["resolution"] = {};
  return m;
}

void add_facts(Metrics& m, const Facts& f) {
  if (!f.contributes) return;
  ++m.tickets;
  m.created += f.created;
  m.resolved += f.resolved;
  m.closed += f.closed;
  m.reopened += f.reopened;
  m.duplicates += f.duplicate;
  if (!f.backlog_status.empty()) {
    ++m.backlog;
    if (f.backlog_status == "new") ++m.backlog_new;
    if (f.backlog_status == "open") ++m.backlog_open;
    if (f.backlog_status == "pending") ++m.backlog_pending;
    constexpr seconds day{86400};
    size_t bucket = f.age < day ? 0 : f.age < 3 * day ? 1 : f.age < 7 * day ? 2 : 3;
    ++m.ageing[bucket];
  }
  if (f.resolved) {
    m.first_contact += f.first_contact;
    m.resolved_then_reopened += f.reopened_after_resolve;
    m.kb_linked += f.kb_linked;
    auto slot = [&](const std::string& name) -> TierShare& {
      for (auto& ts : m.tiers)
        if (ts.tier == name) return ts;
      m.tiers.push_back({name, 0, 0, std::nullopt, std::nullopt});
      return m.tiers.back();
    };
    for (const auto& name : f.reached) {
      TierShare& ts = slot(name);
      ++ts.reached;
      if (name == f.highest) ++ts.resolved_here;
    }
  }
  for (const auto& c : f.stopped) {
    bool fr = c.name == "first_response";
    if (c.name != "next_update") {  // times to first response and resolution; every clock's compliance
      (fr ? m.first_response : m.resolution).samples.push_back(c.elapsed);
      (fr ? m.first_response_calendar : m.resolution_calendar).samples.push_back(std::chrono::duration_cast<seconds>(*c.stopped_at - c.start));
    }
    Compliance& comp = m.sla[c.name];
    if (c.state == "breached")
      ++comp.breached;
    else
      ++comp.met;
  }
  for (const auto& [from, to] : f.escalations) {
    ++m.escalations;
    ++m.escalations_by_pair[pair_name(from, to)];
  }
  for (const auto& [from, to] : f.deescalations) {
    ++m.deescalations;
    ++m.deescalations_by_pair[pair_name(from, to)];
  }
  for (int r : f.csat) {
    ++m.csat_count;
    ++m.csat[static_cast<size_t>(r - 1)];
  }
  m.surveys_sent += f.surveys;
  m.survey_answers += f.survey_answers;
}

void summarize(DurationStats& d) {
  auto& s = d.samples;
  if (s.empty()) return;
  std::sort(s.begin(), s.end());
  long long n = static_cast<long long>(s.size()), sum = 0;
  for (auto x : s) sum += x.count();
  d.mean = seconds{(sum + n / 2) / n};
  size_t mid = s.size() / 2;
  d.median = s.size() % 2 ? s[mid] : seconds{(s[mid - 1].count() + s[mid].count() + 1) / 2};
  size_t rank = (9 * s.size() + 9) / 10;  // nearest rank: ceil(0.9 n)
  d.p90 = s[rank - 1];
}

void finish_metrics(Metrics& m) {
  m.fcr_rate = ratio(m.first_contact, m.resolved);
  m.reopen_rate = ratio(m.resolved_then_reopened, m.resolved);
  m.kb_link_rate = ratio(m.kb_linked, m.resolved);
  for (auto& ts : m.tiers) {
    ts.rate = ratio(ts.resolved_here, ts.reached);
    ts.share = ratio(ts.resolved_here, m.resolved);
  }
  summarize(m.first_response);
  summarize(m.resolution);
  summarize(m.first_response_calendar);
  summarize(m.resolution_calendar);
  for (auto& [name, c] : m.sla) c.rate = ratio(c.met, c.met + c.breached);
  if (m.surveys_sent) m.survey_response_rate = static_cast<double>(m.survey_answers) / static_cast<double>(m.surveys_sent);
  if (m.csat_count) {
    size_t sum = 0;
    for (size_t i = 0; i < 5; ++i) sum += (i + 1) * m.csat[i];
    m.csat_mean = static_cast<double>(sum) / static_cast<double>(m.csat_count);
  }
}

std::string group_key_month(Timestamp t) {
  std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return fmt::format("{:04}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
}

std::string group_key(const Ticket& t, GroupBy by) {
  switch (by) {
    case GroupBy::tier: return t.tier;
    case GroupBy::priority: return t.priority;
    case GroupBy::assignee: return t.assignee;
    case GroupBy::type: return t.type;
    case GroupBy::category: return t.category;
    case GroupBy::week: return iso_week(t.created);
    case GroupBy::month: return group_key_month(t.created);
    case GroupBy::none: break;
  }
  return {};
}

// Tiers and priorities in config order, unknown values after them; the rest by name; the
// empty value (unassigned) last.
size_t group_rank(const std::string& key, GroupBy by, const Config& cfg) {
  std::optional<size_t> i;
  if (by == GroupBy::tier) i = cfg.tier_index(key);
  if (by == GroupBy::priority) i = cfg.priority_index(key);
  if (i) return *i;
  return key.empty() ? 2000000 : 1000000;
}

}  // namespace

std::optional<GroupBy> parse_group_by(std::string_view text) {
  if (text.empty()) return GroupBy::none;
  for (const auto& [by, name] : group_by_table())
    if (name == text) return by;
  return std::nullopt;
}

std::string group_by_name(GroupBy by) {
  for (const auto& [b, name] : group_by_table())
    if (b == by) return name;
  return {};
}

const std::vector<std::string>& group_by_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [by, name] : group_by_table()) v.push_back(name);
    return v;
  }();
  return names;
}

std::string iso_week(Timestamp t) {
  using namespace std::chrono;
  sys_days d = floor<days>(t);
  unsigned iso = weekday{d}.iso_encoding();  // Monday 1 ... Sunday 7
  sys_days thursday = d - days{iso - 1} + days{3};
  year y = year_month_day{thursday}.year();
  auto week = (thursday - sys_days{y / January / 1}).count() / 7 + 1;
  return fmt::format("{:04}-W{:02}", static_cast<int>(y), week);
}

StatsBuilder::StatsBuilder(const Config& cfg, const StatsPeriod& period, GroupBy by, Timestamp now) : cfg_(&cfg) {
  if (period.until < period.since)
    throw Error(ErrorKind::usage, fmt::format("the period ends ({}) before it starts ({})", format_time(period.until), format_time(period.since)),
                "give --since before --until");
  s_.period = period;
  s_.by = by;
  s_.as_of = std::min(period.until, now);
  s_.total = empty_metrics(cfg);
  if (by != GroupBy::week && by != GroupBy::month) return;
  using namespace std::chrono;
  sys_days first = floor<days>(period.since);
  if (by == GroupBy::week) {
    first -= days{weekday{first}.iso_encoding() - 1};  // the Monday of the first week
  } else {
    year_month_day ymd{first};
    first = sys_days{ymd.year() / ymd.month() / 1};
  }
  for (sys_days start = first; Timestamp{start} <= s_.as_of;) {
    sys_days end;
    if (by == GroupBy::week) {
      end = start + days{7};
    } else {
      year_month_day ymd{start};
      end = sys_days{(ymd.year() / ymd.month() + months{1}) / 1};
    }
    Window w;
    w.key = by == GroupBy::week ? iso_week(Timestamp{start}) : group_key_month(Timestamp{start});
    w.period.since = std::max(period.since, Timestamp{start});
    w.period.until = std::min(period.until, Timestamp{end} - seconds{1});
    w.as_of = std::min(w.period.until, now);
    groups_.emplace(w.key, empty_metrics(cfg));  // every week of the period is a row, quiet ones too
    windows_.push_back(std::move(w));
    start = end;
  }
}

void StatsBuilder::add(const Ticket& t) {
  Facts f = facts_of(t, *cfg_, s_.period, s_.as_of);
  if (!f.contributes) return;
  add_facts(s_.total, f);
  if (!windows_.empty()) {
    // A ticket resolved or closed before a window, with nothing after, adds nothing to it: not
    // read again for each later week.
    Timestamp last = t.created;
    for (const auto& e : t.history) last = std::max(last, e.at);
    bool settled = !is_active_status(t.status);
    for (const auto& w : windows_) {
      if (t.created > w.as_of || (settled && last < w.period.since)) continue;
      Facts wf = facts_of(t, *cfg_, w.period, w.as_of);
      if (!wf.contributes) continue;
      auto it = groups_.find(w.key);
      if (it == groups_.end()) it = groups_.emplace(w.key, empty_metrics(*cfg_)).first;
      add_facts(it->second, wf);
    }
    return;
  }
  auto add_to = [&](std::map<std::string, Metrics>& groups, GroupBy by) {
    std::string key = group_key(t, by);
    auto it = groups.find(key);
    if (it == groups.end()) it = groups.emplace(key, empty_metrics(*cfg_)).first;
    add_facts(it->second, f);
  };
  for (auto& [by, groups] : also_) add_to(groups, by);
  if (s_.by == GroupBy::none) return;
  add_to(groups_, s_.by);
}

void StatsBuilder::also_by(GroupBy by) {
  if (by == GroupBy::week || by == GroupBy::month || by == GroupBy::none) throw std::logic_error("also_by takes a grouping by a field");
  also_[by];
}

Stats StatsBuilder::finish() {
  Stats s = std::move(s_);
  finish_metrics(s.total);
  for (auto& [key, m] : groups_) {
    finish_metrics(m);
    s.groups.push_back({key, std::move(m)});
  }
  groups_.clear();
  std::stable_sort(s.groups.begin(), s.groups.end(), [&](const StatsGroup& a, const StatsGroup& b) {
    size_t ra = group_rank(a.key, s.by, *cfg_), rb = group_rank(b.key, s.by, *cfg_);
    return ra != rb ? ra < rb : a.key < b.key;
  });
  finished_.period = s.period;
  finished_.as_of = s.as_of;
  finished_.total = s.total;
  return s;
}

Stats StatsBuilder::finish_also(GroupBy by) {
  Stats s = finished_;
  s.by = by;
  for (auto& [key, m] : also_[by]) {
    finish_metrics(m);
    s.groups.push_back({key, std::move(m)});
  }
  also_.erase(by);
  std::stable_sort(s.groups.begin(), s.groups.end(), [&](const StatsGroup& a, const StatsGroup& b) {
    size_t ra = group_rank(a.key, s.by, *cfg_), rb = group_rank(b.key, s.by, *cfg_);
    return ra != rb ? ra < rb : a.key < b.key;
  });
  return s;
}

Stats compute_stats(const std::vector<Ticket>& tickets, const Config& cfg, const StatsPeriod& period, GroupBy by, Timestamp now) {
  StatsBuilder b(cfg, period, by, now);
  for (const auto& t : tickets) b.add(t);
  return b.finish();
}

}  // namespace desk
