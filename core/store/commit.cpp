// Desk::commit, the only writer, and what makes it safe beside git and across crashes:
//
// 1. `.git/desk.lock` (flock) serializes desk processes of one clone.
// 2. `.git/index.lock` is git's own lock on the index: desk takes it (O_EXCL, as git does) for
//    the whole change, from reading HEAD until after the branch has moved.
// 3. The order of a change: the working tree and git's index first, the branch last. `git
//    commit` reads HEAD, then the index, both before it takes the lock (it fails if desk holds
//    it), and moves the branch with a compare-and-swap on the HEAD it read. With the index in
//    place first, a git commit that read desk's new HEAD also read desk's new index; one that read
//    the old HEAD fails its swap. (Branch first, index last, as git itself does, let a git
//    commit read the new HEAD with the old index and put back what desk had just changed.)
// 4. `.git/desk-journal` records the change (old and new commit, the files) before the working
//    tree is touched: a complete journal is the commit point. A desk killed after it leaves the
//    journal and git's index.lock behind (so no git commit can run); the next desk command (any
//    command, read or write) finishes the change: moves the branch if it had not moved, brings
//    the working tree and index to the new HEAD, and lets go of the lock.
// 5. Durability, as git's `core.fsyncMethod=batch`: every file's data is written out with
//    sync_file_range, then one fsync commits the file system's journal. Two such barriers per
//    change: objects + desk-journal before anything moves, working tree + index + ref after.
#include <fcntl.h>
#include <signal.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <memory>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/store/desk.hpp"
#include "core/store/gitindex.hpp"
#include "core/store/txn.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk {

namespace {

using namespace txn;

bool same(const std::optional<git_oid>& a, const std::optional<git_oid>& b) {
  return a.has_value() == b.has_value() && (!a || git_oid_equal(&*a, &*b));
}

// The blob of path in a commit, or nullopt.
std::optional<git_oid> blob_at(git_repository* repo, const std::optional<git_oid>& commit, const std::string& path) {
  if (!commit) return std::nullopt;
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &*commit) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  git::CommitPtr cp(c);
  git_tree* t = nullptr;
  git::check(git_commit_tree(&t, c), "cannot read a tree");
  git::TreePtr tp(t);
  auto e = git::tree_entry(t, path);
  if (!e || git_tree_entry_type(e.get()) != GIT_OBJECT_BLOB) return std::nullopt;
  return *git_tree_entry_id(e.get());
}

std::optional<git_oid> hash_file(const std::string& path) {
  auto content = slurp(path);
  if (!content) return std::nullopt;
  git_oid oid;
  git::check(git_odb_hash(&oid, content->data(), content->size(), GIT_OBJECT_BLOB), "cannot hash a file");
  return oid;
}

// The stat data of a file desk just wrote, or zeros (which git re-checks) for one it did not.
gitindex::StatData stat_of(const std::string& path, bool trusted) {
  struct stat st;
  if (trusted && ::lstat(path.c_str(), &st) == 0) return gitindex::StatData::of(st);
  return gitindex::StatData{};
}

bool durable_writes(git_repository* repo) {
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) != 0) {
    git_error_clear();
    return true;
  }
  git::ConfigPtr owner(cfg);
  int v = 1;
  if (git_config_get_bool(&v, cfg, "desk.fsync") != 0) {
    git_error_clear();
    return true;
  }
  return v != 0;
}

// The ref a commit moves: the branch HEAD points at, or HEAD itself when detached.
std::string branch_ref(git_repository* repo) {
  git_reference* head_raw = nullptr;
  git::check(git_reference_lookup(&head_raw, repo, "HEAD"), "cannot read HEAD");
  git::RefPtr head(head_raw);
  return git_reference_type(head_raw) == GIT_REFERENCE_SYMBOLIC ? git_reference_symbolic_target(head_raw) : "HEAD";
}

// Compare-and-swap of the branch HEAD points at. False when another writer moved it first.
bool update_head(git_repository* repo, const std::optional<git_oid>& expected, const git_oid& next, const std::string& log,
                 std::string* ref_name) {
  git_reference* head_raw = nullptr;
  git::check(git_reference_lookup(&head_raw, repo, "HEAD"), "cannot read HEAD");
  git::RefPtr head(head_raw);
  std::string target = git_reference_type(head_raw) == GIT_REFERENCE_SYMBOLIC ? git_reference_symbolic_target(head_raw) : "HEAD";
  *ref_name = target;
  std::string lock_path = std::string(git_repository_path(repo)) + target + ".lock";
  auto deadline = Clock::now() + std::chrono::seconds(3);
  for (;;) {
    git_reference* out = nullptr;
    int rc;
    if (target != "HEAD" && !expected)
      rc = git_reference_create(&out, repo, target.c_str(), &next, 0, log.c_str());
    else
      rc = git_reference_create_matching(&out, repo, target.c_str(), &next, 1, expected ? &*expected : nullptr, log.c_str());
    if (out) git_reference_free(out);
    if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
      git_error_clear();
      return false;
    }
    if (rc == GIT_ELOCKED || (rc < 0 && ::access(lock_path.c_str(), F_OK) == 0)) {
      git_error_clear();
      if (Clock::now() > deadline)
        throw Error(ErrorKind::conflict, fmt::format("the branch is locked: {} has been there for {}", lock_path, seconds_ago(lock_path)),
                    fmt::format("another git command is updating it; if none is (one was killed and left the lock), "
                                "remove it with `rm {}` and run desk again",
                                lock_path));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    git::check(rc, "cannot update the branch");
    return true;
  }
}

std::string build_message(const Mutation& m) {
  std::string msg = m.subject + "\n";
  std::string body = trim(m.body);
  if (!body.empty()) msg += "\n" + body + "\n";
  if (!m.trailers.empty()) {
    msg += "\n";
    for (const auto& [k, v] : m.trailers) msg += k + ": " + v + "\n";
  }
  return msg;
}

git::SigPtr signature(const Identity& who, Timestamp when) {
  git_signature* sig = nullptr;
  int rc = git_signature_new(&sig, who.name.c_str(), who.email.c_str(), static_cast<git_time_t>(when.time_since_epoch().count()), 0);
  if (rc < 0)
    throw Error(ErrorKind::identity, fmt::format("invalid git identity '{}'", who.display()),
                "set a name and email with `git config user.name` and `git config user.email`");
  return git::SigPtr(sig);
}

// Every new loose object of a commit made from `base` by changing `paths`: the blobs, the trees
// on their paths, the commit. Written out before the journal's barrier.
void write_out_objects(git_repository* repo, const git_oid& commit_id, git_tree* tree, const std::vector<std::string>& paths, bool durable) {
  if (!durable) return;
  std::string objects = std::string(git_repository_path(repo)) + "objects/";
  auto out = [&](const git_oid& id) {
    std::string hex = git::oid_hex(id);
    writeout(objects + hex.substr(0, 2) + "/" + hex.substr(2), true);
  };
  out(commit_id);
  out(*git_tree_id(tree));
  std::vector<std::string> seen;
  for (const auto& p : paths) {
    for (size_t slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1)) {
      std::string dir = p.substr(0, slash);
      if (std::find(seen.begin(), seen.end(), dir) != seen.end()) continue;
      seen.push_back(dir);
      if (auto e = git::tree_entry(tree, dir)) out(*git_tree_entry_id(e.get()));
    }
    if (auto e = git::tree_entry(tree, p)) out(*git_tree_entry_id(e.get()));
  }
}

}  // namespace

// ---- recovery -------------------------------------------------------------------------------

std::vector<std::string> Desk::finish_interrupted(bool wait) const {
  std::vector<std::string> notes;
  git_repository* repo = repo_.get();
  std::string gitdir = git_repository_path(repo);
  std::string journal_path = gitdir + "desk-journal";
  if (::access(journal_path.c_str(), F_OK) != 0 && ::access((gitdir + "index.lock").c_str(), F_OK) != 0) return notes;
  WriterLock lock(gitdir + "desk.lock", wait);
  if (!lock.held()) return notes;  // a live desk is mid-change: its journal is its own
  recover_locked(notes);
  return notes;
}

void Desk::recover_locked(std::vector<std::string>& notes) const {
  git_repository* repo = repo_.get();
  std::string gitdir = git_repository_path(repo);
  std::string journal_path = gitdir + "desk-journal";
  std::string lock_path = gitdir + "index.lock";
  ::unlink((gitdir + "desk-index-lock").c_str());
  ::unlink((journal_path + ".tmp").c_str());
  auto text = slurp(journal_path);
  auto j = text ? parse_journal(*text) : std::nullopt;
  // The index.lock a dead desk held, if it is still there: it carries desk's mark (taken, not
  // yet written), or it is the very file the journal names (being written when the kill came).
  // The caller holds desk.lock, so no live desk is mid-change.
  int adopted = -1;
  struct stat st;
  if (::stat(lock_path.c_str(), &st) == 0) {
    bool ours = j && st.st_dev == j->lock_dev && st.st_ino == j->lock_ino;
    if (!ours && static_cast<size_t>(st.st_size) == desk_lock_mark.size()) ours = slurp(lock_path) == desk_lock_mark;
    if (ours) adopted = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
  }
  std::unique_ptr<IndexLock> index_lock;
  if (adopted >= 0) index_lock = std::make_unique<IndexLock>(gitdir, adopted);
  if (!j || !j->complete) {
    ::unlink(journal_path.c_str());
    return;  // nothing was committed; the adopted lock goes with index_lock
  }
  bool durable = durable_writes(repo);
  for (const auto& f : j->files) ::unlink((root_ + f + ".desk-tmp").c_str());
  // Killed inside the ref update: the branch's lock file is the dead desk's when it is empty or
  // holds the journal's new commit (and the dead desk held git's index lock, so no git commit
  // could be updating the branch).
  if (index_lock && !j->ref.empty() && j->ref.find("..") == std::string::npos) {
    std::string ref_lock = gitdir + j->ref + ".lock";
    if (auto content = slurp(ref_lock); content && (content->empty() || trim(*content) == git::oid_hex(j->new_commit)))
      ::unlink(ref_lock.c_str());
  }
  ::unlink((gitdir + "index.desk-tmp").c_str());
  auto head = git::head_commit(repo);
  std::string short_new = git::oid_hex(j->new_commit).substr(0, 7);
  // Killed before the branch moved (the working tree and index may hold some of the change): the
  // journal is complete, so the change is made, the branch moved as the dead desk would have.
  if (same(head, j->old_commit) && branch_ref(repo) == j->ref) {
    git_commit* c = nullptr;
    bool exists = git_commit_lookup(&c, repo, &j->new_commit) == 0;
    git_commit_free(c);
    git_error_clear();
    if (!exists) {  // cannot happen after barrier 1, unless the disk lost it
      ::unlink(journal_path.c_str());
      return;
    }
    if (!index_lock) index_lock = std::make_unique<IndexLock>(gitdir, std::chrono::seconds(5));
    std::string ref_name;
    if (update_head(repo, j->old_commit, j->new_commit, "desk: " + j->subject, &ref_name)) {
      writeout(gitdir + ref_name, durable);
      head = j->new_commit;
    } else {
      head = git::head_commit(repo);
    }
  }
  if (same(head, j->new_commit)) {
    if (!index_lock) index_lock = std::make_unique<IndexLock>(gitdir, std::chrono::seconds(5));
    GitIndex idx(gitdir);
    for (const auto& path : j->files) {
      auto want = blob_at(repo, j->new_commit, path);
      auto was = blob_at(repo, j->old_commit, path);
      std::string full = root_ + path;
      auto have = hash_file(full);
      bool ours = !have || same(have, want) || same(have, was);  // else the user edited it since
      if (ours) {
        if (want) {
          git_blob* b = nullptr;
          git::check(git_blob_lookup(&b, repo, &*want), "cannot read a blob");
          git::BlobPtr bp(b);
          write_file_atomic(full, std::string(static_cast<const char*>(git_blob_rawcontent(b)), static_cast<size_t>(git_blob_rawsize(b))), durable);
        } else {
          ::unlink(full.c_str());
        }
      }
      if (want)
        idx.upsert(path, *want, stat_of(full, ours));
      else
        idx.remove(path);
    }
    index_lock->commit(idx.bytes(), durable);
    index_lock.reset();
    ::unlink(journal_path.c_str());
    barrier(gitdir, durable);
    notes.push_back(fmt::format("finished desk's interrupted change {} ({}): the working tree and git's index now match it", short_new, j->subject));
    return;
  }
  index_lock.reset();
  if (same(head, j->old_commit)) {
    ::unlink(journal_path.c_str());  // the branch never moved: nothing happened
    return;
  }
  // The branch moved on without desk finishing (only possible when git's index lock was removed
  // by hand): if a later commit put back what desk changed, or left it out, say so and keep the
  // journal for `desk fsck`.
  bool descends = head && git_graph_descendant_of(repo, &*head, &j->new_commit) == 1;
  git_error_clear();
  std::vector<std::string> undone;
  for (const auto& path : j->files) {
    auto now = blob_at(repo, head, path), was = blob_at(repo, j->old_commit, path), want = blob_at(repo, j->new_commit, path);
    if (same(was, want)) continue;
    if (descends ? same(now, was) : !same(now, want)) undone.push_back(path);
  }
  if (undone.empty()) {
    ::unlink(journal_path.c_str());
    return;
  }
  std::string kept = gitdir + "desk-journal.undone";
  ::rename(journal_path.c_str(), kept.c_str());
  notes.push_back(fmt::format("desk's change {} ({}) to {} was undone by a later commit made while it was interrupted; "
                              "restore it with `git checkout {} -- {}` and commit, then remove {}",
                              short_new, j->subject, join(undone, ", "), short_new, join(undone, " "), kept));
}

// ---- the writer -----------------------------------------------------------------------------

std::shared_ptr<void> Desk::lock() const {
  auto l = std::make_shared<WriterLock>(std::string(git_repository_path(repo_.get())) + "desk.lock", true);
  std::vector<std::string> notes;
  recover_locked(notes);
  return l;
}

namespace {
// The git index as is_dirty last read it, kept while the file is the same (inode, size and
// nanosecond mtime): a dry-run sweep asks about thousands of paths, and reading a 100,000-entry
// index for each took minutes. A write replaces the file (rename), so it is read again.
const GitIndex& cached_index(const std::string& gitdir) {
  struct Cache {
    std::string gitdir;
    struct stat st {};
    std::unique_ptr<GitIndex> index;
  };
  static Cache cache;
  struct stat st {};
  bool exists = ::stat((gitdir + "index").c_str(), &st) == 0;
  bool same_file = cache.index && cache.gitdir == gitdir && exists && st.st_ino == cache.st.st_ino && st.st_dev == cache.st.st_dev &&
                   st.st_size == cache.st.st_size && st.st_mtim.tv_sec == cache.st.st_mtim.tv_sec &&
                   st.st_mtim.tv_nsec == cache.st.st_mtim.tv_nsec;
  if (!same_file) {
    cache.index = std::make_unique<GitIndex>(gitdir);
    cache.gitdir = gitdir;
    cache.st = st;  // all zero without an index file: then it is read again every time
  }
  return *cache.index;
}
}  // namespace

bool Desk::is_dirty(const Snapshot& snap, std::string_view path_in) const {
  std::string path(path_in);
  auto head_blob = snap.blob_id(path);
  auto have = hash_file(root_ + path);
  if (!same(have, head_blob)) return true;
  const GitIndex& idx = cached_index(git_repository_path(repo_.get()));
  auto e = idx.find(path);
  if (e.conflicted) return true;
  return e.staged ? !same(e.id, head_blob) : head_blob.has_value();
}

CommitResult Desk::commit(const Identity& author, const Identity& committer, Timestamp when,
                          const std::function<Mutation(const Snapshot&)>& build) const {
  git_repository* repo = repo_.get();
  std::string gitdir = git_repository_path(repo);
  std::string journal_path = gitdir + "desk-journal";
  WriterLock lock(gitdir + "desk.lock", true);
  CommitResult result;
  recover_locked(result.warnings);
  bool durable = durable_writes(repo);
  auto author_sig = signature(author, when);
  auto committer_sig = signature(committer, when);
  auto crash = [&](const char* point) {
    if (crash_point_ == point) ::raise(SIGKILL);
  };
  for (int attempt = 0; attempt < 100; ++attempt) {
    IndexLock index_lock(gitdir, std::chrono::seconds(5));
    Journal journal;
    journal.lock_dev = index_lock.identity().st_dev;
    journal.lock_ino = index_lock.identity().st_ino;
    struct Cleanup {
      std::string path;
      bool armed = true;
      ~Cleanup() {
        if (armed) ::unlink(path.c_str());
      }
    } cleanup{journal_path};
    crash("locked");
    Snapshot snap = head();
    Mutation m = build(snap);
    std::vector<FileWrite> files;
    for (auto& f : m.files) {
      auto e = git::tree_entry(snap.tree(), f.path);
      bool same_mode = !e || !f.content || git_tree_entry_filemode(e.get()) == f.mode;
      if (snap.read(f.path) != f.content || !same_mode) files.push_back(std::move(f));
    }
    if (files.empty() && !m.fast_forward && m.merge_parents.empty()) return result;
    GitIndex idx(gitdir);
    result.skipped.clear();
    for (auto it = files.begin(); it != files.end();) {
      const auto& f = *it;
      auto head_blob = snap.blob_id(f.path);
      auto have = hash_file(root_ + f.path);
      auto e = idx.find(f.path);
      bool dirty = !same(have, head_blob) || e.conflicted || (e.staged ? !same(e.id, head_blob) : head_blob.has_value());
      if (dirty && m.skip_dirty) {
        result.skipped.push_back(f.path);
        it = files.erase(it);
        continue;
      }
      ++it;
      if (dirty)
        throw Error(ErrorKind::dirty, fmt::format("{} has uncommitted changes; desk will not overwrite them", f.path),
                    fmt::format("commit them (`git commit {}`), discard them (`git checkout HEAD -- {}`), or change the "
                                "ticket with `desk edit`",
                                f.path, f.path));
    }
    if (files.empty() && !m.fast_forward && m.merge_parents.empty()) return result;
    std::vector<git_oid> blob_ids(files.size());
    std::vector<git_tree_update> updates(files.size());
    std::vector<std::string> paths;
    for (size_t i = 0; i < files.size(); ++i) {
      paths.push_back(files[i].path);
      updates[i].path = files[i].path.c_str();
      if (files[i].content) {
        const auto& c = *files[i].content;
        git::check(git_blob_create_from_buffer(&blob_ids[i], repo, c.data(), c.size()), "cannot write a blob");
        updates[i].action = GIT_TREE_UPDATE_UPSERT;
        updates[i].id = blob_ids[i];
        updates[i].filemode = static_cast<git_filemode_t>(files[i].mode);
      } else {
        updates[i].action = GIT_TREE_UPDATE_REMOVE;
      }
    }
    git_oid tree_id;
    git::check(git_tree_create_updated(&tree_id, repo, snap.tree(), updates.size(), updates.data()), "cannot write a tree");
    git_tree* tree_raw = nullptr;
    git::check(git_tree_lookup(&tree_raw, repo, &tree_id), "cannot read a tree");
    git::TreePtr tree(tree_raw);
    git_oid commit_id;
    if (m.fast_forward) {
      commit_id = *m.fast_forward;
      git_commit* target = nullptr;
      git::check(git_commit_lookup(&target, repo, &commit_id), "cannot read the commit to fast-forward to");
      git::CommitPtr target_owner(target);
      if (!git_oid_equal(git_commit_tree_id(target), &tree_id))
        throw Error(ErrorKind::git, "a fast-forward's files do not make its commit's tree (a desk bug)");
    } else {
      std::vector<git::CommitPtr> owners;
      std::vector<const git_commit*> parents;
      std::vector<git_oid> parent_ids;
      if (snap.commit()) parent_ids.push_back(*snap.commit());
      parent_ids.insert(parent_ids.end(), m.merge_parents.begin(), m.merge_parents.end());
      for (const auto& id : parent_ids) {
        git_commit* c = nullptr;
        git::check(git_commit_lookup(&c, repo, &id), "cannot read a parent commit");
        owners.emplace_back(c);
        parents.push_back(c);
      }
      std::string message = build_message(m);
      git::check(git_commit_create(&commit_id, repo, nullptr, author_sig.get(), committer_sig.get(), nullptr, message.c_str(),
                                   tree.get(), parents.size(), parents.data()),
                 "cannot write the commit");
    }
    crash("objects");
    // Barrier 1: the objects and the journal are on disk before the branch can point at them.
    write_out_objects(repo, commit_id, tree.get(), paths, durable);
    journal.complete = true;
    journal.old_commit = snap.commit();
    journal.new_commit = commit_id;
    journal.subject = first_line(m.subject);
    journal.ref = branch_ref(repo);
    journal.files = paths;
    write_journal(journal_path, journal, durable);
    crash("journal");
    // The working tree and git's index take the change before the branch moves, and git's index
    // lock is let go only after it has: see the top of this file.
    std::vector<std::string> tree_warnings;
    auto put_back = [&] {  // the branch did not move: the files and the index as they were
      for (const auto& f : files) {
        std::string full = root_ + f.path;
        auto old = snap.read(f.path);
        auto old_blob = snap.blob_id(f.path);
        if (old && old_blob) {
          auto e = git::tree_entry(snap.tree(), f.path);
          bool exec = e && git_tree_entry_filemode(e.get()) == GIT_FILEMODE_BLOB_EXECUTABLE;
          write_file_atomic(full, *old, durable);
          ::chmod(full.c_str(), (exec ? 0777 : 0666) & ~current_umask());
          idx.upsert(f.path, *old_blob, stat_of(full, true));
        } else {
          std::error_code ec;
          fs::remove(full, ec);
          idx.remove(f.path);
        }
      }
      index_lock.install(idx.bytes(), durable);
    };
    std::string ref_name;
    bool moved = false;
    try {
      for (size_t i = 0; i < files.size(); ++i) {
        const auto& f = files[i];
        std::string full = root_ + f.path;
        bool written = true;
        try {
          if (f.content) {
            write_file_atomic(full, *f.content, durable);
            ::chmod(full.c_str(), f.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 & ~current_umask() : 0666 & ~current_umask());
          } else {
            fs::remove(full);
          }
        } catch (const std::exception& e) {
          written = false;
          tree_warnings.push_back(fmt::format("committed, but could not update {} in the working tree: {}", f.path, e.what()));
        }
        if (f.content)
          idx.upsert(f.path, blob_ids[i], stat_of(full, written));
        else
          idx.remove(f.path);
      }
      crash("worktree");
      index_lock.install(idx.bytes(), durable);
      crash("index");
      moved = update_head(repo, snap.commit(), commit_id, "desk: " + m.subject, &ref_name);
    } catch (...) {
      try {
        put_back();
      } catch (const std::exception&) {
        // The error that brought us here is the one to report; `desk fsck` and git status show the rest.
      }
      throw;
    }
    if (!moved) {
      put_back();
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + attempt * 2));
      continue;  // another writer moved the branch: rebuild from its HEAD
    }
    cleanup.armed = false;  // from here on, a failure leaves the journal for the next desk
    crash("ref");
    result.commit = git::oid_hex(commit_id);
    result.files = paths;
    result.warnings.insert(result.warnings.end(), tree_warnings.begin(), tree_warnings.end());
    writeout(gitdir + ref_name, durable);
    index_lock.release();
    ::unlink(journal_path.c_str());
    // Barrier 2: the branch, the index and the working tree are on disk before desk says "done".
    barrier(gitdir, durable);
    return result;
  }
  throw Error(ErrorKind::conflict, "the branch kept moving under desk; gave up after 100 attempts",
              "another process is committing in a tight loop; try again");
}

}  // namespace desk
