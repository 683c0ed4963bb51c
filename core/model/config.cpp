#include "core/model/config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/model/toml_reader.hpp"
#include "core/model/toml_writer.hpp"
#include "core/util/text.hpp"
#include "core/util/timeutil.hpp"

namespace desk {

namespace {

constexpr std::string_view default_config = R"(# desk configuration. desk reads this file on every command; edit it and commit.
format = 1
name = "Help desk"

# What `desk new` uses when neither a template nor an option says otherwise.
default_tier = "L1"
default_priority = "P3"
default_type = "incident"

types = ["incident", "service-request", "problem", "question", "change"]

# Priority from impact x urgency (`desk triage --impact --urgency`): see [matrix] below.
impacts = ["high", "medium", "low"]
urgencies = ["high", "medium", "low"]

# Tiers, lowest first. `escalate` moves a ticket one tier up unless --to names another.
# time_limit: how long a ticket may stay unresolved in the tier before `desk sweep` escalates it.
# A vendor tier needs --vendor and --case on escalation and is never entered automatically.
# Who holds a ticket moved into a tier (by escalate, deescalate or the sweep) when the command
# names nobody (--assign): the tier's owner = "NAME" (its queue owner) if it has one, else the
# same assignee if keep_assignee = true, else nobody.
[[tiers]]
name = "L0"
title = "Self-service"
accepts_tickets = false

[[tiers]]
name = "L1"
title = "Service desk"
time_limit = "30m"
# time_limits = { P1 = "10m", change = "4h" }   # per priority or type; a priority's wins

[[tiers]]
name = "L2"
title = "Technical support"
time_limit = "8h"

[[tiers]]
name = "L3"
title = "Experts and engineers"

[[tiers]]
name = "L4"
title = "External vendors"
vendor = true
keep_assignee = true   # someone chases the vendor

# Priorities, most urgent first, with SLA targets counted in business time on the priority's
# calendar (default: [sla] default_calendar). Durations are wall-clock units of business time:
# "8h" is one business day of a 09:00-17:00 calendar; "1d" would be 24 business hours.
[[priorities]]
name = "P1"
title = "Critical"
first_response = "15m"
next_update = "1h"
resolution = "4h"
calendar = "24x7"

[[priorities]]
name = "P2"
title = "High"
first_response = "1h"
next_update = "4h"
resolution = "8h"

[[priorities]]
name = "P3"
title = "Medium"
first_response = "4h"
next_update = "8h"
resolution = "24h"

[[priorities]]
name = "P4"
title = "Low"
first_response = "8h"
next_update = "24h"
resolution = "40h"

[[priorities]]
name = "P5"
title = "Planning"
first_response = "24h"
next_update = "40h"
resolution = "160h"

# Rows are impacts, columns urgencies.
[matrix.high]
high = "P1"
medium = "P2"
low = "P3"

[matrix.medium]
high = "P2"
medium = "P3"
low = "P4"

[matrix.low]
high = "P3"
medium = "P4"
low = "P5"

# Vendors a ticket may be escalated to (`desk escalate ID --to L4 --vendor NAME --case REF`).
# With none listed, any vendor name is accepted.
[[vendors]]
name = "acme-networks"
title = "ACME Networks support"

[[vendors]]
name = "contoso-cloud"
title = "Contoso Cloud"

# SLA clocks run in business time. Each clock reports the highest warning level of warn_at it
# has used (show and --json); it is "at risk" from the last level on and "breached" past its
# target. Waiting on the customer pauses the resolution and update clocks; waiting on a vendor
# pauses only the tier clock.
[sla]
default_calendar = "business"
warn_at = [0.5, 0.75]

# Business hours: an IANA time zone, hours per weekday (a day without hours is closed; several
# ranges with commas: "09:00-12:00,13:00-17:00"), and holidays. A calendar with always = true is
# 24x7; "24x7" always exists. A priority may name its own: calendar = "24x7".
[calendars.business]
timezone = "UTC"
mon = "09:00-17:00"
tue = "09:00-17:00"
wed = "09:00-17:00"
thu = "09:00-17:00"
fri = "09:00-17:00"
holidays = ["2026-12-25", "2026-12-26", "2027-01-01"]

# The team (desk team add NAME --email EMAIL --tier L1): with people listed here, an assignee is
# one of them, typed by name, email or a unique prefix, and `me` is the one with your git email.
# Without any, assignees are free names.
# [[team]]
# name = "bo"
# email = "bo@example.com"
# tiers = ["L1", "L2"]

# Mail with customers (desk mail receive, desk mail send; see desk-mail(1)): off until the desk's
# own address is set. The program that sends is DESK_SENDMAIL or `git config desk.sendmail`,
# never this file.
# [mail]
# address = "help@example.com"
# name = "Example Help Desk"
# reopen_within = "14d"
)";

[[noreturn]] void fail_at(std::string_view path, const toml::node& n, const std::string& what) {
  throw Error(ErrorKind::invalid, fmt::format("{}:{}:{}: {}", path, n.source().begin.line, n.source().begin.column, what),
              "fix .desk/config.toml and commit it");
}

std::string get_str(const toml::table& t, std::string_view key, std::string_view path, const std::string& fallback = {}) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  if (!n->is_string()) fail_at(path, *n, fmt::format("'{}' must be a string", key));
  return n->as_string()->get();
}

std::vector<std::string> get_strs(const toml::table& t, std::string_view key, std::string_view path) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  auto* a = n->as_array();
  if (!a) fail_at(path, *n, fmt::format("'{}' must be an array of strings", key));
  for (auto&& el : *a) {
    if (!el.is_string()) fail_at(path, el, fmt::format("'{}' must be an array of strings", key));
    out.push_back(el.as_string()->get());
  }
  return out;
}

std::optional<std::chrono::seconds> get_duration(const toml::table& t, std::string_view key, std::string_view path) {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail_at(path, *n, fmt::format("'{}' must be a duration such as \"30m\" or \"1d\"", key));
  auto d = parse_duration(n->as_string()->get());
  if (!d) fail_at(path, *n, fmt::format("'{}' must be a duration such as \"30m\" or \"1d\"", key));
  return d;
}

bool get_bool(const toml::table& t, std::string_view key, std::string_view path, bool fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  if (!n->is_boolean()) fail_at(path, *n, fmt::format("'{}' must be true or false", key));
  return n->as_boolean()->get();
}

template <typename F>
void each_table(const toml::table& root, std::string_view key, std::string_view path, F f) {
  const toml::node* n = root.get(key);
  if (!n) return;
  auto* a = n->as_array();
  if (!a) fail_at(path, *n, fmt::format("'{}' must be an array of tables ([[{}]])", key, key));
  for (auto&& el : *a) {
    auto* t = el.as_table();
    if (!t) fail_at(path, el, fmt::format("'{}' must be an array of tables ([[{}]])", key, key));
    f(*t);
  }
}

[[noreturn]] void unknown(std::string_view what, std::string_view value, const std::vector<std::string>& allowed) {
  throw Error(ErrorKind::usage, fmt::format("unknown {} '{}'", what, value),
              allowed.empty() ? fmt::format("no {}s are configured in .desk/config.toml", what)
                              : fmt::format("use one of: {}", join(allowed, ", ")));
}

}  // namespace

std::string_view default_config_text() { return default_config; }

Config parse_config(std::string_view text, std::string_view path) {
  Config c;
  try {
    c.raw = parse_toml(text, path);
  } catch (const toml::parse_error& err) {
    throw Error(ErrorKind::invalid,
                fmt::format("{}:{}:{}: {}", path, err.source().begin.line, err.source().begin.column, err.description()),
                "fix .desk/config.toml and commit it");
  }
  const toml::table& root = c.raw;
  // A desk written by a newer desk: refuse before reading (and so before writing) anything.
  if (const toml::node* f = root.get("format")) {
    auto v = f->value<int64_t>();
    if (!v || *v < 1) fail_at(path, *f, "'format' must be a positive integer");
    if (*v > current_format)
      throw Error(ErrorKind::invalid,
                  fmt::format("{}: this desk is format {}, written by a newer desk; this desk knows format {} and will not touch it", path, *v, current_format),
                  "upgrade desk (everyone sharing the desk needs the newer version)");
    c.format = *v;
  }
  c.name = get_str(root, "name", path, "desk");
  each_table(root, "tiers", path, [&](const toml::table& t) {
    Tier tier;
    tier.name = get_str(t, "name", path);
    if (!is_valid_name(tier.name)) fail_at(path, t, "every tier needs a name");
    tier.title = get_str(t, "title", path);
    tier.accepts_tickets = get_bool(t, "accepts_tickets", path, true);
    tier.vendor = get_bool(t, "vendor", path, false);
    tier.time_limit = get_duration(t, "time_limit", path);
    if (const toml::node* n = t.get("time_limits")) {
      auto* lt = n->as_table();
      if (!lt) fail_at(path, *n, "'time_limits' must be a table of priority or type = duration, such as { P1 = \"10m\" }");
      for (auto&& [key, v] : *lt) {
        auto d = v.is_string() ? parse_duration(v.as_string()->get()) : std::nullopt;
        if (!d) fail_at(path, v, fmt::format("time limit '{}' must be a duration such as \"30m\"", std::string(key.str())));
        tier.time_limits[std::string(key.str())] = *d;
      }
    }
    tier.owner = get_str(t, "owner", path);
    tier.keep_assignee = get_bool(t, "keep_assignee", path, false);
    if (c.tier_index(tier.name)) fail_at(path, t, fmt::format("tier '{}' is defined twice", tier.name));
    c.tiers.push_back(std::move(tier));
  });
  each_table(root, "priorities", path, [&](const toml::table& t) {
    Priority p;
    p.name = get_str(t, "name", path);
    if (!is_valid_name(p.name)) fail_at(path, t, "every priority needs a name");
    p.title = get_str(t, "title", path);
    p.first_response = get_duration(t, "first_response", path);
    p.next_update = get_duration(t, "next_update", path);
    p.resolution = get_duration(t, "resolution", path);
    p.calendar = get_str(t, "calendar", path);
    if (c.priority_index(p.name)) fail_at(path, t, fmt::format("priority '{}' is defined twice", p.name));
    c.priorities.push_back(std::move(p));
  });
  each_table(root, "vendors", path, [&](const toml::table& t) {
    c.vendors.push_back({get_str(t, "name", path), get_str(t, "title", path)});
  });
  each_table(root, "team", path, [&](const toml::table& t) {
    Person p;
    p.name = trim(get_str(t, "name", path));
    p.email = lower(trim(get_str(t, "email", path)));
    if (std::string why = person_problem(p); !why.empty()) fail_at(path, t, "[[team]]: " + why);
    p.tiers = get_strs(t, "tiers", path);
    for (auto&& [key, node] : t)
      if (key != "name" && key != "email" && key != "tiers")
        fail_at(path, node, fmt::format("unknown key '{}' in [[team]]; a person has name, email and tiers", std::string(key.str())));
    for (const auto& q : c.team) {
      if (lower(q.name) == lower(p.name)) fail_at(path, t, fmt::format("'{}' is on the team twice", p.name));
      if (!p.email.empty() && q.email == p.email) fail_at(path, t, fmt::format("'{}' and '{}' have the same email", q.name, p.name));
    }
    c.team.push_back(std::move(p));
  });
  if (c.tiers.empty()) throw Error(ErrorKind::invalid, fmt::format("{}: no [[tiers]] defined", path), "add tiers to .desk/config.toml");
  if (c.priorities.empty())
    throw Error(ErrorKind::invalid, fmt::format("{}: no [[priorities]] defined", path), "add priorities to .desk/config.toml");
  bool any_accepts = std::any_of(c.tiers.begin(), c.tiers.end(), [](const Tier& t) { return t.accepts_tickets; });
  if (!any_accepts) throw Error(ErrorKind::invalid, fmt::format("{}: no tier accepts tickets", path));
  for (const auto& p : c.team)
    for (const auto& tier : p.tiers)
      if (!c.tier_index(tier))
        throw Error(ErrorKind::invalid, fmt::format("{}: '{}' of the team works in unknown tier '{}'", path, p.name, tier),
                    "use the names of [[tiers]]");
  for (const auto& tier : c.tiers) {
    if (tier.owner.empty()) continue;
    if (!c.team.empty() && std::none_of(c.team.begin(), c.team.end(), [&](const Person& p) { return p.name == tier.owner; }))
      throw Error(ErrorKind::invalid, fmt::format("{}: the owner of tier {}, '{}', is not on the team", path, tier.name, tier.owner),
                  "add them with desk team add, or name one of: " + team_list(c));
    if (!is_valid_name(tier.owner))
      throw Error(ErrorKind::invalid, fmt::format("{}: the owner of tier {} is not a valid name", path, tier.name));
  }
  c.impacts = get_strs(root, "impacts", path);
  c.urgencies = get_strs(root, "urgencies", path);
  c.types = get_strs(root, "types", path);
  for (const auto& tier : c.tiers)
    for (const auto& [key, d] : tier.time_limits)
      if (!c.priority_index(key) && std::find(c.types.begin(), c.types.end(), key) == c.types.end())
        throw Error(ErrorKind::invalid, fmt::format("{}: tier {} has a time limit for '{}', which is neither a priority nor a type", path, tier.name, key),
                    "key time_limits by the names of [[priorities]] or types");
  if (auto* m = root.get_as<toml::table>("matrix")) {
    for (auto&& [impact, row] : *m) {
      auto* rt = row.as_table();
      if (!rt) fail_at(path, row, "matrix rows must be tables of urgency = priority");
      for (auto&& [urgency, prio] : *rt) {
        if (!prio.is_string()) fail_at(path, prio, "matrix entries must be priority names");
        std::string pn = prio.as_string()->get();
        if (!c.priority_index(pn)) fail_at(path, prio, fmt::format("matrix names unknown priority '{}'", pn));
        c.matrix[std::string(impact.str())][std::string(urgency.str())] = pn;
      }
    }
  }
  c.calendars.emplace("24x7", Calendar::always_open("24x7"));
  if (const toml::node* n = root.get("calendars")) {
    auto* cals = n->as_table();
    if (!cals) fail_at(path, *n, "'calendars' must be a table of [calendars.NAME] tables");
    static const char* day_keys[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (auto&& [name, node] : *cals) {
      auto* ct = node.as_table();
      if (!ct) fail_at(path, node, "each calendar must be a table");
      std::string cname(name.str());
      if (get_bool(*ct, "always", path, false)) {
        c.calendars.insert_or_assign(cname, Calendar::always_open(cname));
        continue;
      }
      std::array<std::vector<std::pair<int, int>>, 7> hours;
      for (int d = 0; d < 7; ++d) {
        const toml::node* h = ct->get(day_keys[d]);
        if (!h) continue;
        auto parsed = h->is_string() ? Calendar::parse_hours(h->as_string()->get()) : std::nullopt;
        if (!parsed) fail_at(path, *h, fmt::format("'{}' must be hours such as \"09:00-17:00\" or \"09:00-12:00,13:00-17:00\"", day_keys[d]));
        hours[static_cast<size_t>(d)] = *parsed;
      }
      std::set<std::chrono::sys_days> holidays;
      if (const toml::node* hn = ct->get("holidays")) {
        auto* arr = hn->as_array();
        if (!arr) fail_at(path, *hn, "'holidays' must be an array of dates such as \"2026-12-25\"");
        for (auto&& el : *arr) {
          std::optional<Timestamp> day;
          if (auto* d = el.as_date())
            day = Timestamp{std::chrono::sys_days{std::chrono::year{d->get().year} / static_cast<int>(d->get().month) / static_cast<int>(d->get().day)}};
          else if (el.is_string() && el.as_string()->get().size() == 10)
            day = parse_time(el.as_string()->get());
          if (!day) fail_at(path, el, "'holidays' must be an array of dates such as \"2026-12-25\"");
          holidays.insert(std::chrono::floor<std::chrono::days>(*day));
        }
      }
      try {
        c.calendars.insert_or_assign(cname, Calendar::weekly(cname, get_str(*ct, "timezone", path, "UTC"), hours, holidays));
      } catch (const Error& e) {
        fail_at(path, ct->get("timezone") ? *ct->get("timezone") : node, e.what());
      }
    }
  }
  if (const toml::node* n = root.get("sla")) {
    auto* st = n->as_table();
    if (!st) fail_at(path, *n, "'sla' must be a table");
    c.default_calendar = get_str(*st, "default_calendar", path, c.calendars.count("business") ? "business" : "24x7");
    if (const toml::node* w = st->get("warn_at")) {
      auto* arr = w->as_array();
      std::vector<double> levels;
      if (arr)
        for (auto&& el : *arr) {
          auto v = el.value<double>();
          if (!v || *v <= 0 || *v >= 1 || (!levels.empty() && *v <= levels.back())) {
            levels.clear();
            break;
          }
          levels.push_back(*v);
        }
      if (levels.empty())
        fail_at(path, *w, "'warn_at' must be increasing shares between 0 and 1, such as [0.5, 0.75]");
      c.warn_at = levels;
      c.at_risk = levels.back();
    }
    if (const toml::node* r = st->get("at_risk")) {  // a single level, as older desks wrote it
      auto v = r->value<double>();
      if (!v || *v <= 0 || *v >= 1) fail_at(path, *r, "'at_risk' must be a number between 0 and 1, such as 0.75");
      c.at_risk = *v;
      c.warn_at = {*v};
    }
  } else if (c.calendars.count("business")) {
    c.default_calendar = "business";
  }
  if (const toml::node* n = root.get("mail")) {
    auto* mt = n->as_table();
    if (!mt) fail_at(path, *n, "'mail' must be a table");
    c.mail.address = lower(trim(get_str(*mt, "address", path)));
    if (!c.mail.address.empty() && (c.mail.address.find('@') == std::string::npos || c.mail.address.find_first_of(" <>\"") != std::string::npos))
      fail_at(path, *mt->get("address"), "'address' must be a mail address such as help@example.com");
    c.mail.name = get_str(*mt, "name", path);
    c.mail.reply_to = trim(get_str(*mt, "reply_to", path));
    if (auto d = get_duration(*mt, "reopen_within", path)) c.mail.reopen_within = *d;
    auto count = [&](const char* key, int64_t& out, int64_t lo) {
      const toml::node* v = mt->get(key);
      if (!v) return;
      auto i = v->value<int64_t>();
      if (!v->is_integer() || !i || *i < lo) fail_at(path, *v, fmt::format("'{}' must be a whole number of at least {}", key, lo));
      out = *i;
    };
    int64_t per_hour = c.mail.max_per_sender_per_hour;
    count("max_per_sender_per_hour", per_hour, 1);
    c.mail.max_per_sender_per_hour = static_cast<int>(std::min<int64_t>(per_hour, 1000000));
    count("max_message_bytes", c.mail.max_message_bytes, 1024);
    count("max_attachment_bytes", c.mail.max_attachment_bytes, 0);
  }
  if (!c.calendars.count(c.default_calendar))
    throw Error(ErrorKind::invalid, fmt::format("{}: default_calendar '{}' is not defined", path, c.default_calendar),
                "define it under [calendars.NAME] or use \"24x7\"");
  for (const auto& p : c.priorities)
    if (!p.calendar.empty() && !c.calendars.count(p.calendar))
      throw Error(ErrorKind::invalid, fmt::format("{}: priority {} names unknown calendar '{}'", path, p.name, p.calendar),
                  "define it under [calendars.NAME] or use \"24x7\"");
  c.default_tier = get_str(root, "default_tier", path, c.lowest_ticket_tier().name);
  if (auto i = c.tier_index(c.default_tier); !i || !c.tiers[*i].accepts_tickets)
    fail_at(path, *root.get("default_tier"), fmt::format("default_tier '{}' is not a tier that accepts tickets", c.default_tier));
  c.default_priority = get_str(root, "default_priority", path, c.priorities[c.priorities.size() / 2].name);
  if (!c.priority_index(c.default_priority))
    fail_at(path, *root.get("default_priority"), fmt::format("default_priority '{}' is not a priority", c.default_priority));
  c.default_type = get_str(root, "default_type", path, c.types.empty() ? "" : c.types.front());
  return c;
}

const Calendar& Config::calendar(std::string_view n) const {
  auto it = calendars.find(std::string(n.empty() ? std::string_view(default_calendar) : n));
  if (it == calendars.end())
    throw Error(ErrorKind::invalid, fmt::format("no calendar '{}' in .desk/config.toml", std::string(n)),
                "define it under [calendars.NAME] or use \"24x7\"");
  return it->second;
}

std::optional<size_t> Config::tier_index(std::string_view n) const {
  for (size_t i = 0; i < tiers.size(); ++i)
    if (tiers[i].name == n) return i;
  return std::nullopt;
}

std::optional<size_t> Config::priority_index(std::string_view n) const {
  for (size_t i = 0; i < priorities.size(); ++i)
    if (priorities[i].name == n) return i;
  return std::nullopt;
}

const Tier& Config::lowest_ticket_tier() const {
  for (const auto& t : tiers)
    if (t.accepts_tickets) return t;
  return tiers.front();
}

std::optional<std::string> Config::derive_priority(std::string_view impact, std::string_view urgency) const {
  auto row = matrix.find(std::string(impact));
  if (row == matrix.end()) return std::nullopt;
  auto cell = row->second.find(std::string(urgency));
  if (cell == row->second.end()) return std::nullopt;
  return cell->second;
}

void Config::require_tier(std::string_view n) const {
  if (tier_index(n)) return;
  std::vector<std::string> names;
  for (const auto& t : tiers) names.push_back(t.name);
  unknown("tier", n, names);
}

void Config::require_priority(std::string_view n) const {
  if (priority_index(n)) return;
  std::vector<std::string> names;
  for (const auto& p : priorities) names.push_back(p.name);
  unknown("priority", n, names);
}

void Config::require_impact(std::string_view n) const {
  if (std::find(impacts.begin(), impacts.end(), n) == impacts.end()) unknown("impact", n, impacts);
}

void Config::require_urgency(std::string_view n) const {
  if (std::find(urgencies.begin(), urgencies.end(), n) == urgencies.end()) unknown("urgency", n, urgencies);
}

void Config::require_type(std::string_view n) const {
  if (types.empty()) return;
  if (std::find(types.begin(), types.end(), n) == types.end()) unknown("type", n, types);
}

}  // namespace desk
