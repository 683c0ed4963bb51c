#pragma once
// desk's own canonical TOML emitter. toml++ parses; this writes, in an order the caller fixes,
// so that emit(parse(s)) == s for canonical files and an unchanged ticket gives no diff.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/timeutil.hpp"

namespace desk {

/// A key as TOML writes it: bare when it can be, quoted otherwise.
std::string toml_key(std::string_view key);

/// A single-line basic string with escapes.
std::string toml_string(std::string_view s);

/// A string value: single-line basic string, or a multi-line basic string when s has newlines.
std::string toml_text(std::string_view s);

/// An array of strings on one line.
std::string toml_string_array(const std::vector<std::string>& items);

/// An offset date-time in UTC.
std::string toml_time(Timestamp t);

/// Any value written inline (strings single-line, tables as inline tables, keys sorted).
std::string toml_inline(const toml::node& node);

/// Appends `key = value` lines for every entry of t (sorted by key); sub-tables and arrays of
/// tables go after, as [prefix.key] / [[prefix.key]] sections. A sub-table holding nothing but
/// tables gets no header of its own (TOML defines it by its children's), so a chain of nested
/// tables costs its path once, not once per level.
void toml_emit_table_body(std::string& out, const toml::table& t, std::string_view prefix);

/// How deep node nests tables and arrays (a scalar 0, `{ a = 1 }` or `[1]` 1), counted no
/// further than stop + 1, so a hostile file's depth costs at most stop levels of recursion.
size_t toml_depth(const toml::node& node, size_t stop);

/// Converts a TOML date-time (or RFC 3339 string) to a Timestamp; nullopt when it is neither, or
/// names an instant outside years 0000-9999 in UTC (see is_writable_time).
std::optional<Timestamp> toml_to_time(const toml::node& node);

}  // namespace desk
