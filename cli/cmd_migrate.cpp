#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "core/report/json.hpp"
#include "core/store/migrate.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

void define_migrate(CLI::App& cmd, Session& s) {
  struct Options {
    bool dry_run = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_flag("--dry-run", o->dry_run, "say what would change, commit nothing");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    MigrationPlan plan;
    CommitResult result;
    auto refuse_problems = [&] {
      if (plan.problems.empty()) return;
      for (const auto& p : plan.problems) s.err() << "desk: " << strip_controls_line(p.message) << "\n";
      throw Error(ErrorKind::invalid,
                  fmt::format("{} ticket file{} do{} not parse; the desk was not migrated", plan.problems.size(),
                              plan.problems.size() == 1 ? "" : "s", plan.problems.size() == 1 ? "es" : ""),
                  "fix them (desk fsck lists them with their lines), then run desk migrate again");
    };
    if (o->dry_run) {
      plan = plan_migration(d.head(), d.config());
      refuse_problems();
    } else {
      auto [author, committer] = s.identity();
      result = d.commit(author, committer, s.now(), [&](const Snapshot& snap) {
        plan = plan_migration(snap, d.config());
        refuse_problems();
        Mutation m;
        m.files = std::move(plan.files);
        plan.files.clear();
        for (const auto& f : m.files) plan.files.push_back({f.path, std::nullopt});  // keep the paths for the report
        if (m.files.empty()) return m;
        m.subject = fmt::format("migrate: the desk to format {}", plan.to_format);
        if (plan.config_changed) m.body += fmt::format(".desk/config.toml: format = {} (was {})\n", plan.to_format, plan.from_format ? std::to_string(plan.from_format) : "unset");
        size_t tickets = m.files.size() - (plan.config_changed ? 1 : 0);
        if (tickets) m.body += fmt::format("{} ticket file{} rewritten in canonical form\n", tickets, tickets == 1 ? "" : "s");
        m.trailers.emplace_back("Desk-Action", "migrate");
        return m;
      });
    }
    for (const auto& w : result.warnings) s.err() << "desk: warning: " << strip_controls_line(w) << "\n";
    size_t tickets = plan.files.size() - (plan.config_changed ? 1 : 0);
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("dry_run").value(o->dry_run);
      if (result.commit.empty()) w.key("commit").null(); else w.key("commit").value(result.commit);
      if (plan.from_format) w.key("from_format").value(static_cast<long long>(plan.from_format)); else w.key("from_format").null();
      w.key("to_format").value(static_cast<long long>(plan.to_format)).key("config_changed").value(plan.config_changed);
      w.key("tickets_checked").value(plan.tickets_checked);
      w.key("files").begin_array();
      for (const auto& f : plan.files) w.value(f.path);
      w.end_array().end_object();
      s.out() << w.str();
      return;
    }
    std::string verb = o->dry_run ? "would rewrite" : "rewrote";
    if (plan.config_changed)
      s.out() << fmt::format("{} .desk/config.toml: format = {}\n", o->dry_run ? "would set" : "set", plan.to_format);
    for (const auto& f : plan.files)
      if (f.path != ".desk/config.toml") s.out() << fmt::format("{} {} in canonical form\n", verb, f.path);
    if (!plan.needed()) {
      s.status(fmt::format("migrate: the desk is format {} and every ticket file is canonical; nothing to do", plan.to_format));
    } else if (o->dry_run) {
      s.status(fmt::format("migrate: would commit {} file{} ({} ticket{}, checked {})", plan.files.size(), plan.files.size() == 1 ? "" : "s",
                           tickets, tickets == 1 ? "" : "s", plan.tickets_checked));
    } else if (!result.commit.empty()) {
      s.status(fmt::format("migrate: committed {} ({} file{})", result.commit.substr(0, 7), plan.files.size(), plan.files.size() == 1 ? "" : "s"));
    }
  });
}

}  // namespace desk::cli
