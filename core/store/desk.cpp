#include "core/store/desk.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/model/embedded.hpp"
#include "core/util/error.hpp"
#include "core/model/limits.hpp"
#include "core/model/id.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk {

std::string Identity::display() const { return fmt::format("{} <{}>", name, email); }

namespace {

git::TreePtr empty_tree(git_repository* repo) {
  git_treebuilder* bld = nullptr;
  git::check(git_treebuilder_new(&bld, repo, nullptr), "cannot build a tree");
  git_oid oid;
  int rc = git_treebuilder_write(&oid, bld);
  git_treebuilder_free(bld);
  git::check(rc, "cannot write a tree");
  git_tree* tree = nullptr;
  git::check(git_tree_lookup(&tree, repo, &oid), "cannot read a tree");
  return git::TreePtr(tree);
}

Snapshot snapshot_at(git_repository* repo, std::optional<git_oid> commit) {
  if (!commit) return Snapshot(repo, empty_tree(repo), std::nullopt);
  // A command asks for HEAD several times; the commit's tree is read once.
  static std::mutex mu;
  static std::optional<std::pair<git_oid, git_oid>> last;  // commit, its tree
  {
    std::lock_guard<std::mutex> lock(mu);
    if (last && git_oid_equal(&last->first, &*commit)) {
      git_tree* tree = nullptr;
      git::check(git_tree_lookup(&tree, repo, &last->second), "cannot read the HEAD tree");
      return Snapshot(repo, git::TreePtr(tree), commit);
    }
  }
  // The tree id is the commit's first line. Reading it there skips parsing the whole commit,
  // which costs time in proportion to the message (an import of 100k tickets names each one).
  git_odb* odb = nullptr;
  git::check(git_repository_odb(&odb, repo), "cannot open the object database");
  std::unique_ptr<git_odb, git::Deleter<git_odb, git_odb_free>> odb_owner(odb);
  git_odb_object* raw = nullptr;
  git::check(git_odb_read(&raw, odb, &*commit), "cannot read the HEAD commit");
  std::unique_ptr<git_odb_object, git::Deleter<git_odb_object, git_odb_object_free>> raw_owner(raw);
  std::string_view text(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  git_oid tree_id;
  if (git_odb_object_type(raw) != GIT_OBJECT_COMMIT || text.size() < 45 || text.substr(0, 5) != "tree " ||
      git_oid_fromstrn(&tree_id, text.data() + 5, 40) != 0)
    throw Error(ErrorKind::git, "cannot read the HEAD commit: it names no tree", "check the repository with `git fsck`");
  {
    std::lock_guard<std::mutex> lock(mu);
    last = std::make_pair(*commit, tree_id);
  }
  git_tree* tree = nullptr;
  git::check(git_tree_lookup(&tree, repo, &tree_id), "cannot read the HEAD tree");
  return Snapshot(repo, git::TreePtr(tree), commit);
}

}  // namespace

Snapshot::Snapshot(git_repository* repo, git::TreePtr tree, std::optional<git_oid> commit)
    : repo_(repo), tree_(std::move(tree)), commit_(commit) {}

std::optional<std::string> Snapshot::read(std::string_view path) const {
  auto id = blob_id(path);
  if (!id) return std::nullopt;
  return git::blob_content(repo_, *id);
}

std::optional<git_oid> Snapshot::blob_id(std::string_view path) const {
  auto entry = git::tree_entry(tree_.get(), path);
  if (!entry || git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::nullopt;
  return *git_tree_entry_id(entry.get());
}

namespace {

// Appends the ids of ticket files in one shard tree whose names start with prefix.
void collect_shard(git_repository* repo, const git_tree_entry* shard, std::string_view prefix, std::vector<std::string>& out) {
  if (git_tree_entry_type(shard) != GIT_OBJECT_TREE) return;
  git_tree* t = nullptr;
  git::check(git_tree_lookup(&t, repo, git_tree_entry_id(shard)), "cannot read a shard");
  git::TreePtr tree(t);
  size_t n = git_tree_entrycount(t);
  for (size_t i = 0; i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(t, i);
    std::string_view name = git_tree_entry_name(e);
    if (name.size() != ticket_id_length + 5 || name.substr(ticket_id_length) != ".toml") continue;
    std::string_view id = name.substr(0, ticket_id_length);
    if (!is_ticket_id(id) || id.substr(0, prefix.size()) != prefix) continue;
    out.emplace_back(id);
  }
}

}  // namespace

std::vector<std::string> Snapshot::ids_with_prefix(std::string_view prefix) const {
  std::vector<std::string> out;
  auto tickets = git::tree_entry(tree_.get(), "tickets");
  if (!tickets || git_tree_entry_type(tickets.get()) != GIT_OBJECT_TREE) return out;
  git_tree* t = nullptr;
  git::check(git_tree_lookup(&t, repo_, git_tree_entry_id(tickets.get())), "cannot read tickets/");
  git::TreePtr tree(t);
  if (prefix.size() >= 2) {
    if (const git_tree_entry* shard = git_tree_entry_byname(t, std::string(prefix.substr(0, 2)).c_str()))
      collect_shard(repo_, shard, prefix, out);
  } else {
    size_t n = git_tree_entrycount(t);
    for (size_t i = 0; i < n; ++i) {
      const git_tree_entry* shard = git_tree_entry_byindex(t, i);
      std::string_view name = git_tree_entry_name(shard);
      if (name.size() == 2 && name.substr(0, prefix.size()) == prefix) collect_shard(repo_, shard, prefix, out);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Snapshot::ticket_ids() const { return ids_with_prefix(""); }

Ticket Snapshot::ticket(std::string_view id) const {
  std::string path = ticket_path(id);
  if (auto blob = blob_id(path)) check_read_size(path, git::blob_size(repo_, *blob));
  auto text = read(path);
  if (!text) throw Error(ErrorKind::not_found, fmt::format("no ticket '{}'", id), "list tickets with `desk list --all`");
  Ticket t = parse_ticket(*text, path);
  // The file's name is the ticket's identity: a file claiming another id must never be written
  // back under that other id (it would overwrite a different ticket).
  if (t.id != id)
    throw Error(ErrorKind::invalid, fmt::format("{}: the file's id '{}' does not match its name", path, t.id),
                "fix the id in the file by hand and commit it, or remove the file");
  return t;
}

std::pair<std::vector<Ticket>, std::vector<Problem>> Snapshot::all_tickets() const { return all_tickets(nullptr); }

std::pair<std::vector<Ticket>, std::vector<Problem>> Snapshot::all_tickets(
    const std::function<bool(std::string_view status)>& wanted) const {
  std::vector<Ticket> tickets;
  std::vector<Problem> problems;
  // Walk tickets/ once and read each blob by id: looking every file up by path would re-read
  // the tickets/ tree (a thousand shards) once per ticket.
  std::vector<std::pair<std::string, git_oid>> files;
  auto top = git::tree_entry(tree_.get(), "tickets");
  if (top && git_tree_entry_type(top.get()) == GIT_OBJECT_TREE) {
    git_tree* t = nullptr;
    git::check(git_tree_lookup(&t, repo_, git_tree_entry_id(top.get())), "cannot read tickets/");
    git::TreePtr owner(t);
    for (size_t i = 0; i < git_tree_entrycount(t); ++i) {
      const git_tree_entry* shard = git_tree_entry_byindex(t, i);
      if (git_tree_entry_type(shard) != GIT_OBJECT_TREE || std::string_view(git_tree_entry_name(shard)).size() != 2) continue;
      git_tree* st = nullptr;
      git::check(git_tree_lookup(&st, repo_, git_tree_entry_id(shard)), "cannot read a shard");
      git::TreePtr shard_owner(st);
      for (size_t k = 0; k < git_tree_entrycount(st); ++k) {
        const git_tree_entry* e = git_tree_entry_byindex(st, k);
        std::string_view name = git_tree_entry_name(e);
        if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || name.size() != ticket_id_length + 5 || name.substr(ticket_id_length) != ".toml") continue;
        std::string id(name.substr(0, ticket_id_length));
        if (!is_ticket_id(id) || id.substr(0, 2) != git_tree_entry_name(shard)) continue;
        files.emplace_back(id, *git_tree_entry_id(e));
      }
    }
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [id, oid] : files) {
    std::string path = ticket_path(id);
    try {
      check_read_size(path, git::blob_size(repo_, oid));
      std::string text = git::blob_content(repo_, oid);
      if (wanted) {
        // An unknown status is parsed, so the reader hears of the broken file.
        auto status = peek_status(text);
        if (status && std::find(all_statuses.begin(), all_statuses.end(), *status) != all_statuses.end() && !wanted(*status))
          continue;
      }
      Ticket t = parse_ticket(text, path);
      if (wanted && !wanted(t.status)) continue;
      if (t.id != id) {
        problems.push_back({path, fmt::format("{}: the file's id '{}' does not match its name", path, t.id)});
        continue;
      }
      tickets.push_back(std::move(t));
    } catch (const Error& e) {
      problems.push_back({path, e.what()});
    }
  }
  return {std::move(tickets), std::move(problems)};
}

Desk::Desk(git::RepoPtr repo, std::string root, Config config)
    : repo_(std::move(repo)), root_(std::move(root)), config_(std::move(config)) {}

Desk Desk::open(const std::string& start_dir) {
  git::init_library();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, start_dir.c_str(), 0, nullptr) != 0) {
    git_error_clear();
    throw Error(ErrorKind::not_a_desk, fmt::format("not a desk: '{}' is not inside a git repository", start_dir),
                "create one with `desk init`, or pass -C DIR");
  }
  git::RepoPtr repo(raw);
  const char* wd = git_repository_workdir(raw);
  if (!wd) throw Error(ErrorKind::not_a_desk, "not a desk: the repository is bare", "run desk in a clone with a working tree");
  Snapshot snap = snapshot_at(raw, git::head_commit(raw));
  auto text = snap.read(config_path);
  if (!text)
    throw Error(ErrorKind::not_a_desk, fmt::format("not a desk: {} has no committed {}", wd, config_path),
                "create a desk with `desk init`");
  Config config = parse_config(*text, config_path);
  return Desk(std::move(repo), wd, std::move(config));
}

CommitResult Desk::init(const std::string& dir, const Identity& author, const Identity& committer, Timestamp now) {
  git::init_library();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot create directory '{}': {}", dir, ec.message()));
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    git_error_clear();
    git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    opts.flags = GIT_REPOSITORY_INIT_MKPATH;
    opts.initial_head = "main";
    git::check(git_repository_init_ext(&raw, dir.c_str(), &opts), fmt::format("cannot create a git repository in '{}'", dir));
  }
  git::RepoPtr repo(raw);
  const char* wd = git_repository_workdir(raw);
  if (!wd) throw Error(ErrorKind::usage, "cannot create a desk in a bare repository", "clone it and run `desk init` in the clone");
  std::string root = wd;
  Snapshot snap = snapshot_at(raw, git::head_commit(raw));
  if (snap.read(config_path) || fs::exists(root + std::string(config_path)))
    throw Error(ErrorKind::state, fmt::format("'{}' already has a desk ({} exists)", dir, config_path),
                "use the existing desk, or remove .desk/ first if you really mean to start over");
  Config config = parse_config(default_config_text(), config_path);
  Desk d(std::move(repo), root, std::move(config));
  return d.commit(author, committer, now, [](const Snapshot& s) {
    Mutation m;
    m.files.push_back({std::string(config_path), std::string(default_config_text())});
    for (const auto& f : embedded_templates())
      m.files.push_back({std::string(templates_dir) + "/" + std::string(f.name), std::string(f.content)});
    for (const auto& f : embedded_macros())
      m.files.push_back({std::string(macros_dir) + "/" + std::string(f.name), std::string(f.content)});
    std::string attrs = s.read(".gitattributes").value_or("");
    const std::string line = "tickets/** merge=desk";
    if (attrs.find(line) == std::string::npos) {
      if (!attrs.empty() && attrs.back() != '\n') attrs += '\n';
      attrs += "# desk: ticket files merge with desk's lossless ticket merge; config and templates key by key\n" + line +
               "\n.desk/** merge=desk\n";
      m.files.push_back({".gitattributes", attrs});
    }
    m.subject = "init desk";
    m.body = "Tiers L0-L4, priorities P1-P5, the shipped templates and macros.";
    m.trailers = {{"Desk-Action", "init"}};
    return m;
  });
}

Snapshot Desk::head() const { return snapshot_at(repo_.get(), git::head_commit(repo_.get())); }

std::string Desk::resolve(std::string_view prefix_in) const {
  std::string prefix = lower(trim(prefix_in));
  if (!is_id_prefix(prefix))
    throw Error(ErrorKind::not_found, fmt::format("'{}' is not a ticket id", std::string(prefix_in)),
                "ticket ids use the characters 0-9 and a-z except i, l, o, u; list them with `desk list --all`");
  auto ids = head().ids_with_prefix(prefix);
  if (ids.empty())
    throw Error(ErrorKind::not_found, fmt::format("no ticket matches '{}'", prefix), "list tickets with `desk list --all`");
  if (ids.size() > 1) {
    std::vector<std::string> shown(ids.begin(), ids.begin() + static_cast<long>(std::min<size_t>(ids.size(), 10)));
    std::string list = join(shown, ", ") + (ids.size() > 10 ? fmt::format(" and {} more", ids.size() - 10) : "");
    throw Error(ErrorKind::ambiguous, fmt::format("ticket '{}' is ambiguous: {}", prefix, list), "type more characters of the id");
  }
  return ids.front();
}

std::vector<Template> Desk::templates() const {
  std::vector<Template> out;
  Snapshot snap = head();
  auto dir = git::tree_entry(snap.tree(), templates_dir);
  if (!dir || git_tree_entry_type(dir.get()) != GIT_OBJECT_TREE) return out;
  git_tree* t = nullptr;
  git::check(git_tree_lookup(&t, repo_.get(), git_tree_entry_id(dir.get())), "cannot read templates");
  git::TreePtr tree(t);
  for (size_t i = 0; i < git_tree_entrycount(t); ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(t, i);
    std::string name = git_tree_entry_name(e);
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".toml") continue;
    std::string path = std::string(templates_dir) + "/" + name;
    out.push_back(parse_template(git::blob_content(repo_.get(), *git_tree_entry_id(e)), name.substr(0, name.size() - 5), path));
  }
  return out;
}

Template Desk::template_named(std::string_view name) const {
  bool slug = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (slug) {
    std::string path = fmt::format("{}/{}.toml", templates_dir, name);
    if (auto text = head().read(path)) return parse_template(*text, name, path);
  }
  std::vector<std::string> names;
  for (const auto& t : templates()) names.push_back(t.name);
  throw Error(ErrorKind::not_found, fmt::format("no template '{}'", std::string(name)),
              names.empty() ? "this desk has no templates in .desk/templates/" : "use one of: " + join(names, ", "));
}

std::pair<Identity, Identity> Desk::identity(const IdentityOverrides& env) const {
  git_config* cfg_raw = nullptr;
  git::check(git_repository_config_snapshot(&cfg_raw, repo_.get()), "cannot read git config");
  git::ConfigPtr cfg(cfg_raw);
  auto get = [&](const char* key) -> std::string {
    const char* v = nullptr;
    if (git_config_get_string(&v, cfg_raw, key) == 0 && v) return v;
    git_error_clear();
    return {};
  };
  std::string cfg_name = get("user.name"), cfg_email = get("user.email");
  Identity author{env.author_name.value_or(cfg_name), env.author_email.value_or(cfg_email)};
  if (trim(author.name).empty() || trim(author.email).empty())
    throw Error(ErrorKind::identity, "no git identity: desk records who made each change, and git does not know who you are",
                "run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`");
  Identity committer{env.committer_name.value_or(author.name), env.committer_email.value_or(author.email)};
  return {author, committer};
}

void Desk::ensure_merge_driver(const std::string& exe) const {
  if (exe.empty()) return;
  std::string want = "'" + exe + "' merge-file %O %A %B %P";
  git_config* raw = nullptr;
  if (git_repository_config(&raw, repo_.get()) != 0) {
    git_error_clear();
    return;
  }
  git::ConfigPtr cfg(raw);
  git_config* local_raw = nullptr;
  if (git_config_open_level(&local_raw, raw, GIT_CONFIG_LEVEL_LOCAL) != 0) {
    git_error_clear();
    return;
  }
  git::ConfigPtr local(local_raw);
  git_buf current = GIT_BUF_INIT;
  bool same = git_config_get_string_buf(&current, local_raw, "merge.desk.driver") == 0 && want == current.ptr;
  git_buf_dispose(&current);
  git_error_clear();
  if (same) return;
  // Best effort: a read-only .git/config must not stop a read command.
  if (git_config_set_string(local_raw, "merge.desk.name", "desk lossless ticket merge") != 0 ||
      git_config_set_string(local_raw, "merge.desk.driver", want.c_str()) != 0)
    git_error_clear();
}

std::string Desk::index_path() const { return std::string(git_repository_path(repo_.get())) + "desk-index.sqlite"; }

std::vector<LogEntry> Desk::log(std::optional<std::string> ticket_id, size_t limit) const {
  std::vector<LogEntry> out;
  auto head_id = git::head_commit(repo_.get());
  if (!head_id) return out;
  git_revwalk* walk_raw = nullptr;
  git::check(git_revwalk_new(&walk_raw, repo_.get()), "cannot walk history");
  git::WalkPtr walk(walk_raw);
  git_revwalk_sorting(walk_raw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  git::check(git_revwalk_push(walk_raw, &*head_id), "cannot walk history");
  git_oid oid;
  while (git_revwalk_next(&oid, walk_raw) == 0) {
    git_commit* c = nullptr;
    git::check(git_commit_lookup(&c, repo_.get(), &oid), "cannot read a commit");
    git::CommitPtr commit(c);
    const char* msg = git_commit_message(c);
    git_message_trailer_array trailers{};
    if (git_message_trailers(&trailers, msg) != 0) {
      git_error_clear();
      continue;
    }
    LogEntry e;
    std::vector<std::string> tickets;
    for (size_t i = 0; i < trailers.count; ++i) {
      std::string_view k = trailers.trailers[i].key;
      if (k == "Desk-Ticket") tickets.emplace_back(trailers.trailers[i].value);
      if (k == "Desk-Action") e.action = trailers.trailers[i].value;
    }
    git_message_trailer_array_free(&trailers);
    if (e.action.empty()) continue;
    if (ticket_id && std::find(tickets.begin(), tickets.end(), *ticket_id) == tickets.end()) continue;
    e.ticket = join(tickets, ",");
    e.commit = git::oid_hex(oid);
    const git_signature* a = git_commit_author(c);
    e.author_name = a->name;
    e.author_email = a->email;
    e.at = Timestamp{std::chrono::seconds{a->when.time}};
    e.subject = git_commit_summary(c) ? git_commit_summary(c) : "";
    // The body without the trailer paragraph.
    std::string body = git_commit_body(c) ? git_commit_body(c) : "";
    auto last_para = body.rfind("\n\n");
    std::string tail = last_para == std::string::npos ? body : body.substr(last_para + 2);
    if (tail.rfind("Desk-", 0) == 0) body = last_para == std::string::npos ? "" : body.substr(0, last_para);
    e.body = trim(body);
    out.push_back(std::move(e));
    if (limit && out.size() >= limit) break;
  }
  return out;
}

}  // namespace desk
