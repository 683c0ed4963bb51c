#pragma once
// The lossless three-way merge of ticket files (invariant 4). Symmetric: merge(b, x, y) and
// merge(b, y, x) give byte-identical files, so every clone converges on the same desk.
#include <optional>
#include <string>
#include <vector>

#include "core/model/ticket.hpp"

namespace desk {

struct MergeOutcome {
  Ticket ticket;
  std::vector<FieldChange> conflicts;  // fields both sides changed: from = the losing value, to = the winner
};

/// Merges two versions of a ticket against their common ancestor (nullopt when there is none):
/// history entries are unioned by id and ordered by time; a field changed on one side takes
/// that side; a field changed on both sides to different values goes to the side whose own
/// newest history entry is later (ties: the greater value), and a `merge` history entry records
/// the losing value. Tags and kb links merge as sets.
MergeOutcome merge_tickets(const std::optional<Ticket>& base, const Ticket& ours, const Ticket& theirs);

/// Merges ticket file texts; throws Error(invalid) naming `path` when a side does not parse.
std::string merge_ticket_files(const std::optional<std::string>& base, const std::string& ours, const std::string& theirs,
                               const std::string& path);

/// Merges a TOML file of the desk's own (config, template) key by key: each top-level key takes
/// the side that changed it; a key both sides changed differently throws Error(conflict) naming
/// the path and the key. The result is written canonically (comments are not kept).
std::string merge_toml_by_key(const std::optional<std::string>& base, const std::string& ours, const std::string& theirs,
                              const std::string& path);

/// True when text contains git conflict markers at the start of a line.
bool has_conflict_markers(const std::string& text, size_t* line = nullptr);

}  // namespace desk
