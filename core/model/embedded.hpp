#pragma once
// Files compiled into the binary from templates/ and macros/ (see cmake/embed.cmake).
#include <string_view>
#include <vector>

namespace desk {

struct EmbeddedFile {
  std::string_view name;
  std::string_view content;
};

/// The shipped ticket templates, sorted by file name.
const std::vector<EmbeddedFile>& embedded_templates();

/// The shipped macros (canned replies), sorted by file name.
const std::vector<EmbeddedFile>& embedded_macros();

}  // namespace desk
