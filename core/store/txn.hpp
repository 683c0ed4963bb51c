#pragma once
// The parts of a desk change (core/store/commit): durable writes, desk's writer lock, git's
// index lock taken with desk's mark, git's index read and rewritten, and the journal of a change
// in progress. Internal to core/store.
#include <fcntl.h>
#include <fmt/format.h>
#include <git2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/git.hpp"
#include "core/store/gitindex.hpp"
#include "core/util/error.hpp"

namespace desk::txn {

using Clock = std::chrono::steady_clock;

std::optional<std::string> slurp(const std::string& path);

// Starts writing a file's data to the disk and waits for it (no journal commit: a later fsync
// of any file on the same file system commits it, as git's batch mode does).
void writeout(int fd, bool durable);

void writeout(const std::string& path, bool durable);

// One barrier: fsync of a directory commits the file system journal with everything before it.
void barrier(const std::string& dir, bool durable);

void write_all(int fd, const std::string& bytes, const std::string& what);

// Writes a file atomically: a temporary beside it, then rename.
void write_file_atomic(const std::string& path, const std::string& content, bool durable);

mode_t current_umask();

std::string seconds_ago(const std::string& path);

// An exclusive advisory lock serializing desk writers of one clone; released when the process
// dies, so a crash never leaves a stale lock behind.
class WriterLock {
 public:
  WriterLock(const std::string& path, bool wait) {
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(ErrorKind::io, fmt::format("cannot open lock file {}", path));
    auto deadline = Clock::now() + std::chrono::seconds(60);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (!wait || Clock::now() > deadline) {
        ::close(fd_);
        fd_ = -1;
        if (!wait) return;
        throw Error(ErrorKind::conflict, fmt::format("another desk process holds {} for over a minute", path),
                    "wait for it to finish, or find it with `fuser " + path + "`");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~WriterLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool held() const { return fd_ >= 0; }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

constexpr std::string_view desk_lock_mark = "desk-lock: this index.lock is held by a desk process\n";
// git's index.lock, taken the way git takes it. Its content becomes the new index on commit().
class IndexLock {
 public:
  // Waits up to `patience` for a git command holding it; then names the file and how to remove it.
  IndexLock(std::string gitdir, std::chrono::milliseconds patience) : gitdir_(std::move(gitdir)), path_(gitdir_ + "index.lock") {
    // The lock is born with desk's mark in it: written to a file of desk's own, then hard-linked
    // to index.lock (as atomic as O_EXCL). So a desk killed at any moment after taking the lock
    // leaves a lock the next desk recognises as its own, and a lock without the mark is git's.
    std::string mark = gitdir_ + "desk-index-lock";
    int tmp = ::open(mark.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (tmp < 0) throw Error(ErrorKind::io, fmt::format("cannot create {}: {}", mark, std::strerror(errno)));
    write_all(tmp, std::string(desk_lock_mark), mark);
    ::close(tmp);
    auto deadline = Clock::now() + patience;
    for (int i = 0;; ++i) {
      if (::link(mark.c_str(), path_.c_str()) == 0) break;
      if (errno != EEXIST) {
        int err = errno;
        ::unlink(mark.c_str());
        throw Error(ErrorKind::io, fmt::format("cannot create {}: {}", path_, std::strerror(err)));
      }
      if (Clock::now() > deadline) {
        ::unlink(mark.c_str());
        throw Error(ErrorKind::conflict,
                    fmt::format("git's index is locked: {} has been there for {}", path_, seconds_ago(path_)),
                    fmt::format("another git command is running; if none is (one was killed and left the lock), "
                                "remove it with `rm {}` and run desk again",
                                path_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(2 + i, 25)));
    }
    ::unlink(mark.c_str());
    fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) throw Error(ErrorKind::io, fmt::format("cannot open {}: {}", path_, std::strerror(errno)));
    identify();
  }
  // Takes over a lock file a killed desk left (recognised by the journal).
  IndexLock(std::string gitdir, int adopted_fd) : gitdir_(std::move(gitdir)), path_(gitdir_ + "index.lock"), fd_(adopted_fd) { identify(); }
  ~IndexLock() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(path_.c_str());
    }
  }
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

  const struct stat& identity() const { return st_; }
  // Puts a new index in place while the lock stays held (a temporary renamed over the index, not
  // the lock file): desk's change is in the index before the branch moves, and no git command
  // can take the lock until release(). See commit.cpp for why the order matters.
  void install(const std::string& bytes, bool durable) { write_file_atomic(gitdir_ + "index", bytes, durable); }
  // Lets git have its index back.
  void release() {
    if (fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
    ::unlink(path_.c_str());
  }
  // Writes the new index into the lock file and renames it into place, as git does.
  void commit(const std::string& bytes, bool durable) {
    if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)
      throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    write_all(fd_, bytes, path_);
    writeout(fd_, durable);
    ::close(fd_);
    fd_ = -1;
    if (::rename(path_.c_str(), (gitdir_ + "index").c_str()) != 0) {
      int err = errno;
      ::unlink(path_.c_str());
      throw Error(ErrorKind::io, fmt::format("cannot rename {} into place: {}", path_, std::strerror(err)));
    }
  }

 private:
  void identify() {
    if (::fstat(fd_, &st_) != 0) throw Error(ErrorKind::io, fmt::format("cannot stat {}", path_));
  }
  std::string gitdir_, path_;
  int fd_ = -1;
  struct stat st_ {};
};

// The git index of the clone, read while desk holds index.lock. desk's own reader-writer keeps
// untouched entries byte for byte; an index it cannot rewrite goes through libgit2 on a copy.
class GitIndex {
 public:
  explicit GitIndex(const std::string& gitdir) : gitdir_(gitdir) {
    auto bytes = slurp(gitdir + "index");
    if (!bytes) {
      fast_ = gitindex::File::empty();
      return;
    }
    std::string why;
    fast_ = gitindex::File::parse(std::move(*bytes), &why);
    if (fast_) return;
    copy_ = gitdir + "desk-git-index";
    std::filesystem::copy_file(gitdir + "index", copy_, std::filesystem::copy_options::overwrite_existing);
    git_index* raw = nullptr;
    git::check(git_index_open(&raw, copy_.c_str()), "cannot read git's index");
    slow_.reset(raw);
  }
  ~GitIndex() {
    if (!copy_.empty()) ::unlink(copy_.c_str());
  }

  gitindex::File::Lookup find(const std::string& path) const {
    if (fast_) return fast_->find(path);
    gitindex::File::Lookup out;
    if (const git_index_entry* e = git_index_get_bypath(slow_.get(), path.c_str(), 0)) {
      out.staged = true;
      out.id = e->id;
    }
    for (int stage = 1; stage <= 3; ++stage)
      if (git_index_get_bypath(slow_.get(), path.c_str(), stage)) out.conflicted = true;
    return out;
  }
  void upsert(const std::string& path, const git_oid& id, const gitindex::StatData& st) {
    if (fast_) return fast_->upsert(path, id, st);
    git_index_entry e{};
    e.ctime.seconds = static_cast<int32_t>(st.ctime_s);
    e.ctime.nanoseconds = st.ctime_ns;
    e.mtime.seconds = static_cast<int32_t>(st.mtime_s);
    e.mtime.nanoseconds = st.mtime_ns;
    e.dev = st.dev;
    e.ino = st.ino;
    e.mode = st.mode;
    e.uid = st.uid;
    e.gid = st.gid;
    e.file_size = st.size;
    e.id = id;
    e.path = path.c_str();
    for (int stage = 1; stage <= 3; ++stage) git_index_remove(slow_.get(), path.c_str(), stage);
    git::check(git_index_add(slow_.get(), &e), "cannot update git's index");
  }
  void remove(const std::string& path) {
    if (fast_) return fast_->remove(path);
    for (int stage = 0; stage <= 3; ++stage) git_index_remove(slow_.get(), path.c_str(), stage);
  }
  std::string bytes() {
    if (fast_) return fast_->serialize();
    git::check(git_index_write(slow_.get()), "cannot write git's index");
    auto b = slurp(copy_);
    if (!b) throw Error(ErrorKind::io, "cannot read back " + copy_);
    return *b;
  }

 private:
  std::string gitdir_;
  std::unique_ptr<gitindex::File> fast_;
  git::IndexPtr slow_;
  std::string copy_;
};

struct Journal {
  bool complete = false;  // false: only the lock was taken, nothing was committed
  dev_t lock_dev = 0;
  ino_t lock_ino = 0;
  std::optional<git_oid> old_commit;
  git_oid new_commit{};
  std::string subject;
  std::string ref;  // the ref the change moves (refs/heads/main, or HEAD when detached)
  std::vector<std::string> files;
};

std::string journal_text(const Journal& j);

std::optional<Journal> parse_journal(const std::string& text);

void write_journal(const std::string& path, const Journal& j, bool durable);

}  // namespace desk::txn
