#pragma once
// Reading TOML that comes from other people's pushes (tickets, config, templates, article front
// matter) with a bound on its nesting. toml++ limits nested inline values (256) but builds
// tables from `[a.b.c...]` headers and dotted keys without limit, and tears them down (and desk
// copies and writes them) recursively: a 600 KB file of `[a.a.a...]` overflows the stack.
#include <toml++/toml.h>

#include <cstddef>
#include <optional>
#include <string_view>

namespace desk {

/// The deepest a TOML file desk reads may nest tables, arrays of tables, arrays and inline
/// tables (each table name in a header or dotted key counts as one level).
inline constexpr size_t max_toml_depth = 64;

/// Where `text` first nests deeper than `limit` levels, or nullopt. A scan of the text, without
/// building anything, that counts at least as deep as toml++ would build (each `[[...]]` header
/// counts its array; a header under an earlier array of tables may build up to twice as deep as
/// counted, which stays bounded). Invalid TOML is left to toml++ to report.
std::optional<toml::source_position> toml_too_deep(std::string_view text, size_t limit = max_toml_depth);

/// toml::parse(text, path), refusing text nested deeper than max_toml_depth with a
/// toml::parse_error at the place it goes too deep, so callers report it like any parse error.
toml::table parse_toml(std::string_view text, std::string_view path);

}  // namespace desk
