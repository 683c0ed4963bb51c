#pragma once
// Mail in: which ticket a message belongs to, and the change it makes there (or the ticket it
// opens). Pure: the lookups are parameters, the caller commits.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/mail/message.hpp"
#include "core/model/config.hpp"
#include "core/model/workflow.hpp"

namespace desk::mail {

/// Why a message is not taken at all (a loop, a bounce, desk's own mail), or "".
std::string refusal(const Inbound& m, const MailConfig& cfg);

/// The ticket a message threads into, and by what: its In-Reply-To, then its References newest
/// first (each looked up by lookup, which returns the tickets whose history holds that
/// Message-ID, and by the ticket id in a Message-ID desk made), then the tag in its subject.
/// Only tickets for which exists() is true count. Empty when none.
struct Thread {
  std::string ticket;
  std::string by;  // "In-Reply-To", "References", "subject tag"
};
Thread thread_of(const Inbound& m, const std::function<std::vector<std::string>(const std::string&)>& lookup,
                 const std::function<bool(const std::string&)>& exists);

/// True when addr may add to t by mail: the requester's or a watcher's address.
bool on_ticket(const Ticket& t, const std::string& addr);

/// The attachments of a message as files under attachments/<ticket>/ (names made safe, a
/// number added when a name is taken, those over max_bytes left out), and a line for the
/// ticket saying what came and what was refused ("" when there were none).
struct AttachmentPlan {
  std::vector<std::pair<std::string, std::string>> files;  // path, bytes
  std::string note;
};
AttachmentPlan plan_attachments(const Inbound& m, const std::string& ticket, int64_t max_bytes,
                                const std::function<bool(const std::string&)>& exists);

/// A text cut to fit desk's limit on one text, saying so at the end when cut.
std::string fit_text(std::string text, size_t limit);

/// The change a reply makes to its ticket: a survey answer closes a resolved ticket with the
/// rating (or rates a closed one without); a reply to a resolved ticket within reopen_within
/// reopens it; the requester's reply to a ticket waiting on the customer resumes it; every
/// reply is a customer message with the Message-ID and the quoted part kept apart; new people
/// in To and Cc become watchers. nullopt when the message needs a ticket of its own (a
/// closed ticket, a resolved one past the window).
std::optional<Change> take_reply(Ticket t, const Config& cfg, const Context& ctx, const Inbound& m, const std::string& attachment_note);

/// A new ticket from a message: title from the subject, description from the body, requester
/// from From, watchers from To and Cc (less the desk), the create entry holding the Message-ID.
/// follows: the ticket a late reply follows up ("" for none).
Change take_new(const Config& cfg, const Context& ctx, const Inbound& m, const std::string& attachment_note, const std::string& follows,
                const std::function<bool(const std::string&)>& taken);

}  // namespace desk::mail
