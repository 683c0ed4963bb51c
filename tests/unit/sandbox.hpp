#pragma once
// A throwaway git repository for the unit tests that need real git: its own HOME (no developer
// config leaks in), the system git to check what landed; removed afterwards.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "core/store/desk.hpp"
#include "core/store/git.hpp"
#include "core/util/text.hpp"
#include "core/util/timeutil.hpp"

namespace desk::testing {

namespace fs = std::filesystem;

inline const Identity alice{"Alice Agent", "alice@example.com"};
inline const Timestamp t0 = *parse_time("2026-11-23T09:00:00Z");

// A throwaway directory with its own HOME, so no developer git config leaks in; removed afterwards.
class Sandbox {
 public:
  Sandbox() {
    char tmpl[] = "/tmp/desk-unit-XXXXXX";
    root_ = mkdtemp(tmpl);
    home_ = root_ + "/home";
    dir = root_ + "/desk";
    fs::create_directories(home_);
    setenv("HOME", home_.c_str(), 1);
    setenv("XDG_CONFIG_HOME", home_.c_str(), 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    git::init_library();
    // libgit2 reads HOME once; point its global, XDG and system config at the sandbox too.
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, home_.c_str());
  }
  ~Sandbox() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  std::string dir;

  /// Runs a shell command in `dir` (stderr folded into stdout) and returns its output.
  std::string sh(const std::string& command) const {
    std::string full = "cd '" + dir + "' && { " + command + " ; } 2>&1";
    FILE* p = popen(full.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
  }
  /// The system git with a fixed identity.
  std::string git(const std::string& args) const {
    return sh("git -c user.name=Sys -c user.email=sys@example.com " + args);
  }

  void write(const std::string& rel, const std::string& content) const {
    fs::create_directories(fs::path(dir + "/" + rel).parent_path());
    std::ofstream(dir + "/" + rel, std::ios::binary | std::ios::trunc) << content;
  }
  std::string read(const std::string& rel) const {
    std::ifstream f(dir + "/" + rel, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  /// Creates the desk and opens it.
  Desk init() const {
    Desk::init(dir, alice, alice, t0);
    return Desk::open(dir);
  }

  std::string head() const { return trim(sh("git rev-parse HEAD")); }
  int commits() const { return std::stoi(sh("git rev-list --count HEAD")); }

 private:
  std::string root_, home_;
};

}  // namespace desk::testing
