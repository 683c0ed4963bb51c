#pragma once
// Ticket templates: the scripts L1 works from. A template pre-fills type, priority, tier, tags,
// a description and a checklist of steps.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace desk {

struct Template {
  std::string name;         // file name without .toml
  std::string title;        // a one-line description of the template
  std::string type;
  std::string priority;
  std::string tier;
  std::string impact;
  std::string urgency;
  std::string category;
  std::vector<std::string> tags;
  std::string description;  // pre-filled description (the ticket's own text is appended)
  std::vector<std::string> checklist;
  std::vector<bool> required;  // per step: resolve and close refuse while it is not done
};

/// Parses a template file; throws Error(invalid) with "path:line:column: what".
Template parse_template(std::string_view text, std::string_view name, std::string_view path);

}  // namespace desk
