#include "core/util/person.hpp"

#include "core/util/text.hpp"

namespace desk {

namespace {

std::string name_part(std::string_view person) {
  std::string name(person);
  if (auto lt = name.find('<'); lt != std::string::npos) name = trim(name.substr(0, lt));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  return name;
}

}  // namespace

std::string person_name(std::string_view person) {
  std::string name = name_part(person);
  return name.empty() ? std::string(person) : name;
}

std::string person_first_name(std::string_view person) {
  std::string name = name_part(person);
  if (name.empty() || name.find('@') != std::string::npos) return "";
  return name.substr(0, name.find(' '));
}

}  // namespace desk
