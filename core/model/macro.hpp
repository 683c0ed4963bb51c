#pragma once
// Macros: canned replies (.desk/macros/NAME.toml). A macro is a text with {placeholders} and the
// steps that go with it: field changes as desk triage makes them, then the text as a public reply
// or internal note, the hand-off note of an escalation or the resolution, and a wait. Applying
// one is a pure transition like those of workflow: one Change per ticket.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/config.hpp"
#include "core/model/ticket.hpp"
#include "core/model/workflow.hpp"
#include "core/store/desk.hpp"

namespace desk {

struct Macro {
  std::string name;         // the file name without .toml
  std::string title;        // one line, for the list
  std::string description;  // what it is for
  std::string reply;        // the text, with {placeholders}; "" for none
  bool internal = false;    // the text is an internal note (or a hand-off note), not a public reply
  std::string wait;         // "", "customer" or "vendor": then wait on them
  std::string status;       // "" or "resolved": resolve with the text as the resolution
  std::string tier;         // "" or the tier to escalate to, the text being the hand-off note
  TriageArgs fields;        // priority, impact, urgency, type, category, tags to add and remove
};

/// The placeholders a macro's text may use, in the order the documentation lists them.
inline const std::vector<std::string> macro_placeholders = {"id", "title", "requester", "requester_name", "assignee", "agent"};

/// Parses a macro file and checks it against the desk's config: the keys and their types, the
/// tier, priority, impact, urgency, type, wait and status values, the placeholders of the text
/// and which steps go together. Throws Error(invalid) with "path:line:column: what".
Macro parse_macro(std::string_view text, std::string_view name, std::string_view path, const Config& cfg);

/// The text with each {name} replaced by vars[name], "{{" and "}}" as literal braces. Throws
/// Error(invalid) naming every placeholder that is not in vars, or a '{' that opens none.
std::string fill_placeholders(std::string_view text, const std::map<std::string, std::string>& vars);

/// The placeholder values for a ticket: {id}, {title}, {requester}, {requester_name} (the
/// requester's first name, or "there"), {assignee}, {agent} (the name of ctx.actor).
std::map<std::string, std::string> macro_values(const Ticket& t, const Context& ctx);

/// Applies a macro to a ticket as one change: the field changes (one triage entry, none when
/// every field already has its value), then the text with its placeholders filled in (a comment,
/// or with a tier the escalation's hand-off note, or with status resolved the resolution), then
/// the wait (none when the ticket already waits on that party). Each step is the workflow's own
/// transition, with its checks (and a resolve, as desk resolve without --force, refuses while
/// required checklist steps are not done). A macro that would change nothing returns the ticket unchanged
/// with an empty subject. Throws Error(invalid) for an unknown placeholder, or what the step
/// that fails throws (Error(state) for a closed ticket it would triage, for instance).
Change apply_macro(Ticket t, const Config& cfg, const Context& ctx, const Macro& m);

/// The names of the macro files at a snapshot (.desk/macros/NAME.toml), sorted, not parsed.
std::vector<std::string> macro_names(const Snapshot& snap);

/// Every macro at a snapshot that parses, sorted by name, and a Problem for each that does not.
std::pair<std::vector<Macro>, std::vector<Problem>> all_macros(const Snapshot& snap, const Config& cfg);

/// One macro by name. Throws Error(not_found) listing the macros there are, Error(invalid) when
/// its file does not parse.
Macro macro_named(const Snapshot& snap, const Config& cfg, std::string_view name);

}  // namespace desk
