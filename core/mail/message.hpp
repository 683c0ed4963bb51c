#pragma once
// Mail messages: what desk reads from one (RFC 5322 + MIME, parsed by GMime) and the message it
// writes. Pure: bytes in, values out; nothing here sends, receives or touches a desk.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/timeutil.hpp"

namespace desk::mail {

struct Address {
  std::string name;  // the display name, decoded ("" when none)
  std::string addr;  // the address, lowercase
};

/// "Name <addr>", or the bare address when there is no name (a name that needs it is quoted).
std::string format_address(const Address& a);
/// format_address for a person desk records (requester, watcher, author of an entry): controls
/// in the name or address shown as visible markers, so a hostile From stays data on one line.
std::string person_of(const Address& a);
/// The address of "Name <addr>" (or of a bare address), lowercase; "" when there is none.
std::string address_of(std::string_view person);

struct Attachment {
  std::string name;          // as the message gives it, decoded (not yet safe as a file name)
  std::string content_type;  // "application/pdf"
  std::string data;          // decoded bytes
};

/// How a message is treated for loop protection.
enum class Kind {
  message,     // a person wrote it
  auto_reply,  // Auto-Submitted other than "no", X-Autoreply, an out-of-office
  bounce,      // a delivery status notification or any message with an empty Return-Path
  list,        // Precedence: bulk, junk or list, or a mailing list's List-Id
};
std::string_view kind_name(Kind k);

struct Inbound {
  std::string message_id;  // without angle brackets; a digest of the message when it has none
  std::string in_reply_to;
  std::vector<std::string> references;  // oldest first
  Address from;
  std::vector<Address> to, cc;
  std::string subject;  // decoded, UTF-8, one line
  Kind kind = Kind::message;
  std::string kind_reason;  // the header that decided a kind other than message
  std::string desk_ticket;  // X-Desk-Ticket: a message desk itself sent
  std::string body;         // the text: text/plain preferred, else the HTML as text; UTF-8, LF
  std::vector<Attachment> attachments;
};

/// Parses one message. Throws Error(invalid) saying what is wrong when the bytes are not a mail
/// message desk can take (no headers, no From address).
Inbound parse_message(std::string_view raw);

/// The text of an HTML body: tags dropped, block elements as line breaks, script, style and
/// head left out, entities decoded, runs of blank lines folded.
std::string html_to_text(std::string_view html);

/// A reply split into what the person wrote now and what they quoted: the quoted part starts
/// at an attribution line ("On ... wrote:", "Le ... a écrit :", "Am ... schrieb ..."), an
/// Outlook header block ("From: ..." followed by "Sent:"/"Date:" lines, or "-----Original
/// Message-----"), or a run of '>' lines at the end; a signature ("-- ", "Sent from my ...")
/// is dropped from the reply. Both parts are trimmed.
struct Split {
  std::string reply;
  std::string quoted;
};
Split split_reply(std::string_view body);

/// The rating of a satisfaction reply: a digit 1-5 first in the reply, alone or followed by
/// something that is not a digit ("5", "5 - great", "4/5"); nullopt otherwise.
std::optional<int> rating_in(std::string_view reply);

/// The ticket id of the tag "[desk ID]" in a subject (the last one), or "".
std::string subject_tag(std::string_view subject);

/// The subject without leading "Re:", "Fwd:", "AW:", "SV:" ... prefixes and desk's tag.
std::string clean_subject(std::string_view subject);

/// A file name safe to write under a directory: the last path component, without control
/// characters, leading dots or characters that mean something to a shell or a file system;
/// "attachment" when nothing is left. At most 100 bytes.
std::string safe_file_name(std::string_view name);

/// A message desk sends.
struct Outgoing {
  Address from;
  std::string reply_to;  // an address, or ""
  std::vector<Address> to, cc;
  std::string subject;
  std::string message_id;  // without angle brackets
  std::string in_reply_to;
  std::vector<std::string> references;
  Timestamp date{};
  std::string body;
  bool auto_submitted = true;  // Auto-Submitted: auto-generated (a notification)
  std::string ticket;          // X-Desk-Ticket
};

/// The message as RFC 5322 text (LF line ends): encoded words for non-ASCII headers, a
/// quoted-printable UTF-8 text/plain body.
std::string compose(const Outgoing& m);

/// The Message-ID desk gives the message for a history entry: desk.TICKET.ENTRY@DOMAIN, so
/// that sending it again after a crash sends the same id.
std::string message_id_for(std::string_view ticket, std::string_view entry, std::string_view from_addr);
/// The ticket id in a Message-ID desk made (desk.TICKET.ENTRY@...), or "".
std::string ticket_of_message_id(std::string_view message_id);

}  // namespace desk::mail
