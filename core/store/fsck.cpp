#include "core/store/fsck.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/util/error.hpp"
#include "core/model/limits.hpp"
#include "core/model/id.hpp"
#include "core/model/kb.hpp"
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
  std::vector<std::pair<std::string, git_oid>> files;
  if (auto t = git::tree_entry(snap.tree(), "tickets"); t && git_tree_entry_type(t.get()) == GIT_OBJECT_TREE) {
    git_tree* tree = nullptr;
    git::check(git_tree_lookup(&tree, desk.repo(), git_tree_entry_id(t.get())), "cannot read tickets/");
    git::TreePtr owner(tree);
    walk(desk.repo(), tree, "tickets/", files);
  }
  std::vector<Ticket> parsed;
  for (const auto& [path, oid] : files) {
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
    if (!t.tier.empty() && !cfg.tier_index(t.tier)) problems.push_back({path, 0, fmt::format("{}: unknown tier '{}'", path, t.tier)});
    if (!t.priority.empty() && !cfg.priority_index(t.priority))
      problems.push_back({path, 0, fmt::format("{}: unknown priority '{}'", path, t.priority)});
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
  }
  // Conflict markers in the working tree: a merge done without desk's driver, not yet committed.
  std::error_code ec;
  fs::path root = fs::path(desk.root()) / "tickets";
  if (fs::is_directory(root, ec)) {
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec || !it->is_regular_file(ec) || it->path().extension() != ".toml") continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      size_t line = 0;
      std::string rel = fs::relative(it->path(), desk.root(), ec).string();
      if (has_conflict_markers(ss.str(), &line) &&
          std::none_of(problems.begin(), problems.end(), [&](const FsckProblem& p) { return p.path == rel && p.line == line; }))
        problems.push_back({rel, line, fmt::format("{}:{}: conflict marker in the working tree", rel, line)});
    }
  }
  return problems;
}

}  // namespace desk
