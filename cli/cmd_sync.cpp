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

// The change from HEAD to the merge of HEAD and theirs: a fast-forward, a merge commit, or nothing.
Mutation merge_into(Session& s, const Git& git, const Snapshot& snap, const git_oid& theirs, const std::string& subject,
                    const std::string& name) {
  git_repository* repo = s.desk().repo();
  Mutation m;
  const auto& ours = snap.commit();
  if (ours && (git_oid_equal(&*ours, &theirs) || git_graph_descendant_of(repo, &*ours, &theirs) == 1)) return m;
  git_oid tree_id;
  if (!ours || git_graph_descendant_of(repo, &theirs, &*ours) == 1) {
    m.fast_forward = theirs;
    git_commit* c = nullptr;
    git::check(git_commit_lookup(&c, repo, &theirs), "cannot read " + name);
    tree_id = *git_commit_tree_id(c);
    git_commit_free(c);
  } else {
    auto r = git.run({"merge-tree", "--write-tree", "--name-only", "--messages", git::oid_hex(*ours), git::oid_hex(theirs)});
    auto lines = split(r.out, '\n');
    if (r.code == 1) {
      std::vector<std::string> conflicted, reasons;
      for (size_t i = 1; i < lines.size() && !lines[i].empty(); ++i) conflicted.push_back(strip_controls(lines[i]));
      for (const auto& line : split(r.err + "\n" + r.out, '\n'))
        if (line.find("both sides changed") != std::string::npos)
          reasons.push_back(strip_controls(line.substr(line.find("error: ") == std::string::npos ? 0 : line.find("error: ") + 7)));
      throw Error(ErrorKind::conflict,
                  fmt::format("merging {} conflicts in {}{}", name, join(conflicted, ", "), reasons.empty() ? "" : " (" + join(reasons, "; ") + ")"),
                  "nothing was changed; merge by hand with `git merge " + name + "`, then desk sync");
    }
    if (r.code != 0 || lines.empty() || git_oid_fromstr(&tree_id, lines[0].c_str()) != 0)
      throw Error(ErrorKind::git, fmt::format("cannot merge {}: {}", name, Git::last_line(r.err + r.out)), "nothing was changed");
    m.merge_parents = {theirs};
  }
  git_tree* target = nullptr;
  git::check(git_tree_lookup(&target, repo, &tree_id), "cannot read the merged tree");
  git::TreePtr target_owner(target);
  git_diff* diff = nullptr;
  git::check(git_diff_tree_to_tree(&diff, repo, snap.tree(), target, nullptr), "cannot compare trees");
  std::unique_ptr<git_diff, decltype(&git_diff_free)> diff_owner(diff, git_diff_free);
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED) {
      m.files.push_back({d->old_file.path, std::nullopt});
      continue;
    }
    if (d->new_file.mode != GIT_FILEMODE_BLOB && d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE)
      throw Error(ErrorKind::state, fmt::format("{} brings {}, which is not a plain file (a symbolic link or submodule)", name, d->new_file.path),
                  "nothing was changed; merge with `git merge " + name + "` yourself, then desk sync");
    if (d->status == GIT_DELTA_MODIFIED && d->old_file.mode != d->new_file.mode && d->old_file.mode != GIT_FILEMODE_BLOB &&
        d->old_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE)
      throw Error(ErrorKind::state, fmt::format("{} replaces {}, which is not a plain file", name, d->new_file.path),
                  "nothing was changed; merge with `git merge " + name + "` yourself, then desk sync");
    m.files.push_back({d->new_file.path, git::blob_content(repo, d->new_file.id), d->new_file.mode});
  }
  m.subject = subject;
  m.trailers = {{"Desk-Action", "sync"}};
  return m;
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
    auto [author, committer] = s.identity();  // a merge commit needs an author: fail early and clearly
    Git git(s, d.root());
    // No writer lock across the network: the merge below is a desk commit (it takes the lock and
    // re-merges if the branch moved meanwhile), and a push sends whatever HEAD is then.
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
          // The merge is desk's own commit (git's index lock, the journal, durable): the system
          // git only computes the merged tree (`git merge-tree`, with desk's driver for tickets),
          // so a user's git command running meanwhile, or a kill, cannot leave a half merge.
          git_oid theirs;
          git::check(git_oid_fromstr(&theirs, git.must({"rev-parse", tracking}, "cannot read " + tracking).c_str()), "bad commit id");
          auto r = d.commit(author, committer, s.now(), [&](const Snapshot& snap) {
            return merge_into(s, git, snap, theirs, fmt::format("sync: merge {}/{}", remote, branch), remote + "/" + branch);
          });
          for (const auto& w : r.warnings) s.err() << "desk: warning: " << strip_controls_line(w) << "\n";
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
      // Refused because the remote moved on: fetch, merge and try again. Refused by the server
      // (a hook, a protected branch): say what the server said.
      bool moved = p.err.find("[rejected]") != std::string::npos || p.err.find("fetch first") != std::string::npos ||
                   p.err.find("non-fast-forward") != std::string::npos;
      if (!moved) {
        std::vector<std::string> said;
        for (const auto& line : split(p.err, '\n'))
          if (line.rfind("remote: ", 0) == 0 && !trim(line.substr(8)).empty()) said.push_back(strip_controls(trim(line.substr(8))));
        throw Error(ErrorKind::git,
                    fmt::format("cannot push to '{}': {}{}", remote, Git::last_line(p.err), said.empty() ? "" : "; the server said: " + join(said, " / ")),
                    "your commits are safe locally; check your access to the remote and what the server requires");
      }
      if (attempt >= 5)
        throw Error(ErrorKind::git, fmt::format("cannot push to '{}': {}", remote, Git::last_line(p.err)), "others keep pushing; run desk sync again");
    }
    std::sort(in_ids.begin(), in_ids.end());
    in_ids.erase(std::unique(in_ids.begin(), in_ids.end()), in_ids.end());
    if (o->json) {
      JsonWriter w = s.json();
      w.begin_document().key("remote").value(remote).key("branch").value(branch);
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
