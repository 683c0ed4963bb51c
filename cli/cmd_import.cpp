#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/report/json.hpp"
#include "core/util/error.hpp"
#include "core/model/id.hpp"
#include "core/util/text.hpp"
#include "core/store/transfer.hpp"

namespace desk::cli {

namespace {
struct ImportCliOptions {
  std::string format;
  std::vector<std::string> map;
  std::string file;
  bool dry_run = false;
  bool json = false;
};

// Imports of at least this many tickets draw a progress bar (on a terminal).
constexpr size_t progress_threshold = 200;

std::string read_source(Session& s, const std::string& file) {
  std::ostringstream ss;
  if (file == "-") {
    ss << s.env().in->rdbuf();
    return ss.str();
  }
  std::filesystem::path p(file);
  if (p.is_relative()) p = std::filesystem::path(s.work_dir()) / p;
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(ErrorKind::not_found, fmt::format("cannot read '{}'", file), "check the path, or pass - to read standard input");
  ss << in.rdbuf();
  return ss.str();
}

// "[#####.....]  123/1000" redrawn in place; cleared when done.
class Progress {
 public:
  Progress(Session& s, bool on) : s_(s), on_(on) {}
  void operator()(size_t done, size_t total) {
    if (!on_ || total < progress_threshold) return;
    size_t permille = done * 1000 / total;
    if (permille == last_ && done != total) return;
    last_ = permille;
    constexpr size_t width = 30;
    size_t fill = done * width / total;
    s_.err() << "\rimporting [" << std::string(fill, '#') << std::string(width - fill, '.') << "] " << done << "/" << total
             << std::flush;
    drawn_ = true;
  }
  void clear() {
    if (drawn_) s_.err() << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  Session& s_;
  bool on_;
  size_t last_ = static_cast<size_t>(-1);
  bool drawn_ = false;
};

std::string plural(size_t n, const char* what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); }
}  // namespace

void define_import(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<ImportCliOptions>();
  cmd.add_option("FILE", o->file, "the file to import, or - for standard input")->required();
  cmd.add_option("--format", o->format, "json (desk export --json), csv, or github (gh issue list --json ...); default: guessed")
      ->type_name("FORMAT");
  cmd.add_option("--map", o->map, "CSV: take ticket field FIELD from column COLUMN (repeatable; FIELD - skips the column)")
      ->type_name("COLUMN=FIELD");
  add_dry_run_flag(cmd, o->dry_run, "check the source and say what would be imported, without committing");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::optional<ImportFormat> format;
    if (!o->format.empty()) {
      format = parse_import_format(o->format);
      if (!format) throw Error(ErrorKind::usage, fmt::format("unknown format '{}'", o->format), "use json, csv or github");
    }
    ImportOptions opt;
    for (const auto& m : o->map) {
      auto eq = m.rfind('=');
      if (eq == std::string::npos || eq == 0)
        throw Error(ErrorKind::usage, fmt::format("--map '{}' is not COLUMN=FIELD", strip_controls_line(m)), "e.g. --map Subject=title");
      opt.map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
    if (!opt.map.empty() && format && *format != ImportFormat::csv)
      throw Error(ErrorKind::usage, "--map applies to CSV imports only", "drop --map, or pass --format csv");
    Desk& d = s.desk();
    std::string text = read_source(s, o->file);
    std::string name = o->file == "-" ? "<stdin>" : o->file;
    opt.format = format ? *format : (!opt.map.empty() ? ImportFormat::csv : detect_import_format(text, o->file));
    opt.now = s.now();
    opt.actor = s.identity().first.display();
    ImportSource src;
    try {
      src = parse_import(text, d.config(), opt);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::invalid) throw Error(e.kind(), fmt::format("{}: {}", strip_controls_line(name), e.what()), e.hint());
      throw;
    }
    for (const auto& n : src.notes) s.err() << "desk: warning: " << strip_controls_line(n) << "\n";
    if (!src.errors.empty()) {
      for (const auto& e : src.errors)
        s.err() << "desk: " << strip_controls_line(name) << ":" << e.line << ": " << (e.where.empty() ? "" : e.where + ": ")
                << strip_controls_line(e.message) << "\n";
      throw Error(ErrorKind::invalid,
                  fmt::format("{} in {}; nothing was imported", plural(src.errors.size(), "bad record"), strip_controls_line(name)),
                  "fix them and import again: an import is all or nothing");
    }
    const char* fmt_name = opt.format == ImportFormat::json ? "json" : opt.format == ImportFormat::csv ? "csv" : "github";
    Progress progress(s, s.env().stderr_tty && !s.quiet);
    ImportPlan plan;
    CommitResult r;
    std::string subject;
    auto build = [&](const Snapshot& snap) {
      plan = plan_import(
          src.tickets, [&](const std::string& path) { return snap.read(path); },
          [&](size_t done, size_t total) { progress(done, total); });
      progress.clear();
      Mutation m;
      m.files = plan.files;
      subject = fmt::format("import {} from {} ({})", plural(plan.added.size(), "ticket"),
                            std::filesystem::path(name).filename().string(), fmt_name);
      m.subject = subject;
      m.body = fmt::format("{} new, {} unchanged, {} already in the desk and kept", plan.added.size(), plan.unchanged.size(),
                           plan.kept.size());
      for (const auto& id : plan.added) m.trailers.emplace_back("Desk-Ticket", id);
      m.trailers.emplace_back("Desk-Action", "import");
      return m;
    };
    if (o->dry_run) {
      build(d.head());
    } else {
      auto [author, committer] = s.identity();
      r = d.commit(author, committer, s.now(), build);
    }
    if (!plan.kept.empty())
      s.err() << "desk: warning: " << plural(plan.kept.size(), "ticket")
              << " already in the desk differ from the source; kept the desk's version: " << join(plan.kept, ", ") << "\n";
    std::string summary = fmt::format("{} new, {} unchanged, {} kept", plan.added.size(), plan.unchanged.size(), plan.kept.size());
    if (o->dry_run) {
      s.status(fmt::format("would import {} ({})", plural(plan.added.size(), "ticket"), summary));
    } else if (r.commit.empty()) {
      s.status(fmt::format("nothing to import ({})", summary));
    } else {
      s.report(r, Change{Ticket{}, "import", subject, {}});
    }
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_object();
      w.key("desk_format").value(w.format());
      if (r.commit.empty()) w.key("commit").null(); else w.key("commit").value(r.commit);
      w.key("action").value("import");
      w.key("dry_run").value(o->dry_run);
      w.key("format").value(fmt_name);
      auto ids = [&w](const char* key, const std::vector<std::string>& list) {
        w.key(key).begin_array();
        for (const auto& id : list) w.value(id);
        w.end_array();
      };
      ids("added", plan.added);
      ids("unchanged", plan.unchanged);
      ids("kept", plan.kept);
      w.end_object();
      s.out() << w.str();
      return;
    }
    for (const auto& id : plan.added) s.out() << id << "\n";
  });
}

}  // namespace desk::cli
