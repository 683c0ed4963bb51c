#include "core/model/limits.hpp"

#include <fmt/format.h>

#include "core/util/error.hpp"

namespace desk {

std::string format_size(size_t bytes) {
  if (bytes >= (size_t{1} << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
  if (bytes >= (size_t{1} << 10)) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

void check_text_size(std::string_view text, std::string_view what) {
  if (text.size() <= max_text_bytes) return;
  throw Error(ErrorKind::invalid,
              fmt::format("{} is over {}, the most a ticket text may be", what, format_size(max_text_bytes)),
              "shorten it, or commit the long material (a log, a dump) to a file and refer to it");
}

void check_file_size(std::string_view path, size_t bytes) {
  if (bytes <= max_file_bytes) return;
  throw Error(ErrorKind::invalid,
              fmt::format("{} would be {}, over the {} a ticket or article file may be", path, format_size(bytes),
                          format_size(max_file_bytes)),
              "nothing was changed; shorten the text, or continue in a new ticket that links this one");
}

void check_read_size(std::string_view path, size_t bytes) {
  if (bytes <= max_file_bytes) return;
  throw Error(ErrorKind::invalid,
              fmt::format("{}: the file is {}, over the {} a ticket or article file may be; desk does not read it", path,
                          format_size(bytes), format_size(max_file_bytes)),
              "shorten it by hand (move long texts out) and commit, or restore it with `git checkout -- FILE`");
}

void check_history_room(std::string_view id, size_t entries, std::string_view action) {
  if (entries < max_history_entries) return;
  throw Error(ErrorKind::invalid,
              fmt::format("cannot add a '{}' entry to ticket {}: it has {} history entries, the most desk adds to a ticket",
                          action, id.substr(0, 6), entries),
              "resolve or close it (still allowed) and carry on in a new ticket that links this one");
}

}  // namespace desk
