#pragma once
// The ticket lifecycle as pure functions: (ticket, config, context, arguments) -> change.
// No I/O: the commit engine turns a Change into one commit.
#include <optional>
#include <string>
#include <vector>

#include "core/model/config.hpp"
#include "core/model/id.hpp"
#include "core/model/template.hpp"
#include "core/model/ticket.hpp"
#include "core/util/timeutil.hpp"

namespace desk {

/// Who acts, when, and where new ids come from.
struct Context {
  Timestamp now{};
  std::string actor;  // "Name <email>"
  RandomSource rng;
};

/// The result of a transition: the new ticket, and what the commit says about it.
struct Change {
  Ticket ticket;
  std::string action;   // Desk-Action trailer
  std::string subject;  // commit subject
  std::string body;     // commit body (the note, the reason, the resolution)
};

struct NewTicketArgs {
  std::string title;
  std::string description;
  std::optional<std::string> priority, type, tier, impact, urgency, category, requester, assignee;
  std::vector<std::string> tags;
};

/// A new ticket (status new), pre-filled from a template when one is given; explicit arguments
/// win over the template, the template over the config defaults. The id is fresh and not in
/// `taken`. Throws Error(invalid) for a bad title or an unknown tier, priority, type.
Change create_ticket(const Config& cfg, const Context& ctx, const NewTicketArgs& args, const Template* tmpl,
                     const std::function<bool(const std::string&)>& taken);

struct TriageArgs {
  std::optional<std::string> title, priority, impact, urgency, type, category;
  std::vector<std::string> add_tags, remove_tags;
};

/// Sets the title and classification fields; priority is derived from impact x urgency unless given. A new
/// ticket becomes open. Throws Error(usage) when nothing would change.
Change triage(Ticket t, const Config& cfg, const Context& ctx, const TriageArgs& args);

/// Assigns (or with an empty user, unassigns) the ticket.
Change assign(Ticket t, const Context& ctx, const std::string& user);

/// Adds a public reply or, with internal, an internal note.
Change comment(Ticket t, const Context& ctx, const std::string& text, bool internal);

struct EscalateArgs {
  std::optional<std::string> to;
  std::string note;
  std::optional<std::string> vendor, vendor_case;
  std::optional<std::string> assignee;  // who takes it in the new tier (recorded as a field change)
};

/// Moves the ticket up: to the next tier, or to `to`. The hand-off note is mandatory; a vendor
/// tier needs vendor and case. The ticket is held by `assignee` when given (resolved against the
/// team), else by the new tier's owner, the same assignee where the tier keeps it, or nobody.
Change escalate(Ticket t, const Config& cfg, const Context& ctx, const EscalateArgs& args);

/// Moves the ticket down: to the next lower tier that takes tickets, or to `to`, with a note.
/// The ticket goes to the tier below (or `to`), held by `assignee` when given (a name already
/// resolved against the team), else by the tier's owner, the same assignee where the tier keeps
/// it, or nobody.
Change deescalate(Ticket t, const Config& cfg, const Context& ctx, const std::optional<std::string>& to, const std::string& note,
                  const std::optional<std::string>& assignee = std::nullopt);

/// Pauses the ticket waiting on the customer or a vendor.
Change wait(Ticket t, const Context& ctx, const std::string& on, const std::string& text);

/// Ends a wait.
Change resume(Ticket t, const Context& ctx, const std::string& text);

/// A message from the customer (a reply by mail): a public comment by ctx.actor that does not
/// change the status (a customer's words are not a response), with the Message-ID and the part
/// of the mail that quoted earlier messages.
Change customer_message(Ticket t, const Context& ctx, const std::string& text, const std::string& message_id,
                        const std::string& quoted);

/// The customer's satisfaction rating (1..5) of a closed ticket, given after it closed (a reply
/// to the survey): a rate entry, the ticket's csat set. Throws Error(state) when it has one.
Change rate(Ticket t, const Context& ctx, int csat, const std::string& text);

/// Throws Error(state) listing the required checklist steps of t not done, for `verb` (resolve,
/// close), with the hint to tick them off or to force it.
void require_required_steps(const Ticket& t, const std::string& verb);

/// Resolves with the resolution text (mandatory).
Change resolve(Ticket t, const Context& ctx, const std::string& resolution);

/// Closes a resolved ticket, optionally recording satisfaction 1..5.
Change close(Ticket t, const Context& ctx, std::optional<int> csat, const std::string& text);

/// Reopens a resolved or closed ticket (reason mandatory).
Change reopen(Ticket t, const Context& ctx, const std::string& reason);

/// Ticks off (or with undo, un-ticks) checklist step `step` (1-based).
Change check(Ticket t, const Context& ctx, int step, bool undo);
/// Several steps in one change: each ticked (or unticked) in turn, one history entry each.
Change check_steps(Ticket t, const Context& ctx, const std::vector<int>& steps, bool undo);

/// Links the ticket to knowledge-base articles, or with remove unlinks them: one link (unlink)
/// history entry per slug, to = "kb/SLUG". Throws Error(invalid) for a malformed slug,
/// Error(state) when an article is already linked (not linked, for remove).
Change link_articles(Ticket t, const Context& ctx, const std::vector<std::string>& slugs, bool remove);

/// Marks the ticket a duplicate of `other` (a full id), or with remove clears the mark; the
/// history entry is link (unlink) with to = the other id. `duplicate_of(id)` returns another
/// ticket's duplicate_of ("" when none), to refuse a chain that leads back to this ticket.
/// Throws Error(invalid) for a self-duplicate or a cycle, Error(state) when nothing changes.
Change mark_duplicate(Ticket t, const Context& ctx, const std::string& other, bool remove,
                      const std::function<std::string(const std::string&)>& duplicate_of);

/// Closes an active or resolved ticket as a duplicate of `other` in one change: the link entry,
/// resolution "duplicate of OTHER", and a close entry. Checks as mark_duplicate does.
Change close_duplicate(Ticket t, const Context& ctx, const std::string& other, const std::string& text,
                       const std::function<std::string(const std::string&)>& duplicate_of);

/// The type a problem ticket has (desk new --problem); incidents name one in `problem`.
inline constexpr std::string_view problem_type = "problem";

/// Relates two tickets (symmetric), or with remove unrelates them: each ticket lists the other in
/// `related`, so the result is one change per ticket that changed (two, or one when a hand edit
/// left the relation on one side only), each with a link (unlink) entry, to = "related/OTHER".
/// Throws Error(invalid) for a ticket related to itself, Error(state) when nothing changes.
std::vector<Change> relate(Ticket a, Ticket b, const Context& ctx, bool remove);

/// Makes `parent` (a full id) the ticket's parent, or with remove clears it; the history entry is
/// link (unlink) with to = "parent/ID". `parent_of(id)` returns another ticket's parent ("" when
/// none), to refuse a cycle. Throws Error(invalid) for itself or a cycle, Error(state) when
/// nothing changes.
Change set_parent(Ticket t, const Context& ctx, const std::string& parent, bool remove,
                  const std::function<std::string(const std::string&)>& parent_of);

/// Links an incident to the problem that explains it (type problem), or with remove unlinks it;
/// the history entry is link (unlink) with to = "problem/ID". Throws Error(invalid) for itself
/// or a ticket that is not a problem, Error(state) when nothing changes.
Change link_problem(Ticket incident, const Context& ctx, const Ticket& problem, bool remove);

/// Accepts a hand edit: validates the edited ticket against the original (same id, history
/// unchanged, known statuses/tiers/priorities) and records which fields changed.
/// Throws Error(invalid) explaining what is wrong, or Error(usage) when nothing changed.
Change edited(const Ticket& before, Ticket after, const Config& cfg, const Context& ctx);

/// Throws Error(invalid) when a title is empty, multi-line, too long or has control characters.
void validate_title(const std::string& title);

/// Normalizes a text (CRLF to LF, trailing white space trimmed). Throws Error(usage) naming
/// `what` when the text is empty.
std::string require_text(const std::string& text, const std::string& what, const std::string& hint);

/// The short form of an id used in commit subjects.
std::string short_id(const std::string& id);

}  // namespace desk
