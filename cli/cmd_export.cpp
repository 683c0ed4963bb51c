#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/filters.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/store/query.hpp"
#include "core/util/text.hpp"
#include "core/store/transfer.hpp"

namespace desk::cli {

namespace {
struct ExportOptions {
  ListFilter filter;
  FilterTimes times;
  bool json = false, csv = false;
  std::string output;
  std::vector<std::string> fields;
};
}  // namespace

void define_export(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<ExportOptions>();
  auto& f = o->filter;
  auto* json = cmd.add_flag("--json", o->json, "export as JSON, every key of the ticket files (`desk import` reads it back losslessly)");
  auto* csv = cmd.add_flag("--csv", o->csv, "export as CSV (RFC 4180), one row per ticket, without history");
  json->excludes(csv);
  cmd.add_option("-o,--output", o->output, "write to FILE instead of stdout")->type_name("FILE");
  cmd.add_option("--fields", o->fields, "only these keys of each ticket (JSON) or these columns (CSV): a,b or repeated; id always")
      ->type_name("KEYS");
  add_filter_options(cmd, f, o->times);
  cmd.callback([&s, o] {
    if (!o->json && !o->csv) throw Error(ErrorKind::usage, "desk export needs a format", "pass --json or --csv");
    auto fields = checked_fields(o->fields, o->csv ? csv_export_columns() : ticket_json_keys());
    Desk& d = s.desk();
    ListFilter filter = o->filter;
    filter.all = true;  // an export is of every ticket unless a filter narrows it
    filter.assignees = s.expand_me(filter.assignees);
    filter = checked_filter(filter, d.config(), o->times, s.now());
    // Tickets stream through a temporary file one at a time (a large desk's export does not fit
    // in memory): beside the output file, renamed into place when complete, or in .git/ and
    // copied to standard output.
    bool to_stdout = o->output.empty() || o->output == "-";
    std::filesystem::path target;
    if (!to_stdout) {
      target = o->output;
      if (target.is_relative()) target = std::filesystem::path(s.work_dir()) / target;
    }
    std::filesystem::path tmp = to_stdout ? std::filesystem::path(git_repository_path(d.repo())) / "desk-export.tmp"
                                          : std::filesystem::path(target.string() + ".desk-tmp");
    std::ofstream file;
    size_t count = 0;
    ExportStream x(o->csv && !o->json, s.json());
    if (!fields.empty()) x.only(&fields);
    auto start = [&] {
      file.close();
      file.clear();
      file.open(tmp, std::ios::binary | std::ios::trunc);
      if (!file)
        throw Error(ErrorKind::io, fmt::format("cannot write '{}'", to_stdout ? tmp.string() : o->output),
                    "check that the directory exists and is writable");
      x = ExportStream(o->csv && !o->json, s.json());
      if (!fields.empty()) x.only(&fields);
      file << x.begin();
      count = 0;
    };
    start();
    TicketQuery q{[&filter](std::string_view status) { return status_wanted(filter, status); }, &filter, true, std::nullopt};
    std::vector<Problem> problems;
    try {
      problems = for_each_ticket(d, d.head(), q, start, [&](Ticket&& t) {  // in id order
        if (!matches(t, filter)) return;
        file << x.ticket(t);
        ++count;
      });
      file << x.end();
      file.close();
      if (!file) throw Error(ErrorKind::io, fmt::format("cannot write '{}'", o->output), "check the free space and try again");
    } catch (...) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw;
    }
    for (const auto& p : problems)
      s.err() << "desk: warning: not exported: " << strip_controls_line(p.message) << "\n";
    if (to_stdout) {
      {
        std::ifstream in(tmp, std::ios::binary);
        s.out() << in.rdbuf();
      }
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      s.out().flush();
      return;
    }
    std::filesystem::rename(tmp, target);
    s.status(fmt::format("exported {} ticket{} to {}", count, count == 1 ? "" : "s", o->output));
  });
}

}  // namespace desk::cli
