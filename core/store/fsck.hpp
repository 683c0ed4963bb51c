#pragma once
// `desk fsck`: everything wrong with a desk, as a list of problems with path and line.
#include <string>
#include <vector>

#include "core/store/desk.hpp"

namespace desk {

struct FsckProblem {
  std::string path;
  size_t line = 0;  // 0 when the problem is not at a line
  std::string message;
};

/// Checks the committed desk: the config and templates parse, and the macros against the
/// config; every file under tickets/ has a valid name in the right shard, parses, names itself,
/// uses known statuses, tiers and priorities, has unique history ids, and has no conflict
/// markers; every kb/*.md file has a slug name and parses with a title; ticket links (kb,
/// duplicate_of) and articles' tickets name things that exist; and the working tree's ticket
/// files carry no conflict markers.
std::vector<FsckProblem> fsck(const Desk& desk);

}  // namespace desk
