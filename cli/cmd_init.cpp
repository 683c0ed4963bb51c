#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "core/store/desk.hpp"
#include "core/util/error.hpp"
#include "core/report/json.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

void define_init(CLI::App& cmd, Session& s) {
  auto dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd.add_option("DIR", *dir, "where to create the desk (default: the current directory)");
  cmd.add_flag("--json", *json, "print what was done as JSON on stdout: the path, branch, commit and files written");
  cmd.callback([&s, dir, json] {
    std::filesystem::path target = dir->empty() ? std::filesystem::path(s.work_dir()) : std::filesystem::path(*dir);
    if (!target.is_absolute()) target = std::filesystem::path(s.work_dir()) / target;
    target = target.lexically_normal();
    // Identity before anything is created: a desk without an author is no audit trail.
    IdentityOverrides env = s.env().identity;
    Identity author{env.author_name.value_or(""), env.author_email.value_or("")};
    if (author.name.empty() || author.email.empty()) {
      git::init_library();
      git_config* cfg = nullptr;
      if (git_config_open_default(&cfg) == 0) {
        git_config* snap = nullptr;
        if (git_config_snapshot(&snap, cfg) == 0) {
          const char* v = nullptr;
          if (author.name.empty() && git_config_get_string(&v, snap, "user.name") == 0) author.name = v;
          if (author.email.empty() && git_config_get_string(&v, snap, "user.email") == 0) author.email = v;
          git_config_free(snap);
        }
        git_config_free(cfg);
      }
      git_error_clear();
    }
    if (author.name.empty() || author.email.empty())
      throw Error(ErrorKind::identity, "no git identity: desk records who made each change, and git does not know who you are",
                  "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`");
    Identity committer{env.committer_name.value_or(author.name), env.committer_email.value_or(author.email)};
    auto r = Desk::init(target.string(), author, committer, s.now());
    Desk created = Desk::open(target.string());
    created.ensure_merge_driver(s.env().exe);
    for (const auto& w : r.warnings) s.err() << "desk: warning: " << strip_controls_line(w) << "\n";
    s.status(fmt::format("created a desk in {} (commit {})", target.string(), r.commit.substr(0, 7)));
    if (*json) {
      std::string branch;
      git_reference* head = nullptr;
      if (git_repository_head(&head, created.repo()) == 0) {
        branch = git_reference_shorthand(head);
        git_reference_free(head);
      } else {
        git_error_clear();
      }
      JsonWriter w = s.json();
      w.begin_document().key("path").value(target.string());
      if (branch.empty()) w.key("branch").null(); else w.key("branch").value(branch);
      w.key("commit").value(r.commit).key("action").value("init").key("files").begin_array();
      for (const auto& f : r.files) w.value(f);
      w.end_array().end_object();
      s.out() << w.str();
    }
  });
}

}  // namespace desk::cli
