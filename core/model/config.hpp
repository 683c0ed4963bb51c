#pragma once
// The desk's policy, read from .desk/config.toml: tiers, priorities and their SLA targets,
// the impact x urgency matrix, types, vendors.
#include <toml++/toml.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/team.hpp"
#include "core/sla/calendar.hpp"

namespace desk {

struct Tier {
  std::string name;   // "L2"
  std::string title;  // "Technical support"
  bool accepts_tickets = true;  // false for L0, the self-service knowledge base
  bool vendor = false;          // escalation here needs --vendor and --case
  std::optional<std::chrono::seconds> time_limit;
  // Limits for one priority or one type ([tiers.time_limits] P1 = "10m", change = "4h"); a
  // priority's wins over a type's, and either over time_limit.
  std::map<std::string, std::chrono::seconds> time_limits;
  std::string owner;           // the queue owner: takes a ticket moved here when nobody is named
  bool keep_assignee = false;  // a ticket moved here keeps its assignee (when there is no owner)

  /// The time limit for a ticket of this priority and type, or nullopt for none.
  std::optional<std::chrono::seconds> limit_for(std::string_view priority, std::string_view type) const {
    if (auto it = time_limits.find(std::string(priority)); it != time_limits.end()) return it->second;
    if (auto it = time_limits.find(std::string(type)); !type.empty() && it != time_limits.end()) return it->second;
    return time_limit;
  }
};

struct Priority {
  std::string name;   // "P2"
  std::string title;  // "High"
  std::optional<std::chrono::seconds> first_response;
  std::optional<std::chrono::seconds> next_update;
  std::optional<std::chrono::seconds> resolution;
  std::string calendar;  // empty: the desk's default calendar
};

struct Vendor {
  std::string name;
  std::string title;
};

/// Mail to and from customers ([mail]): desk mail send and receive. Off while address is empty.
struct MailConfig {
  std::string address;   // the desk's own address: From of every message, and how desk knows its own mail
  std::string name;      // the display name of From ("" : the desk's name)
  std::string reply_to;  // Reply-To, when replies should go elsewhere
  std::chrono::seconds reopen_within{std::chrono::hours(24 * 14)};  // a reply to a resolved ticket reopens it within this
  int max_per_sender_per_hour = 20;     // more messages from one address in an hour are refused (a loop)
  int64_t max_message_bytes = 10 << 20;  // larger messages are refused whole
  int64_t max_attachment_bytes = 5 << 20;  // larger attachments are listed, not kept
  bool enabled() const { return !address.empty(); }
};

/// The newest desk format this build reads and writes (`format` in .desk/config.toml).
constexpr int64_t current_format = 1;

struct Config {
  /// The config's `format`; 0 when the key is absent (a desk written before it existed).
  int64_t format = 0;
  std::string name = "desk";
  std::string default_tier;
  std::string default_priority;
  std::string default_type;
  std::vector<Tier> tiers;  // lowest first
  std::vector<Priority> priorities;  // most urgent first
  std::vector<std::string> impacts;
  std::vector<std::string> urgencies;
  std::map<std::string, std::map<std::string, std::string>> matrix;  // impact -> urgency -> priority
  std::vector<std::string> types;
  std::vector<Vendor> vendors;  // empty: any vendor name is accepted
  std::map<std::string, Calendar> calendars;  // always has "24x7"
  std::string default_calendar = "24x7";
  double at_risk = 0.75;  // a running clock is at risk once it has used this share of its target
  std::vector<double> warn_at = {0.5, 0.75};  // warning levels reported per clock; the last is at_risk
  MailConfig mail;
  std::vector<Person> team;  // [[team]]; empty: assignees are free strings
  toml::table raw;

  /// A calendar by name; throws Error(invalid) when there is none.
  const Calendar& calendar(std::string_view name) const;

  /// Index of a tier in `tiers`, or nullopt.
  std::optional<size_t> tier_index(std::string_view name) const;
  /// Index of a priority in `priorities`, or nullopt.
  std::optional<size_t> priority_index(std::string_view name) const;
  /// The lowest tier that accepts tickets.
  const Tier& lowest_ticket_tier() const;
  /// Priority from impact x urgency, or nullopt when the matrix has no entry.
  std::optional<std::string> derive_priority(std::string_view impact, std::string_view urgency) const;

  /// Each of these throws Error(usage) naming the value and listing the allowed ones: a value
  /// that is not in the config is a wrong command line.
  void require_tier(std::string_view name) const;
  void require_priority(std::string_view name) const;
  void require_impact(std::string_view name) const;
  void require_urgency(std::string_view name) const;
  void require_type(std::string_view name) const;
};

/// Parses a config file; throws Error(invalid) with "path:line:column: what".
Config parse_config(std::string_view text, std::string_view path);

/// The commented config `desk init` writes.
std::string_view default_config_text();

}  // namespace desk
