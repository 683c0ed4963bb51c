#include "cli/files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/error.hpp"

namespace desk::cli {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string read_at_most(std::istream& in, size_t max) {
  std::string out;
  char buf[65536];
  while (out.size() <= max && in) {
    in.read(buf, static_cast<std::streamsize>(std::min(sizeof buf, max + 1 - out.size())));
    out.append(buf, static_cast<size_t>(in.gcount()));
  }
  return out;
}

std::string read_file(const std::string& path, size_t max) {
  std::ifstream f(path, std::ios::binary);
  return read_at_most(f, max);
}

void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw Error(ErrorKind::io, fmt::format("cannot write {}", path));
}

}  // namespace desk::cli
