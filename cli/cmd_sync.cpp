#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/report/json.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

// Transport and merge go through the system git, so whatever `git push` does for this user (ssh
// config and agent, credential helpers, proxies, any key type) desk does too; the merge of ticket
// files is desk's own driver, which the system git calls.
class Git {
 public:
  Git(Session& s, std::string dir) : s_(s), dir_(std::move(dir)) {
    if (s.env().desk_now) {
      std::string date = format_time(s.now());
      env_ = {{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}};
    }
    env_.emplace_back("GIT_TERMINAL_PROMPT", "0");  // never hang on a password prompt
    env_.emplace_back("GIT_MERGE_AUTOEDIT", "no");
  }

  Env::ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), "git");
    return s_.env().run_process(args, dir_, env_);
  }

  std::string must(std::vector<std::string> args, const std::string& what) const {
    auto r = run(args);
    if (r.code != 0) throw Error(ErrorKind::git, fmt::format("{}: {}", what, last_line(r.err)));
    return trim(r.out);
  }

  static std::string last_line(const std::string& text) {
    auto lines = split(text, '\n');
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
      if (it->rfind("hint:", 0) != 0) return strip_controls_line(*it);
    return "git failed";
  }

 private:
  Session& s_;
  std::string dir_;
  std::vector<std::pair<std::string, std::string>> env_;
};

std::vector<std::string> changed_tickets(const Git& git, const std::string& range) {
  std::vector<std::string> ids;
  auto r = git.run({"diff", "--name-only", range, "--", "tickets/"});
  for (const auto& line : split(r.out, '\n')) {
    auto slash = line.rfind('/');
    std::string name = slash == std::string::npos ? line : line.substr(slash + 1);
    if (name.size() > 5) ids.push_back(name.substr(0, name.size() - 5));
  }
  return ids;
}

size_t count(const Git& git, const std::string& range) {
  auto r = git.run({"rev-list", "--count", range});
  return r.code == 0 ? static_cast<size_t>(std::stoul(trim(r.out).empty() ? "0" : trim(r.out))) : 0;
}

}  // namespace

void define_sync(CLI::App& cmd, Session& s) {
  struct Options {
    std::string remote;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("REMOTE", o->remote, "the remote to sync with (default: the branch's upstream, else origin)");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Desk& d = s.desk();
    s.identity();  // a merge commit needs an author: fail early and clearly
    Git git(s, d.root());
    auto guard = d.lock();
    std::string branch = git.must({"symbolic-ref", "--short", "HEAD"}, "sync needs a branch checked out");
    std::string remote = o->remote;
    if (remote.empty()) {
      auto up = git.run({"rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"});
      std::string upstream = trim(up.out);
      remote = up.code == 0 && upstream.find('/') != std::string::npos ? upstream.substr(0, upstream.find('/')) : "origin";
    }
    if (git.run({"remote", "get-url", remote}).code != 0)
      throw Error(ErrorKind::usage, fmt::format("no remote '{}'", remote), "add one with `git remote add origin URL`, or name it: desk sync REMOTE");
    std::string tracking = fmt::format("refs/remotes/{}/{}", remote, branch);
    size_t incoming = 0, outgoing = 0;
    std::vector<std::string> in_ids, out_ids;
    std::string merged;
    bool pushed = false;
    for (int attempt = 0;; ++attempt) {
      auto f = git.run({"fetch", "--quiet", remote});
      if (f.code != 0)
        throw Error(ErrorKind::git, fmt::format("cannot fetch from '{}': {}", remote, Git::last_line(f.err)),
                    "nothing was changed; check the remote (git remote -v), the network and your access");
      bool remote_has_branch = git.run({"rev-parse", "--verify", "--quiet", tracking}).code == 0;
      if (remote_has_branch) {
        size_t n = count(git, "HEAD.." + tracking);
        if (n > 0) {
          incoming += n;
          for (auto& id : changed_tickets(git, "HEAD..." + tracking)) in_ids.push_back(id);
          auto m = git.run({"merge", "--no-edit", "-m", fmt::format("sync: merge {}/{}\n\nDesk-Action: sync", remote, branch), tracking});
          if (m.code != 0) {
            auto conflicted = split(git.run({"diff", "--name-only", "--diff-filter=U"}).out, '\n');
            git.run({"merge", "--abort"});
            if (conflicted.empty())
              throw Error(ErrorKind::git, fmt::format("cannot merge {}/{}: {}", remote, branch, Git::last_line(m.err + m.out)),
                          "your uncommitted changes may be in the way; commit or stash them and sync again");
            // The driver says which keys clashed; pass that on.
            std::vector<std::string> reasons;
            for (const auto& line : split(m.err + "\n" + m.out, '\n'))
              if (line.find("both sides changed") != std::string::npos) reasons.push_back(strip_controls_line(line.substr(line.find("error: ") == std::string::npos ? 0 : line.find("error: ") + 7)));
            throw Error(ErrorKind::conflict,
                        fmt::format("merging {}/{} conflicts in {}{}", remote, branch, join(conflicted, ", "),
                                    reasons.empty() ? "" : " (" + join(reasons, "; ") + ")"),
                        "nothing was changed; merge by hand with `git merge " + remote + "/" + branch + "`, then desk sync");
          }
          merged = git.must({"rev-parse", "HEAD"}, "cannot read HEAD");
        }
      }
      size_t ahead = count(git, remote_has_branch ? tracking + "..HEAD" : "HEAD");
      if (ahead == 0) break;
      auto p = git.run({"push", "--quiet", remote, "HEAD:refs/heads/" + branch});
      if (p.code == 0) {
        outgoing = ahead;
        out_ids = changed_tickets(git, remote_has_branch ? tracking + "@{1}...HEAD" : "HEAD");
        pushed = true;
        git.run({"fetch", "--quiet", remote});
        break;
      }
      bool rejected = p.err.find("rejected") != std::string::npos || p.err.find("fetch first") != std::string::npos ||
                      p.err.find("non-fast-forward") != std::string::npos;
      if (!rejected || attempt >= 5)
        throw Error(ErrorKind::git, fmt::format("cannot push to '{}': {}", remote, Git::last_line(p.err)),
                    rejected ? "others keep pushing; run desk sync again" : "your commits are safe locally; check your access to the remote");
    }
    std::sort(in_ids.begin(), in_ids.end());
    in_ids.erase(std::unique(in_ids.begin(), in_ids.end()), in_ids.end());
    if (o->json) {
      JsonWriter w;
      w.begin_object().key("desk_format").value(json_format).key("remote").value(remote).key("branch").value(branch);
      w.key("incoming").value(incoming).key("outgoing").value(outgoing);
      if (merged.empty()) w.key("merged").null(); else w.key("merged").value(merged);
      w.key("pushed").value(pushed);
      w.key("incoming_tickets").begin_array();
      for (const auto& id : in_ids) w.value(id);
      w.end_array().key("outgoing_tickets").begin_array();
      for (const auto& id : out_ids) w.value(id);
      w.end_array().end_object();
      s.out() << w.str();
    }
    if (incoming == 0 && outgoing == 0) {
      s.status(fmt::format("already in sync with {}/{}", remote, branch));
      return;
    }
    if (incoming) s.status(fmt::format("in:  {} commit{} from {}/{} ({} ticket{} changed){}", incoming, incoming == 1 ? "" : "s", remote, branch,
                                       in_ids.size(), in_ids.size() == 1 ? "" : "s", merged.empty() ? "" : ", merged"));
    if (outgoing) s.status(fmt::format("out: {} commit{} to {}/{}", outgoing, outgoing == 1 ? "" : "s", remote, branch));
  });
}

}  // namespace desk::cli
