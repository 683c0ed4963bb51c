#pragma once
// People as desk records them: free text, usually "Name <email>" (git's form), sometimes only a
// name or only an address. What mail templates and macros call {agent} and {requester_name}.
#include <string>
#include <string_view>

namespace desk {

/// The name of "Name <email>" (quotes around it dropped), or the whole text when it has no name
/// before an address.
std::string person_name(std::string_view person);

/// The first word of the person's name, "" when there is no name (only an address).
std::string person_first_name(std::string_view person);

}  // namespace desk
