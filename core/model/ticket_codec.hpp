#pragma once
// A compact binary form of a parsed Ticket, for the derived index: decoding it is an order of
// magnitude cheaper than parsing the TOML file it came from. Not a file format: the index that
// stores it is rebuilt whenever the codec's version changes.
#include <optional>
#include <string>
#include <string_view>

#include "core/model/ticket.hpp"

namespace desk {

/// Bumped whenever the encoding changes; the index rebuilds itself when it differs.
inline constexpr int ticket_codec_version = 4;  // 2: watchers, notify, message_id; 3: required steps; 4: related, parent, problem

/// The binary form of a ticket, or nullopt when the ticket carries keys desk does not know
/// (those keep their TOML form: the index stores the file's text instead).
std::optional<std::string> encode_ticket(const Ticket& t);

/// The ticket encode_ticket encoded; without texts, the description, resolution and history
/// texts are left empty (a table of tickets needs none of them). Throws Error(invalid) on a
/// truncated or foreign encoding.
Ticket decode_ticket(std::string_view data, bool texts = true);

}  // namespace desk
