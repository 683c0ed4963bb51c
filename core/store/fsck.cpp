#include "core/store/fsck.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <fstream>
#include <set>
#include <sstream>

#include "core/util/error.hpp"
#include "core/model/limits.hpp"
#include "core/model/id.hpp"
#include "core/model/kb.hpp"
#include "core/model/macro.hpp"
#include "core/store/gitindex.hpp"
#include "core/store/merge.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk {

namespace {

// "path:12:3: what" from a parse error becomes a problem with its line.
FsckProblem from_error(const std::string& path, const std::string& message) {
  FsckProblem p{path, 0, message};
  if (message.rfind(path + ":", 0) == 0) {
    size_t line = 0;
    std::istringstream in(message.substr(path.size() + 1));
    if (in >> line) p.line = line;
  }
  return p;
}

void walk(git_repository* repo, git_tree* tree, const std::string& prefix, std::vector<std::pair<std::string, git_oid>>& out) {
  for (size_t i = 0; i < git_tree_entrycount(tree); ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree, i);
    std::string path = prefix + git_tree_entry_name(e);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      git_tree* sub = nullptr;
      git::check(git_tree_lookup(&sub, repo, git_tree_entry_id(e)), "cannot read a tree");
      git::TreePtr owner(sub);
      walk(repo, sub, path + "/", out);
    } else {
      out.emplace_back(path, *git_tree_entry_id(e));
    }
  }
}

// A git lock file older than this is reported (git holds its locks for moments).
constexpr long stale_lock_seconds = 10;

std::optional<long> age_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<long>(std::time(nullptr) - st.st_mtime);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The repository around the committed files: what a killed process or a hand edit left behind.
void repository_problems(const Desk& desk, const Snapshot& snap, const std::vector<std::pair<std::string, git_oid>>& files,
                         std::vector<FsckProblem>& problems) {
  std::string gitdir = git_repository_path(desk.repo());
  for (const char* dir : {"tickets", "kb", ".desk"})
    if (auto e = git::tree_entry(snap.tree(), dir); e && git_tree_entry_type(e.get()) != GIT_OBJECT_TREE)
      problems.push_back({dir, 0, fmt::format("{}: committed as a {} instead of a directory, so desk sees none of its files; "
                                              "replace it with the directory (`git rm {}` and commit)",
                                              dir, git_tree_entry_filemode(e.get()) == GIT_FILEMODE_LINK ? "symbolic link" : "file", dir)});
  if (fs::exists(gitdir + "desk-journal.undone")) {
    std::string commit, subject;
    std::vector<std::string> paths;
    for (const auto& line : split(slurp(gitdir + "desk-journal.undone"), '\n')) {
      if (line.rfind("new ", 0) == 0) commit = line.substr(4, 12);
      if (line.rfind("subject ", 0) == 0) subject = line.substr(8);
      if (line.rfind("file ", 0) == 0) paths.push_back(line.substr(5));
    }
    problems.push_back({".git/desk-journal.undone", 0,
                        fmt::format(".git/desk-journal.undone: desk's change {} ({}) was undone by a commit made while desk was "
                                    "interrupted; restore it with `git checkout {} -- {}` and commit, then remove the journal",
                                    commit, strip_controls(subject), commit, join(paths, " "))});
  }
  if (fs::exists(gitdir + "desk-journal"))
    problems.push_back({".git/desk-journal", 0, ".git/desk-journal: a desk change was interrupted and is not finished yet; any desk command finishes it"});
  git_reference* head = nullptr;
  std::vector<std::string> locks = {"index.lock"};
  if (git_reference_lookup(&head, desk.repo(), "HEAD") == 0) {
    if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) locks.push_back(std::string(git_reference_symbolic_target(head)) + ".lock");
    git_reference_free(head);
  } else {
    git_error_clear();
  }
  for (const auto& lock : locks)
    if (auto age = age_of(gitdir + lock); age && *age >= stale_lock_seconds)
      problems.push_back({".git/" + lock, 0, fmt::format(".git/{}: a git lock {} s old; git and desk cannot change the repository while it is there; "
                                                         "if no git command is running, remove it (`rm .git/{}`)",
                                                         lock, *age, lock)});
  // git's index against HEAD, for the ticket files.
  std::string why;
  std::unique_ptr<gitindex::File> index;
  if (auto bytes = std::ifstream(gitdir + "index", std::ios::binary); bytes) index = gitindex::File::parse(slurp(gitdir + "index"), &why);
  if (!index) return;
  for (const auto& [path, oid] : files) {
    auto e = index->find(path);
    if (e.conflicted) continue;  // reported with the conflict markers
    if (!e.staged)
      problems.push_back({path, 0, fmt::format("{}: deleted in git's index but not committed; undo with `git reset -q -- {}`", path, path)});
    else if (!git_oid_equal(&e.id, &oid))
      problems.push_back({path, 0, fmt::format("{}: changed in git's index but not committed; commit it, or undo with `git reset -q -- {}`", path, path)});
  }
}

}  // namespace

std::vector<FsckProblem> fsck(const Desk& desk) {
  std::vector<FsckProblem> problems;
  const Config& cfg = desk.config();
  Snapshot snap = desk.head();
  try {
    desk.templates();
  } catch (const Error& e) {
    auto msg = std::string(e.what());
    problems.push_back(from_error(msg.substr(0, msg.find(':')), msg));
  }
  // Macros: each that does not parse, with its line, or checks against the config.
  for (const auto& p : all_macros(snap, cfg).second) problems.push_back(from_error(p.path, p.message));
  std::vector<std::pair<std::string, git_oid>> files;
  if (auto t = git::tree_entry(snap.tree(), "tickets"); t && git_tree_entry_type(t.get()) == GIT_OBJECT_TREE) {
    git_tree* tree = nullptr;
    git::check(git_tree_lookup(&tree, desk.repo(), git_tree_entry_id(t.get())), "cannot read tickets/");
    git::TreePtr owner(tree);
    walk(desk.repo(), tree, "tickets/", files);
  }
  std::vector<Ticket> parsed;
  for (const auto& file : files) {
    const std::string& path = file.first;  // not a structured binding: clang 14 lambdas cannot capture one
    const git_oid& oid = file.second;
    std::string name = path.substr(path.rfind('/') + 1);
    std::string id = name.size() > 5 && name.substr(name.size() - 5) == ".toml" ? name.substr(0, name.size() - 5) : "";
    if (!is_ticket_id(id) || path != ticket_path(id)) {
      problems.push_back({path, 0, fmt::format("{}: not a ticket file name (tickets/XX/ID.toml, XX the id's first two characters)", path)});
      continue;
    }
    try {
      check_read_size(path, git::blob_size(desk.repo(), oid));
    } catch (const Error& e) {
      problems.push_back(from_error(path, e.what()));
      continue;
    }
    std::string text = git::blob_content(desk.repo(), oid);
    size_t marker_line = 0;
    if (has_conflict_markers(text, &marker_line)) {
      problems.push_back({path, marker_line, fmt::format("{}:{}: conflict marker: the file was merged without desk's merge", path, marker_line)});
      continue;
    }
    Ticket t;
    try {
      t = parse_ticket(text, path);
    } catch (const Error& e) {
      problems.push_back(from_error(path, e.what()));
      continue;
    }
    if (t.id != id) problems.push_back({path, 0, fmt::format("{}: the file's id '{}' does not match its name", path, t.id)});
    auto key_line = [&](std::string_view key) {
      size_t n = 1;
      for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1, ++n) {
        if (text.compare(at, key.size(), key) == 0 && text.find_first_not_of(' ', at + key.size()) == text.find('=', at + key.size()))
          return n;
        if (text.find('\n', at) == std::string::npos) break;
      }
      return size_t(0);
    };
    auto at_line = [&](std::string_view key, const std::string& what) {
      size_t n = key_line(key);
      return FsckProblem{path, n, n ? fmt::format("{}:{}: {}", path, n, what) : fmt::format("{}: {}", path, what)};
    };
    if (!t.tier.empty() && !cfg.tier_index(t.tier)) problems.push_back(at_line("tier", fmt::format("unknown tier '{}'", strip_controls(t.tier))));
    if (!t.priority.empty() && !cfg.priority_index(t.priority))
      problems.push_back(at_line("priority", fmt::format("unknown priority '{}'", strip_controls(t.priority))));
    std::set<std::string> ids;
    for (const auto& e : t.history)
      if (!ids.insert(e.id).second) problems.push_back({path, 0, fmt::format("{}: history entry id '{}' appears twice", path, e.id)});
    if (t.history.empty()) problems.push_back({path, 0, fmt::format("{}: no history", path)});
    if (t.history.size() > max_history_entries)
      problems.push_back({path, 0, fmt::format("{}: {} history entries, over the {} desk adds to a ticket", path, t.history.size(),
                                               max_history_entries)});
    parsed.push_back(std::move(t));
  }
  // The knowledge base: files that do not parse or are badly named, and links that dangle.
  auto [articles, kb_problems] = all_articles(snap);
  for (const auto& p : kb_problems) problems.push_back(from_error(p.path, p.message));
  std::set<std::string> slugs, known_files;
  for (const auto& a : articles) slugs.insert(a.slug);
  for (const auto& p : kb_problems) known_files.insert(p.path);
  std::set<std::string> ids;
  for (const auto& t : parsed) ids.insert(t.id);
  for (const auto& a : articles) {
    std::string path = article_path(a.slug);
    if (a.title.empty() || a.title.find('\n') != std::string::npos)
      problems.push_back({path, 0, fmt::format("{}: the title is empty or has a line break", path)});
    for (const auto& id : a.tickets)
      if (!is_ticket_id(id))
        problems.push_back({path, 0, fmt::format("{}: tickets lists '{}', which is not a ticket id", path, strip_controls(id))});
      else if (!ids.count(id))
        problems.push_back({path, 0, fmt::format("{}: tickets names a missing ticket '{}'", path, id)});
  }
  for (const auto& t : parsed) {
    std::string path = ticket_path(t.id);
    for (const auto& slug : t.kb) {
      if (!is_valid_slug(slug))
        problems.push_back({path, 0, fmt::format("{}: kb link '{}' is not a valid article slug", path, strip_controls(slug))});
      else if (!slugs.count(slug) && !known_files.count(article_path(slug)))
        problems.push_back({path, 0, fmt::format("{}: kb link to a missing article '{}'", path, slug)});
    }
    if (!t.duplicate_of.empty()) {
      if (!is_ticket_id(t.duplicate_of) || t.duplicate_of == t.id)
        problems.push_back({path, 0, fmt::format("{}: duplicate_of '{}' is not another ticket's id", path, strip_controls(t.duplicate_of))});
      else if (!ids.count(t.duplicate_of))
        problems.push_back({path, 0, fmt::format("{}: duplicate_of names a missing ticket '{}'", path, t.duplicate_of)});
    }
    auto names = [&](const char* field, const std::string& other) {
      if (other.empty()) return;
      if (!is_ticket_id(other) || other == t.id)
        problems.push_back({path, 0, fmt::format("{}: {} '{}' is not another ticket's id", path, field, strip_controls(other))});
      else if (!ids.count(other))
        problems.push_back({path, 0, fmt::format("{}: {} names a missing ticket '{}'", path, field, other)});
    };
    for (const auto& other : t.related) names("related", other);
    names("parent", t.parent);
    names("problem", t.problem);
  }
  repository_problems(desk, snap, files, problems);
  // The working tree's ticket files: conflict markers (a merge done without desk's driver),
  // edits not committed, files a killed writer left.
  std::map<std::string, git_oid> committed(files.begin(), files.end());
  std::error_code ec;
  fs::path root = fs::path(desk.root()) / "tickets";
  if (fs::is_directory(root, ec)) {
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || !it->is_regular_file(ec)) continue;
      std::string rel = fs::relative(it->path(), desk.root(), ec).string();
      if (it->path().extension() == ".desk-tmp") {
        problems.push_back({rel, 0, fmt::format("{}: a temporary file a killed desk left; remove it", rel)});
        continue;
      }
      if (it->path().extension() != ".toml") continue;
      std::string text = slurp(it->path());
      size_t line = 0;
      if (has_conflict_markers(text, &line)) {
        if (std::none_of(problems.begin(), problems.end(), [&](const FsckProblem& p) { return p.path == rel && p.line == line; }))
          problems.push_back({rel, line, fmt::format("{}:{}: conflict marker in the working tree", rel, line)});
        continue;
      }
      git_oid oid;
      auto c = committed.find(rel);
      if (git_odb_hash(&oid, text.data(), text.size(), GIT_OBJECT_BLOB) == 0 && c != committed.end() && !git_oid_equal(&oid, &c->second))
        problems.push_back({rel, 0, fmt::format("{}: changed in the working tree but not committed; commit it (`git commit {}`) "
                                                "or discard it (`git checkout HEAD -- {}`)",
                                                rel, rel, rel)});
    }
  }
  return problems;
}

}  // namespace desk
