#pragma once
// `desk migrate`: brings a desk written by an older desk to the current format in one change.
#include <cstdint>
#include <string>
#include <vector>

#include "core/store/desk.hpp"

namespace desk {

struct MigrationPlan {
  int64_t from_format = 0;  // the config's `format`; 0 when it has none
  int64_t to_format = 0;
  bool config_changed = false;      // `format` written into .desk/config.toml
  size_t tickets_checked = 0;
  std::vector<FileWrite> files;     // every file the migration rewrites
  std::vector<Problem> problems;    // files that do not parse: the migration refuses while any exist
  bool needed() const { return !files.empty(); }
};

/// What migrating the desk at `snap` to the current format changes:
///  - `format = N` in .desk/config.toml (added when missing, after the leading comments; the
///    rest of the hand-written file is kept byte for byte);
///  - every ticket file not in canonical form is rewritten canonically (what any desk change to
///    it would write; hand edits and files of older desks then take the fast reader).
/// Reads every ticket; keeps in memory only the files it rewrites.
MigrationPlan plan_migration(const Snapshot& snap, const Config& cfg);

/// The config text with `format = N` set: an existing top-level `format` line is replaced,
/// otherwise the line goes after the leading comment and blank lines.
std::string config_with_format(std::string_view text, int64_t format);

}  // namespace desk
