#pragma once
// Filtering and sorting tickets for `desk list`.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/model/ticket.hpp"

namespace desk {

struct ListFilter {
  bool all = false;  // include resolved and closed (when no status is given)
  std::vector<std::string> statuses, tiers, priorities, assignees, requesters, tags, types;
  std::vector<std::string> vendors;     // the vendor a ticket was escalated to
  std::vector<std::string> waiting_on;  // customer, vendor: pending tickets waiting on them
  std::string text;  // case-insensitive, in title, description, resolution and comments
  // Inclusive bounds on when the ticket was created, last updated, and resolved or closed (the
  // last time it became so; an active ticket has no such time and matches no closed bound).
  std::optional<Timestamp> created_since, created_until, updated_since, updated_until, closed_since, closed_until;
  bool has_csat = false;  // only tickets with a satisfaction rating
  // Only tickets whose customer last heard from the desk (a public reply by someone other than
  // the requester; the creation when there is none) at or before this time: --no-reply-for.
  std::optional<Timestamp> no_reply_since;
  std::string problem;  // only the incidents of this problem (a full id)
};

/// When the customer last heard from the desk: the last public reply by someone other than the
/// requester, or the creation when there is none.
Timestamp last_reply_at(const Ticket& t);

/// When the ticket last became resolved or closed (from its history), or nullopt while active.
std::optional<Timestamp> closed_at(const Ticket& t);

/// True when the ticket passes every filter (values within one filter are alternatives).
bool matches(const Ticket& t, const ListFilter& f);

/// True when a ticket with this status can pass the filter (the status part of matches), so a
/// reader can skip parsing the others.
bool status_wanted(const ListFilter& f, std::string_view status);

/// Sort keys: id, title, status, tier, priority, created, updated, assignee, type, and due (the
/// next SLA due time from `due`, tickets without one last); a leading '-' reverses. Throws
/// Error(usage) for an unknown key.
void sort_tickets(std::vector<Ticket>& tickets, const std::vector<std::string>& keys, const Config& cfg,
                  const std::map<std::string, Timestamp>& due = {});

/// The fields of a ticket that sorting (and a table row) looks at: a reader of many tickets keeps
/// these rather than whole tickets.
struct SortFields {
  std::string id, title, status, waiting_on, tier, priority, assignee, type;
  Timestamp created{}, updated{};
  static SortFields of(const Ticket& t);
};

/// The order sort_tickets puts tickets in, as indices into `tickets`; due[i] is the next SLA due
/// time of tickets[i] (nullopt: none). Throws Error(usage) for an unknown key.
std::vector<size_t> sorted_order(const std::vector<SortFields>& tickets, const std::vector<std::string>& keys, const Config& cfg,
                                 const std::vector<std::optional<Timestamp>>& due);

/// The shortest prefix length (at least 4) that keeps every one of the sorted ids unique.
size_t unique_prefix_length(const std::vector<std::string>& sorted_ids);

}  // namespace desk
