#pragma once
// Plain files outside the desk's tree that commands keep (editor drafts under .git/desk/).
#include <iosfwd>
#include <string>

namespace desk::cli {

/// The whole content of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

/// At most max + 1 bytes of a stream: more than max tells that the input is too long without
/// reading all of it (-F /dev/zero stays in bounded memory).
std::string read_at_most(std::istream& in, size_t max);

/// At most max + 1 bytes of a file ("" when it cannot be read).
std::string read_file(const std::string& path, size_t max);

/// Writes a file, creating its directories; throws Error(io) when it cannot.
void write_file(const std::string& path, const std::string& text);

}  // namespace desk::cli
