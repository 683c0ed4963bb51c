#include "core/model/team.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/model/config.hpp"
#include "core/model/toml_reader.hpp"
#include "core/model/toml_writer.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk {

namespace {

std::string local_part(std::string_view email) { return std::string(email.substr(0, email.find('@'))); }

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool blank_or_comment(std::string_view line) {
  std::string t = trim(line);
  return t.empty() || t[0] == '#';
}

}  // namespace

std::string person_problem(const Person& p) {
  if (!is_valid_name(p.name) || p.name.find_first_of("<>@,") != std::string::npos || p.name == "me" || p.name == "@me" || p.name == "none")
    return "a person's name is one line of text without <, >, @ or commas, and not 'me' or 'none'";
  if (!p.email.empty() && (p.email.find('@') == std::string::npos || p.email.find_first_of(" <>\",\t\n") != std::string::npos ||
                           !is_valid_name(p.email)))
    return fmt::format("the email of '{}' must be a mail address such as bo@example.com", strip_controls_line(p.name));
  return "";
}

const Person* find_person(const Config& cfg, std::string_view typed_in) {
  std::string typed = trim(typed_in);
  if (typed.empty() || cfg.team.empty()) return nullptr;
  // "Name <email>", as git and mail write a person.
  if (size_t lt = typed.rfind('<'); lt != std::string::npos && typed.back() == '>') {
    std::string email = lower(trim(std::string_view(typed).substr(lt + 1, typed.size() - lt - 2)));
    std::string name = trim(std::string_view(typed).substr(0, lt));
    if (const Person* p = person_of_identity(cfg, name, email)) return p;
    return nullptr;
  }
  std::string key = lower(typed);
  for (const auto& p : cfg.team)
    if (lower(p.name) == key || (!p.email.empty() && p.email == key)) return &p;
  std::vector<const Person*> by_local, by_prefix;
  for (const auto& p : cfg.team) {
    if (!p.email.empty() && lower(local_part(p.email)) == key) by_local.push_back(&p);
    if (lower(p.name).rfind(key, 0) == 0) by_prefix.push_back(&p);
  }
  if (by_local.size() == 1) return by_local.front();
  auto& many = by_local.size() > 1 ? by_local : by_prefix;
  if (many.size() == 1) return many.front();
  if (many.size() > 1) {
    std::vector<std::string> names;
    for (const Person* p : many) names.push_back(p->name);
    throw Error(ErrorKind::usage, fmt::format("'{}' fits several people of the team: {}", strip_controls_line(typed), join(names, ", ")),
                "type more of the name");
  }
  return nullptr;
}

const Person* person_of_identity(const Config& cfg, std::string_view name, std::string_view email) {
  std::string e = lower(trim(email));
  if (!e.empty())
    for (const auto& p : cfg.team)
      if (p.email == e) return &p;
  std::string n = lower(trim(name));
  if (!n.empty())
    for (const auto& p : cfg.team)
      if (lower(p.name) == n) return &p;
  return nullptr;
}

std::string team_list(const Config& cfg) {
  std::vector<std::string> out;
  for (const auto& p : cfg.team) out.push_back(p.email.empty() ? p.name : fmt::format("{} <{}>", p.name, p.email));
  return join(out, ", ");
}

std::string resolve_assignee(const Config& cfg, std::string_view typed) {
  if (cfg.team.empty()) return std::string(typed);  // a free name, validated as any name is
  if (const Person* p = find_person(cfg, typed)) return p->name;
  throw Error(ErrorKind::usage, fmt::format("'{}' is not on the team", strip_controls_line(trim(typed))),
              fmt::format("assign one of: {} (or add them: desk team add NAME --email EMAIL)", team_list(cfg)));
}

std::string config_with_person(std::string_view config_text, const Person& p) {
  std::string out(config_text);
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "\n[[team]]\nname = " + toml_string(p.name) + "\n";
  if (!p.email.empty()) out += "email = " + toml_string(p.email) + "\n";
  if (!p.tiers.empty()) out += "tiers = " + toml_string_array(p.tiers) + "\n";
  return out;
}

std::optional<std::string> config_without_person(std::string_view config_text, std::string_view name) {
  toml::table root = parse_toml(config_text, ".desk/config.toml");
  auto* team = root.get_as<toml::array>("team");
  if (!team) return std::nullopt;
  std::optional<size_t> header;
  for (auto&& el : *team) {
    auto* t = el.as_table();
    if (!t) continue;
    auto n = t->get_as<std::string>("name");
    if (n && lower(trim(n->get())) == lower(trim(name))) {
      header = static_cast<size_t>(t->source().begin.line) - 1;  // the [[team]] line
      break;
    }
  }
  if (!header) return std::nullopt;
  auto lines = lines_of(config_text);
  size_t h = *header;
  // toml++ may place a table at its first key rather than its header: step back to the header.
  while (h > 0 && trim(lines[h]).rfind("[[", 0) != 0) --h;
  if (trim(lines[h]).rfind("[[", 0) != 0) return std::nullopt;
  size_t e = h + 1;
  while (e < lines.size() && trim(lines[e]).rfind('[', 0) != 0) ++e;
  // The comments and blank lines before the next header are the next section's.
  while (e > h + 1 && blank_or_comment(lines[e - 1])) --e;
  // One blank line fewer where the entry leaves two in a row.
  if (h > 0 && trim(lines[h - 1]).empty() && (e == lines.size() || trim(lines[e]).empty())) --h;
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i >= h && i < e) continue;
    out.append(lines[i]);
    out += '\n';
  }
  if (!config_text.empty() && config_text.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

}  // namespace desk
