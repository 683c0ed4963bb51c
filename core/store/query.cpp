#include "core/store/query.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk {

namespace {
bool in(const std::vector<std::string>& set, const std::string& v) {
  return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
}
}  // namespace

bool status_wanted(const ListFilter& f, std::string_view status) {
  if (!f.waiting_on.empty() && status != "pending") return false;
  if (f.statuses.empty()) return f.all || is_active_status(status);
  return std::find(f.statuses.begin(), f.statuses.end(), status) != f.statuses.end();
}

std::optional<Timestamp> closed_at(const Ticket& t) {
  if (t.status != "resolved" && t.status != "closed") return std::nullopt;
  std::optional<Timestamp> at;
  for (const auto& e : t.history)
    if ((e.status == "resolved" || e.status == "closed") && (!at || e.at > *at)) at = e.at;
  return at ? at : std::optional<Timestamp>(t.updated);  // a file written by hand: its last update
}

Timestamp last_reply_at(const Ticket& t) {
  auto addr = [](const std::string& who) {
    auto lt = who.rfind('<');
    auto gt = who.rfind('>');
    return lower(lt != std::string::npos && gt != std::string::npos && gt > lt ? who.substr(lt + 1, gt - lt - 1) : who);
  };
  std::string requester = addr(t.requester);
  Timestamp last = t.created;
  for (const auto& e : t.history)
    if (e.action == "comment" && !e.internal && (requester.empty() || addr(e.by) != requester)) last = std::max(last, e.at);
  return last;
}

bool matches(const Ticket& t, const ListFilter& f) {
  if (!status_wanted(f, t.status)) return false;
  if (!in(f.tiers, t.tier) || !in(f.priorities, t.priority) || !in(f.types, t.type)) return false;
  if (!f.assignees.empty()) {
    bool ok = false;
    for (const auto& a : f.assignees) ok = ok || a == t.assignee || (a == "none" && t.assignee.empty());
    if (!ok) return false;
  }
  if (!in(f.requesters, t.requester)) return false;
  if (!in(f.vendors, t.vendor)) return false;
  if (!f.waiting_on.empty() && (t.status != "pending" || !in(f.waiting_on, t.waiting_on))) return false;
  auto within = [](Timestamp at, const std::optional<Timestamp>& since, const std::optional<Timestamp>& until) {
    return (!since || at >= *since) && (!until || at <= *until);
  };
  if (!within(t.created, f.created_since, f.created_until) || !within(t.updated, f.updated_since, f.updated_until)) return false;
  if (f.closed_since || f.closed_until) {
    auto at = closed_at(t);
    if (!at || !within(*at, f.closed_since, f.closed_until)) return false;
  }
  if (f.has_csat && !t.csat) return false;
  if (!f.problem.empty() && t.problem != f.problem) return false;
  if (f.no_reply_since && last_reply_at(t) > *f.no_reply_since) return false;
  for (const auto& tag : f.tags)
    if (std::find(t.tags.begin(), t.tags.end(), tag) == t.tags.end()) return false;
  if (!f.text.empty()) {
    std::string needle = lower(f.text);
    auto has = [&](const std::string& s) { return lower(s).find(needle) != std::string::npos; };
    bool found = has(t.title) || has(t.description) || has(t.resolution);
    for (const auto& e : t.history) found = found || has(e.text);
    if (!found) return false;
  }
  return true;
}

SortFields SortFields::of(const Ticket& t) {
  return {t.id, t.title, t.status, t.waiting_on, t.tier, t.priority, t.assignee, t.type, t.created, t.updated};
}

std::vector<size_t> sorted_order(const std::vector<SortFields>& tickets, const std::vector<std::string>& keys_in, const Config& cfg,
                                 const std::vector<std::optional<Timestamp>>& due) {
  static const std::vector<std::string> known = {"id", "title", "status", "tier", "priority", "created", "updated", "assignee", "type", "due"};
  std::vector<std::pair<std::string, bool>> keys;
  for (const auto& k : keys_in) {
    bool desc = !k.empty() && k[0] == '-';
    std::string name = desc ? k.substr(1) : k;
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw Error(ErrorKind::usage, fmt::format("cannot sort by '{}'", k), "sort by one of: " + join(known, ", ") + " (a leading - reverses)");
    keys.emplace_back(name, desc);
  }
  keys.emplace_back("created", false);
  keys.emplace_back("id", false);
  auto rank = [](const std::vector<std::string>& order, std::string_view v, size_t unknown) {
    auto it = std::find(order.begin(), order.end(), v);
    return it == order.end() ? unknown : static_cast<size_t>(it - order.begin());
  };
  std::vector<std::string> tier_names, prio_names;
  for (const auto& t : cfg.tiers) tier_names.push_back(t.name);
  for (const auto& p : cfg.priorities) prio_names.push_back(p.name);
  // Each ticket's keys are worked out once, not in every comparison (a list of open work on a
  // large desk sorts tens of thousands of tickets); indices are sorted, not tickets.
  bool need_title = std::any_of(keys.begin(), keys.end(), [](const auto& k) { return k.first == "title"; });
  struct SortKeys {
    size_t status, tier, priority;
    std::string title;
  };
  std::vector<SortKeys> sk(tickets.size());
  for (size_t i = 0; i < tickets.size(); ++i) {
    const SortFields& t = tickets[i];
    sk[i].status = rank(all_statuses, t.status, 99);
    sk[i].tier = rank(tier_names, t.tier, 99);
    sk[i].priority = rank(prio_names, t.priority, 99);
    if (need_title) sk[i].title = lower(t.title);
  }
  static const std::optional<Timestamp> none;
  auto due_of = [&](size_t i) -> const std::optional<Timestamp>& { return i < due.size() ? due[i] : none; };
  auto cmp = [&](size_t ia, size_t ib, const std::string& key) -> int {
    auto three = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
    const SortFields &a = tickets[ia], &b = tickets[ib];
    const SortKeys &ka = sk[ia], &kb = sk[ib];
    if (key == "id") return three(a.id, b.id);
    if (key == "title") return three(ka.title, kb.title);
    if (key == "status") return three(ka.status, kb.status);
    if (key == "tier") return three(ka.tier, kb.tier);
    if (key == "priority") return three(ka.priority, kb.priority);
    if (key == "created") return three(a.created, b.created);
    if (key == "updated") return three(a.updated, b.updated);
    if (key == "assignee") return three(a.assignee, b.assignee);
    if (key == "due") {
      const auto &da = due_of(ia), &db = due_of(ib);
      if (!da || !db) return three(!da, !db);
      return three(*da, *db);
    }
    return three(a.type, b.type);
  };
  std::vector<size_t> order(tickets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (const auto& [k, desc] : keys) {
      int c = cmp(a, b, k);
      if (c != 0) return desc ? c > 0 : c < 0;
    }
    return false;
  });
  return order;
}

void sort_tickets(std::vector<Ticket>& tickets, const std::vector<std::string>& keys, const Config& cfg,
                  const std::map<std::string, Timestamp>& due) {
  std::vector<SortFields> ptrs;
  std::vector<std::optional<Timestamp>> dues;
  for (const auto& t : tickets) {
    ptrs.push_back(SortFields::of(t));
    auto it = due.find(t.id);
    dues.push_back(it == due.end() ? std::nullopt : std::optional(it->second));
  }
  auto order = sorted_order(ptrs, keys, cfg, dues);
  std::vector<Ticket> sorted;
  sorted.reserve(tickets.size());
  for (size_t i : order) sorted.push_back(std::move(tickets[i]));
  tickets = std::move(sorted);
}

size_t unique_prefix_length(const std::vector<std::string>& ids) {
  size_t len = 4;
  for (size_t i = 1; i < ids.size(); ++i) {
    size_t common = 0;
    while (common < ids[i].size() && common < ids[i - 1].size() && ids[i][common] == ids[i - 1][common]) ++common;
    len = std::max(len, common + 1);
  }
  return len;
}

}  // namespace desk
