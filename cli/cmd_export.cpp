#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/filters.hpp"
#include "core/error.hpp"
#include "core/index.hpp"
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
}  // namespace

void define_export(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<ExportOptions>();
  auto& f = o->filter;
  auto* json = cmd.add_flag("--json", o->json, "export as JSON, every key of the ticket files (`desk import` reads it back losslessly)");
  auto* csv = cmd.add_flag("--csv", o->csv, "export as CSV (RFC 4180), one row per ticket, without history");
  json->excludes(csv);
  cmd.add_option("-o,--output", o->output, "write to FILE instead of stdout")->type_name("FILE");
  add_filter_options(cmd, f);
  cmd.callback([&s, o] {
    if (!o->json && !o->csv) throw Error(ErrorKind::usage, "desk export needs a format", "pass --json or --csv");
    Desk& d = s.desk();
    ListFilter filter = o->filter;
    filter.all = true;  // an export is of every ticket unless a filter narrows it
    filter = checked_filter(filter, d.config());
    auto [tickets, problems] = read_tickets(d, d.head(), {[&filter](std::string_view status) { return status_wanted(filter, status); }, &filter});
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
