#pragma once
// git's index file (.git/index), read and rewritten by desk itself for the few entries a change
// touches. libgit2 parses every entry into its own structures and writes them all back (80% of a
// change at 100,000 tickets); this keeps the bytes of untouched entries as they are, so a change
// costs one pass over the file and one SHA-1 of it. Versions 2, 3 and 4 are understood; an index
// this code cannot rewrite faithfully (split index, sparse directories, SHA-256, damage) is
// refused with a reason, and the caller falls back to libgit2.
#include <git2.h>
#include <sys/stat.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace desk::gitindex {

/// The stat data git keeps per entry (all 32-bit, as on disk).
struct StatData {
  uint32_t ctime_s = 0, ctime_ns = 0, mtime_s = 0, mtime_ns = 0, dev = 0, ino = 0, mode = 0100644, uid = 0, gid = 0, size = 0;
  static StatData of(const struct stat& st);
};

class File {
 public:
  /// Parses the bytes of an index file. nullopt (with *why set) when this code cannot rewrite it.
  static std::unique_ptr<File> parse(std::string bytes, std::string* why);
  /// An empty version-2 index (for a repository without one).
  static std::unique_ptr<File> empty();

  struct Lookup {
    bool staged = false;      // a stage-0 entry exists
    git_oid id{};             // its blob id
    bool conflicted = false;  // stages 1-3 exist (an unresolved merge)
  };
  Lookup find(std::string_view path) const;

  /// Adds or replaces the stage-0 entry of path (dropping conflict stages).
  void upsert(std::string_view path, const git_oid& id, const StatData& st);
  /// Removes every entry of path.
  void remove(std::string_view path);

  /// The new file's bytes, checksum included. The cache-tree extension is kept with the
  /// directories of changed paths invalidated; extensions that refer to entries by position
  /// (EOIE, IEOT, FSMN) or that this code does not know are dropped (all are optional).
  std::string serialize() const;

  size_t entry_count() const { return entries_.size(); }
  uint32_t version() const { return version_; }

 private:
  struct Entry {
    std::string_view fixed;  // ctime .. flags (+ extended flags in v3+), as on disk
    std::string_view path;
    int stage() const;
  };
  File() = default;
  size_t lower_bound(std::string_view path) const;
  std::string_view own(std::string s);

  std::string data_;
  std::deque<std::string> owned_;
  std::vector<Entry> entries_;
  uint32_t version_ = 2;
  struct Extension {
    std::string sig;
    std::string_view body;
  };
  std::vector<Extension> extensions_;
  std::vector<std::string> changed_;  // paths whose directories the cache tree must forget
};

/// SHA-1 of bytes, as git's index trailer uses.
void sha1(const void* data, size_t size, unsigned char out[20]);

}  // namespace desk::gitindex
