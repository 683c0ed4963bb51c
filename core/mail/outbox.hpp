#pragma once
// Mail out: which history entries the requester hears about (queued with notify = true when the
// change is committed), the message each becomes, and the record that it was sent. Pure.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/mail/message.hpp"
#include "core/model/config.hpp"
#include "core/model/workflow.hpp"

namespace desk::mail {

/// The message kind an entry is announced with ("ack", "reply", "wait", "resolve", "close"),
/// or "" when the customer does not hear about it (notes, assignments, escalations, anything
/// the requester did themselves, a wait on a vendor).
std::string notice_kind(const Ticket& t, const HistoryEntry& e);

/// Marks t's entries from index first_new on that the customer should hear about (notify =
/// true), when mail is on and the requester has an address. Returns how many were marked.
size_t queue_notices(Ticket& t, size_t first_new, const MailConfig& cfg);

/// The message templates: kind -> text whose first line is "Subject: ..." and whose body
/// follows a blank line; {placeholders} are filled in (see desk-mail(1)). Built-in ones are
/// used for kinds a desk does not override in .desk/mail/KIND.txt.
std::string_view builtin_template(std::string_view kind);
inline const std::vector<std::string> template_kinds = {"ack", "reply", "wait", "resolve", "close"};

/// {name} placeholders replaced by vars (unknown ones left as they are, "{{" is "{").
std::string fill(std::string_view text, const std::map<std::string, std::string>& vars);

struct Pending {
  std::string ticket;
  std::string entry;  // the history entry the message announces
  std::string kind;
  Outgoing message;
};

/// Messages queued on t and not yet recorded as sent, oldest first. templates maps a kind to
/// its text (missing: built in). Throws Error(invalid) for a template without a Subject line.
std::vector<Pending> pending_messages(const Ticket& t, const Config& cfg, const std::map<std::string, std::string>& templates,
                                      Timestamp now);

/// Entries of t queued and not yet recorded as sent.
size_t pending_count(const Ticket& t);

/// Records that messages went out: one mailed entry per message (to = the entry announced,
/// message_id, text = the recipients). Entries already recorded are skipped; Error(usage) when
/// nothing is left to record.
Change record_sent(Ticket t, const Context& ctx, const std::vector<Pending>& sent);

/// Every Message-ID a ticket's history knows (received and sent), oldest first.
std::vector<std::string> thread_ids(const Ticket& t);

}  // namespace desk::mail
