#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/query.hpp"
#include "core/text.hpp"
#include "core/transfer.hpp"

namespace desk::cli {

namespace {
struct ExportOptions {
  ListFilter filter;
  bool json = false, csv = false;
  std::string output;
};

std::vector<std::string> expand(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values)
    for (auto& part : split(v, ',')) out.push_back(part);
  return out;
}
}  // namespace

void define_export(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<ExportOptions>();
  auto& f = o->filter;
  auto* json = cmd.add_flag("--json", o->json, "export as JSON, every key of the ticket files (`desk import` reads it back losslessly)");
  auto* csv = cmd.add_flag("--csv", o->csv, "export as CSV (RFC 4180), one row per ticket, without history");
  json->excludes(csv);
  cmd.add_option("-o,--output", o->output, "write to FILE instead of stdout")->type_name("FILE");
  cmd.add_option("-s,--status", f.statuses, "only these statuses: new, open, pending, resolved, closed")->type_name("STATUS");
  cmd.add_option("--tier", f.tiers, "only these tiers")->type_name("TIER");
  cmd.add_option("-p,--priority", f.priorities, "only these priorities")->type_name("P");
  cmd.add_option("-a,--assignee", f.assignees, "only tickets assigned to USER (none: unassigned)")->type_name("USER");
  cmd.add_option("--requester", f.requesters, "only tickets from WHO")->type_name("WHO");
  cmd.add_option("--tag", f.tags, "only tickets with every one of these tags")->type_name("TAG");
  cmd.add_option("--type", f.types, "only these types")->type_name("TYPE");
  cmd.add_option("--text", f.text, "only tickets whose title, description or history contains TEXT (any case)")->type_name("TEXT");
  cmd.callback([&s, o] {
    if (!o->json && !o->csv) throw Error(ErrorKind::usage, "desk export needs a format", "pass --json or --csv");
    Desk& d = s.desk();
    ListFilter filter = o->filter;
    filter.all = true;  // an export is of every ticket unless a filter narrows it
    filter.statuses = expand(filter.statuses);
    filter.tiers = expand(filter.tiers);
    filter.priorities = expand(filter.priorities);
    filter.types = expand(filter.types);
    filter.tags = expand(filter.tags);
    for (const auto& st : filter.statuses)
      if (std::find(all_statuses.begin(), all_statuses.end(), st) == all_statuses.end())
        throw Error(ErrorKind::usage, fmt::format("unknown status '{}'", st), "use one of: " + join(all_statuses, ", "));
    for (const auto& t : filter.tiers) d.config().require_tier(t);
    for (const auto& p : filter.priorities) d.config().require_priority(p);
    auto [tickets, problems] = d.head().all_tickets();
    for (const auto& p : problems)
      s.err() << "desk: warning: not exported: " << strip_controls(p.message) << "\n";
    std::vector<Ticket> chosen;
    for (auto& t : tickets)
      if (matches(t, filter)) chosen.push_back(std::move(t));
    std::sort(chosen.begin(), chosen.end(), [](const Ticket& a, const Ticket& b) { return a.id < b.id; });
    std::string text = o->json ? export_json(chosen) : export_csv(chosen);
    if (o->output.empty() || o->output == "-") {
      s.out() << text;
      s.out().flush();
    } else {
      std::filesystem::path p(o->output);
      if (p.is_relative()) p = std::filesystem::path(s.work_dir()) / p;
      std::ofstream file(p, std::ios::binary | std::ios::trunc);
      if (file) file << text;
      file.close();
      if (!file)
        throw Error(ErrorKind::io, fmt::format("cannot write '{}'", o->output), "check that the directory exists and is writable");
      s.status(fmt::format("exported {} ticket{} to {}", chosen.size(), chosen.size() == 1 ? "" : "s", o->output));
    }
  });
}

}  // namespace desk::cli
