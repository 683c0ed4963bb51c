#include "core/store/migrate.hpp"

#include <fmt/format.h>

#include "core/model/id.hpp"
#include "core/model/ticket.hpp"
#include "core/util/error.hpp"

namespace desk {

namespace {
constexpr std::string_view config_file = ".desk/config.toml";

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}
}  // namespace

std::string config_with_format(std::string_view text, int64_t format) {
  std::string line = fmt::format("format = {}", format);
  // Before the first table header, a line `format = ...` is the top-level key.
  size_t pos = 0, insert_at = std::string::npos;
  bool leading = true;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view l = trim_left(text.substr(pos, (end == std::string_view::npos ? text.size() : end) - pos));
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (leading && !(l.empty() || l.front() == '#')) {
      leading = false;
      insert_at = pos;
    }
    if (!l.empty() && l.front() == '[') break;
    if (l.rfind("format", 0) == 0) {
      std::string_view rest = trim_left(l.substr(6));
      if (!rest.empty() && rest.front() == '=')
        return std::string(text.substr(0, pos)) + line + "\n" + std::string(text.substr(next));
    }
    pos = next;
  }
  if (insert_at == std::string::npos) insert_at = text.size();
  std::string out(text.substr(0, insert_at));
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + line + "\n" + std::string(text.substr(insert_at));
}

MigrationPlan plan_migration(const Snapshot& snap, const Config& cfg) {
  MigrationPlan plan;
  plan.from_format = cfg.format;
  plan.to_format = current_format;
  if (cfg.format < current_format) {
    auto text = snap.read(config_file);
    if (!text) throw Error(ErrorKind::invalid, "this commit has no .desk/config.toml", "run desk migrate at the top of a desk");
    std::string updated = config_with_format(*text, current_format);
    if (updated != *text) {
      plan.files.push_back({std::string(config_file), std::move(updated)});
      plan.config_changed = true;
    }
  }
  for (const auto& id : snap.ticket_ids()) {
    std::string path = ticket_path(id);
    ++plan.tickets_checked;
    auto text = snap.read(path);
    if (!text) continue;
    try {
      Ticket t = parse_ticket(*text, path);
      if (t.id != id) {
        plan.problems.push_back({path, fmt::format("{}: the file names ticket '{}'", path, t.id)});
        continue;
      }
      std::string canonical = emit_ticket(t);
      if (canonical != *text) plan.files.push_back({path, std::move(canonical)});
    } catch (const Error& e) {
      plan.problems.push_back({path, e.what()});
    }
  }
  return plan;
}

}  // namespace desk
