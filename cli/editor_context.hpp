#pragma once
// What the editor shows below the text a person writes about one ticket (a reply, a note, a
// hand-off, a resolution), as '#' comment lines: the ticket at a glance, its SLA clocks, the last
// public reply, and who will read the text. git commit's template does the same with status.
#include <functional>
#include <string>
#include <vector>

#include "core/model/ticket.hpp"
#include "core/model/config.hpp"
#include "core/util/timeutil.hpp"

namespace desk::cli {

/// Who reads the text being written: the customer (a public reply), the team only (an internal
/// note, a hand-off, a de-escalation), or the customer through the resolution.
enum class Audience { customer, team, resolution };

/// The comment lines (each starting with "# ", or "#" alone), ending in a newline.
std::string editor_context(const Ticket& t, const Config& cfg, Timestamp now, Audience audience);

class Session;
/// For Session::read_text: the context of the one ticket named by `ids` (none for several, or
/// for ids read from standard input), read from HEAD when the editor opens.
std::function<std::string()> editor_context_for(Session& s, const std::vector<std::string>& ids, Audience audience);

}  // namespace desk::cli
