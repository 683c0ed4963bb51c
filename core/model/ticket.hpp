#pragma once
// The ticket: its current state on top and its append-only history below, as one TOML file.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/timeutil.hpp"

namespace desk {

inline constexpr int ticket_format = 1;

/// The five lifecycle states, in order.
inline const std::vector<std::string> all_statuses = {"new", "open", "pending", "resolved", "closed"};

/// True for statuses that are still work to do (new, open, pending).
bool is_active_status(std::string_view status);

struct ChecklistItem {
  std::string text;
  bool done = false;
  bool required = false;  // resolve and close refuse while it is not done (unless forced)
  toml::table extra;  // keys desk does not know, kept as they are
};

/// One field a triage or edit changed.
struct FieldChange {
  FieldChange() = default;
  FieldChange(std::string f, std::string before, std::string after)
      : field(std::move(f)), from(std::move(before)), to(std::move(after)) {}
  std::string field;
  std::string from;
  std::string to;
  toml::table extra;  // keys desk does not know, kept as they are
};

/// One entry of a ticket's history. Which fields are set depends on the action.
struct HistoryEntry {
  std::string id;
  Timestamp at{};
  std::string by;       // "Name <email>"
  std::string action;   // create, comment, triage, assign, escalate, deescalate, wait, resume, ...
  std::string from;     // escalate/deescalate: tiers; assign: previous assignee
  std::string to;
  std::string status;   // the status after this entry, when the entry changed it
  std::string on;       // wait: customer | vendor
  std::string vendor;   // escalate to a vendor tier
  std::string vendor_case;
  bool internal = false;  // comment: an internal note rather than a public reply
  bool notify = false;    // a message to the requester and watchers is queued for this entry (desk mail send)
  std::string message_id; // the mail message this entry came in by, or (action mailed) the one sent
  std::string quoted;     // a reply by mail: the part that quoted earlier messages, kept apart from text
  std::string clock;      // breach: first_response, next_update, resolution
  std::optional<Timestamp> due;  // breach: when the clock was due
  std::vector<FieldChange> changes;
  std::optional<int> step;  // check/uncheck: the checklist step (1-based)
  std::optional<int> csat;
  std::string text;
  toml::table extra;
};

/// The SLA policy a ticket runs under, recorded when it is created or its priority changes, so a
/// later config change does not rewrite the ticket's past.
struct SlaPolicy {
  std::string priority;
  std::string calendar;
  std::optional<std::chrono::seconds> first_response, next_update, resolution;
  toml::table extra;  // keys desk does not know, kept as they are
  bool operator==(const SlaPolicy&) const = default;
};

struct Ticket {
  int format = ticket_format;
  std::string id;
  std::string title;
  std::string status = "new";
  std::string waiting_on;  // customer | vendor, while pending
  std::string tier;
  std::string priority;
  std::string impact;
  std::string urgency;
  std::string type;
  std::string category;
  std::vector<std::string> tags;
  std::vector<std::string> kb;  // slugs of the knowledge-base articles the ticket links to
  std::vector<std::string> watchers;  // people copied on mail about the ticket ("Name <addr>" or addr)
  std::string requester;
  std::string assignee;
  std::string vendor;
  std::string vendor_case;
  std::string template_name;
  Timestamp created{};
  Timestamp updated{};
  std::string resolution;
  std::string duplicate_of;  // the id of the ticket this one duplicates
  std::vector<std::string> related;  // ids of related tickets (desk link writes both tickets)
  std::string parent;   // the id of this ticket's parent (its children are derived, never stored)
  std::string problem;  // the id of the problem that explains this incident (its incidents are derived)
  std::optional<int> csat;
  std::string description;
  std::optional<SlaPolicy> sla;
  std::vector<ChecklistItem> checklist;
  std::vector<HistoryEntry> history;
  toml::table extra;  // keys desk does not know, kept as they are
};

/// Parses a ticket file. Throws Error(invalid) with "path:line:column: what" when the text is not
/// TOML or not a ticket.
Ticket parse_ticket(std::string_view text, std::string_view path);

/// parse_ticket through toml++ alone, never the fast reader (which must agree with it).
Ticket parse_ticket_toml(std::string_view text, std::string_view path);

/// A ticket read by the fast reader for canonical files (core/ticket_fast.cpp), or nullopt
/// when the text is not exactly what emit_ticket writes; parse_ticket tries it first.
std::optional<Ticket> parse_canonical_ticket(std::string_view text);

/// The value of the top-level `status = "..."` line of a ticket file, read without parsing it,
/// or nullopt when there is no such plain line before the first table header (a file written
/// by hand in another style: parse it). Lets a reader skip the files of statuses it does not want.
std::optional<std::string_view> peek_status(std::string_view text);

/// Writes a ticket in canonical form: fixed key order, fixed formatting.
std::string emit_ticket(const Ticket& t);

/// The value of a named scalar field as text ("" when unset), for filters, edits and merges.
/// Returns nullopt for names that are not scalar ticket fields.
std::optional<std::string> ticket_field(const Ticket& t, std::string_view name);

}  // namespace desk
