#pragma once
// A desk: a git repository with .desk/config.toml. Reads come from the HEAD commit's tree (the
// committed files are the truth); every change is one commit made by commit(), the only code that
// writes to git.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/config.hpp"
#include "core/store/git.hpp"
#include "core/model/template.hpp"
#include "core/model/ticket.hpp"
#include "core/util/timeutil.hpp"

namespace desk {

class Index;
struct TicketQuery;

/// How a desk uses its derived index (core/index): on by default; a progress callback for a
/// long first build.
struct IndexSettings {
  bool enabled = true;
  std::function<void(size_t done, size_t total)> progress;
};

struct Identity {
  std::string name;
  std::string email;
  /// "Name <email>"
  std::string display() const;
};

/// Identity overrides from the environment (GIT_AUTHOR_*, GIT_COMMITTER_*), passed in by the CLI.
struct IdentityOverrides {
  std::optional<std::string> author_name, author_email, committer_name, committer_email;
};

/// A ticket file that could not be read, and why.
struct Problem {
  std::string path;
  std::string message;
};

/// The desk at one commit.
class Snapshot {
 public:
  Snapshot(git_repository* repo, git::TreePtr tree, std::optional<git_oid> commit);
  /// All ticket ids in the tree, sorted.
  std::vector<std::string> ticket_ids() const;
  /// Ticket ids starting with a prefix (looks only in the matching shard when it can).
  std::vector<std::string> ids_with_prefix(std::string_view prefix) const;
  /// The content of a file, or nullopt.
  std::optional<std::string> read(std::string_view path) const;
  /// The blob id of a file, or nullopt.
  std::optional<git_oid> blob_id(std::string_view path) const;
  /// Parses one ticket; throws Error(not_found), or Error(invalid) when the file does not parse
  /// or names another id.
  Ticket ticket(std::string_view id) const;
  /// Every ticket that parses, and a Problem for each that does not.
  std::pair<std::vector<Ticket>, std::vector<Problem>> all_tickets() const;
  /// The same for the tickets whose status `wanted` accepts; the others are skipped without
  /// being parsed when their status can be read off the file (peek_status).
  std::pair<std::vector<Ticket>, std::vector<Problem>> all_tickets(const std::function<bool(std::string_view status)>& wanted) const;
  const std::optional<git_oid>& commit() const { return commit_; }
  git_tree* tree() const { return tree_.get(); }
  git_repository* repo() const { return repo_; }

 private:
  git_repository* repo_;
  git::TreePtr tree_;
  std::optional<git_oid> commit_;
};

/// One file a change writes (content) or deletes (nullopt).
struct FileWrite {
  std::string path;
  std::optional<std::string> content;
  uint32_t mode = GIT_FILEMODE_BLOB;  // or GIT_FILEMODE_BLOB_EXECUTABLE
};

/// What a command commits: files, and a message made of subject, body and trailers.
struct Mutation {
  std::vector<FileWrite> files;
  std::string subject;
  std::string body;
  std::vector<std::pair<std::string, std::string>> trailers;
  /// A merge: the other parents after HEAD (files then hold the merged tree's changes).
  std::vector<git_oid> merge_parents;
  /// Move the branch to this existing commit instead of making one (a fast-forward; files hold
  /// the changes from HEAD's tree to its tree, for the working tree and index).
  std::optional<git_oid> fast_forward;
  /// Leave out files with uncommitted changes (reported in CommitResult::skipped) instead of
  /// refusing the whole change (the sweep: one hand-edited ticket must not stop it).
  bool skip_dirty = false;
};

struct CommitResult {
  std::string commit;                 // hex id, empty when nothing changed
  std::vector<std::string> warnings;  // e.g. the index could not be updated
  std::vector<std::string> files;     // the paths the commit wrote or removed, in order
  std::vector<std::string> skipped;   // with Mutation::skip_dirty: the paths left out, uncommitted changes
};

/// One desk commit read back from git for `desk log`.
struct LogEntry {
  std::string commit;
  Timestamp at{};
  std::string author_name;
  std::string author_email;
  std::string subject;
  std::string body;
  std::string ticket;  // Desk-Ticket trailer(s), comma-separated when a commit touched several
  std::string action;  // Desk-Action trailer
};

class Desk {
 public:
  /// Opens the desk containing start_dir. Throws Error(not_a_desk) outside a git repository or
  /// when HEAD has no .desk/config.toml.
  static Desk open(const std::string& start_dir);

  /// Creates a desk in dir (a new or existing git repository) in one commit. Throws Error(state)
  /// when a desk is already there.
  static CommitResult init(const std::string& dir, const Identity& author, const Identity& committer, Timestamp now);

  Desk(Desk&&) = default;
  Desk& operator=(Desk&&) = default;

  const Config& config() const { return config_; }
  /// The working tree's root, with a trailing slash.
  const std::string& root() const { return root_; }
  git_repository* repo() const { return repo_.get(); }

  /// The desk at HEAD now.
  Snapshot head() const;

  /// The full id for a prefix. Throws Error(not_found) for a malformed or unknown prefix, or
  /// Error(ambiguous) listing the candidates.
  std::string resolve(std::string_view prefix) const;

  /// The desk's templates (.desk/templates/*.toml), sorted by name.
  std::vector<Template> templates() const;
  /// One template; throws Error(not_found) listing the names there are.
  Template template_named(std::string_view name) const;

  /// The identity for commits: overrides first, then git config. Throws Error(identity).
  std::pair<Identity, Identity> identity(const IdentityOverrides& env) const;

  /// Builds a mutation from a fresh snapshot and commits it on the current branch with a
  /// compare-and-swap ref update, rebuilding and retrying when another writer moved the branch.
  /// Refuses (Error(dirty)) when a file it would write has uncommitted changes. Afterwards the
  /// written files in the working tree and index match the new HEAD.
  CommitResult commit(const Identity& author, const Identity& committer, Timestamp when,
                      const std::function<Mutation(const Snapshot&)>& build) const;

  /// Desk commits reachable from HEAD, newest first, optionally only those of one ticket.
  std::vector<LogEntry> log(std::optional<std::string> ticket_id, size_t limit = 0) const;

  /// Registers desk as the merge driver for ticket files in this clone's .git/config
  /// (merge.desk.driver = "EXE merge-file %O %A %B %P"), unless it already is.
  void ensure_merge_driver(const std::string& exe) const;

  /// Holds the clone's writer lock (the one commit() takes) for the life of the returned object,
  /// after finishing any change a killed desk left half done.
  std::shared_ptr<void> lock() const;

  /// Finishes (or rolls back) a change a killed desk process left half done (.git/desk-journal):
  /// brings the working tree and git's index to the branch it moved, releases the git lock it
  /// held. Returns what it did, for the user. With wait=false it does nothing while another
  /// desk process holds the writer lock.
  std::vector<std::string> finish_interrupted(bool wait) const;

  /// True when the working-tree file or its index entry differs from HEAD.
  bool is_dirty(const Snapshot& snap, std::string_view path) const;

  /// For crash tests: commit() kills its own process with SIGKILL at this point (locked, objects,
  /// journal, ref, worktree, index).
  void set_crash_point(std::string point) { crash_point_ = std::move(point); }
  void set_index_settings(IndexSettings s) { index_settings_ = std::move(s); }
  const IndexSettings& index_settings() const { return index_settings_; }
  /// Where the derived index lives: .git/desk-index.sqlite.
  std::string index_path() const;

 private:
  friend Index* desk_index(const Desk& d, const Snapshot& snap, bool text);
  friend std::vector<Problem> for_each_ticket(const Desk& d, const Snapshot& snap, const TicketQuery& q,
                                              const std::function<void()>& restart, const std::function<void(Ticket&&)>& each);
  friend void tickets_by_id(const Desk& d, const Snapshot& snap, const std::vector<std::string>& ids, bool texts,
                            const std::function<void(Ticket&&)>& each);
  void recover_locked(std::vector<std::string>& notes) const;
  IndexSettings index_settings_;
  std::string crash_point_;
  mutable std::shared_ptr<Index> index_;
  mutable bool index_failed_ = false;
  Desk(git::RepoPtr repo, std::string root, Config config);
  git::RepoPtr repo_;
  std::string root_;
  Config config_;
};

inline constexpr std::string_view config_path = ".desk/config.toml";
inline constexpr std::string_view templates_dir = ".desk/templates";
inline constexpr std::string_view macros_dir = ".desk/macros";

}  // namespace desk
