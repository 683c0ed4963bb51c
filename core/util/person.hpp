#pragma once
// People as desk records them: free text, usually "Name <email>" (git's form), sometimes only a
// name or only an address. What mail templates and macros call {agent} and {requester_name}.
#include <string>
#include <string_view>

namespace desk {

/// The name of "Name <email>" (quotes around it dropped), or the whole text when it has no name
/// before an address.
std::string person_name(std::string_view person);

/// A person split for machines (desk's JSON): the display name and the address, each empty when
/// absent. "Ada Agent <ada@example.com>" -> {Ada Agent, ada@example.com}; "bo" -> {bo, };
/// "kim@example.com" -> {, kim@example.com}. Text with more angle brackets than one address is
/// all name.
struct PersonParts {
  std::string name;
  std::string email;
};
PersonParts split_person(std::string_view person);

/// The text split_person reads back as the same parts: "Name <email>", "Name" or "email".
std::string join_person(const PersonParts& p);

/// The first word of the person's name, "" when there is no name (only an address).
std::string person_first_name(std::string_view person);

}  // namespace desk
