#include "core/query.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"

namespace desk {

namespace {
bool in(const std::vector<std::string>& set, const std::string& v) {
  return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
}
}  // namespace

bool status_wanted(const ListFilter& f, std::string_view status) {
  if (f.statuses.empty()) return f.all || is_active_status(status);
  return std::find(f.statuses.begin(), f.statuses.end(), status) != f.statuses.end();
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

void sort_tickets(std::vector<Ticket>& tickets, const std::vector<std::string>& keys_in, const Config& cfg,
                  const std::map<std::string, Timestamp>& due) {
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
  auto cmp = [&](const Ticket& a, const Ticket& b, const std::string& key) -> int {
    auto three = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (key == "id") return three(a.id, b.id);
    if (key == "title") return three(lower(a.title), lower(b.title));
    if (key == "status") return three(rank(all_statuses, a.status, 99), rank(all_statuses, b.status, 99));
    if (key == "tier") return three(rank(tier_names, a.tier, 99), rank(tier_names, b.tier, 99));
    if (key == "priority") return three(rank(prio_names, a.priority, 99), rank(prio_names, b.priority, 99));
    if (key == "created") return three(a.created, b.created);
    if (key == "updated") return three(a.updated, b.updated);
    if (key == "assignee") return three(a.assignee, b.assignee);
    if (key == "due") {
      auto da = due.find(a.id), db = due.find(b.id);
      if (da == due.end() || db == due.end()) return three(da == due.end(), db == due.end());
      return three(da->second, db->second);
    }
    return three(a.type, b.type);
  };
  std::stable_sort(tickets.begin(), tickets.end(), [&](const Ticket& a, const Ticket& b) {
    for (const auto& [k, desc] : keys) {
      int c = cmp(a, b, k);
      if (c != 0) return desc ? c > 0 : c < 0;
    }
    return false;
  });
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
