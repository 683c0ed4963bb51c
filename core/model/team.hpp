#pragma once
// The team: the people who work tickets, from [[team]] in .desk/config.toml. With a team, an
// assignee is one of its people (typed by name, email, "Name <email>", the email's local part or
// a unique prefix of the name) and is stored by name; without one, assignees stay free strings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace desk {

struct Config;

struct Person {
  std::string name;                // what a ticket's assignee holds: "bo"
  std::string email;               // "bo@example.com", or empty
  std::vector<std::string> tiers;  // the tiers the person works in (empty: any)
};

/// What is wrong with a person's name or email, or "" (a name is one line without <, >, @ or
/// commas, and not `me` or `none`; an email has an @ and no spaces or brackets).
std::string person_problem(const Person& p);

/// The person typed, or nullopt when nobody on the team matches. Throws Error(usage) when a
/// prefix fits several people, naming them.
const Person* find_person(const Config& cfg, std::string_view typed);

/// The person whose email (first) or name is the git identity's, or nullptr.
const Person* person_of_identity(const Config& cfg, std::string_view name, std::string_view email);

/// The assignee to store for a typed name: without a team the typed name itself; with one, the
/// person's name, or Error(usage) naming the team when nobody matches.
std::string resolve_assignee(const Config& cfg, std::string_view typed);

/// The team's names, "name <email>" where there is an email, for messages.
std::string team_list(const Config& cfg);

/// .desk/config.toml with one more [[team]] entry appended (its other text untouched).
std::string config_with_person(std::string_view config_text, const Person& p);

/// .desk/config.toml without the [[team]] entry named name (its other text untouched), or
/// nullopt when there is none. Needs the file to parse.
std::optional<std::string> config_without_person(std::string_view config_text, std::string_view name);

}  // namespace desk
