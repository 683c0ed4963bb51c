#pragma once
// Shared by the fuzz targets: a property that does not hold aborts with what was compared, so
// libFuzzer (and the replay of fuzz/corpus and fuzz/crashes under ctest) reports it as a crash.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#define DESK_FUZZ_CHECK(cond, ...)                                                        \
  do {                                                                                    \
    if (!(cond)) ::desk_fuzz::fail(#cond, __FILE__, __LINE__, ::desk_fuzz::show(__VA_ARGS__)); \
  } while (0)

namespace desk_fuzz {

inline std::string show() { return {}; }
inline std::string show(std::string_view a) { return std::string(a); }
inline std::string show(std::string_view a, std::string_view b) {
  return "--- first:\n" + std::string(a) + "\n--- second:\n" + std::string(b);
}

[[noreturn]] inline void fail(const char* cond, const char* file, int line, const std::string& detail) {
  std::fprintf(stderr, "%s:%d: property failed: %s\n%s\n", file, line, cond, detail.c_str());
  std::abort();
}

/// Splits the input at each occurrence of `sep` (a separator the targets document).
inline std::vector<std::string_view> split_input(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t at = 0;
  for (;;) {
    size_t next = s.find(sep, at);
    if (next == std::string_view::npos) {
      parts.push_back(s.substr(at));
      return parts;
    }
    parts.push_back(s.substr(at, next - at));
    at = next + sep.size();
  }
}

}  // namespace desk_fuzz
