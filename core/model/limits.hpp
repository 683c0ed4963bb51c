#pragma once
// The size limits of a desk, in one place. A desk is filled by other people's pushes and by
// scripts: every limit keeps one ticket from costing every command its time and memory. They are
// documented in desk-ticket(5); changing one here changes what desk accepts and writes.
#include <cstddef>
#include <string>
#include <string_view>

namespace desk {

/// The most bytes of one text: a description, comment, note, hand-off note, resolution, reason,
/// or a knowledge-base article's body. Texts are read at most this plus one byte at a time, so
/// `-F /dev/zero` fails fast in bounded memory.
inline constexpr size_t max_text_bytes = size_t{1} << 20;  // 1 MiB

/// The most bytes of one ticket file (or knowledge-base article file): desk refuses to write a
/// larger one, and a larger one in the tree is reported as a problem, like a parse error,
/// without being parsed.
inline constexpr size_t max_file_bytes = size_t{4} << 20;  // 4 MiB

/// The most history entries desk adds to one ticket; past it, only resolve and close (so the
/// ticket can still be finished) and merges (which never drop an entry) add more.
inline constexpr size_t max_history_entries = 10000;

/// How deep the values of keys desk does not know may nest tables and arrays: `x = 1` is 0
/// levels, `x.y = 1` and `x = [1]` are 1. A deeper file is reported like a parse error.
inline constexpr size_t max_unknown_depth = 16;

/// "1.0 MiB", "512 KiB", "300 bytes": a size for messages.
std::string format_size(size_t bytes);

/// Throws Error(invalid) when text is longer than max_text_bytes; `what` names it ("the
/// comment"), and the message says by how much and what to do.
void check_text_size(std::string_view text, std::string_view what);

/// Throws Error(invalid) when a file desk is about to write at path is larger than max_file_bytes.
void check_file_size(std::string_view path, size_t bytes);

/// Throws Error(invalid) ("PATH: the file is 5.0 MiB, over ...") when a ticket or article file
/// desk reads is larger than max_file_bytes: it is reported like a parse error, not parsed.
void check_read_size(std::string_view path, size_t bytes);

/// Throws Error(invalid) when a ticket already holds max_history_entries entries, so that one
/// more cannot be added; `action` names the entry ("comment").
void check_history_room(std::string_view id, size_t entries, std::string_view action);

}  // namespace desk
