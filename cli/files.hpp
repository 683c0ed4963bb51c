#pragma once
// Plain files outside the desk's tree that commands keep (editor drafts under .git/desk/).
#include <string>

namespace desk::cli {

/// The whole content of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

/// Writes a file, creating its directories; throws Error(io) when it cannot.
void write_file(const std::string& path, const std::string& text);

}  // namespace desk::cli
