#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "core/desk.hpp"
#include "core/error.hpp"

namespace desk::cli {

void define_init(CLI::App& cmd, Session& s) {
  auto dir = std::make_shared<std::string>();
  cmd.add_option("DIR", *dir, "where to create the desk (default: the current directory)");
  cmd.callback([&s, dir] {
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
    Desk::open(target.string()).ensure_merge_driver(s.env().exe);
    for (const auto& w : r.warnings) s.err() << "desk: warning: " << w << "\n";
    s.status(fmt::format("created a desk in {} (commit {})", target.string(), r.commit.substr(0, 7)));
  });
}

}  // namespace desk::cli
