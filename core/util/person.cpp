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

PersonParts split_person(std::string_view person) {
  std::string text = trim(std::string(person));
  PersonParts p;
  auto lt = text.rfind('<');
  if (lt != std::string::npos && text.back() == '>') {
    p.email = trim(text.substr(lt + 1, text.size() - lt - 2));
    p.name = trim(text.substr(0, lt));
    if (p.name.size() >= 2 && p.name.front() == '"' && p.name.back() == '"') p.name = p.name.substr(1, p.name.size() - 2);
    if (p.email.find_first_of("<>") != std::string::npos || p.name.find_first_of("<>") != std::string::npos) p = {text, ""};  // not one address
  } else if (text.find('@') != std::string::npos && text.find(' ') == std::string::npos) {
    p.email = text;
  } else {
    p.name = text;
  }
  return p;
}

std::string join_person(const PersonParts& p) {
  if (p.email.empty()) return p.name;
  if (p.name.empty()) return p.email;
  return p.name + " <" + p.email + ">";
}

}  // namespace desk
