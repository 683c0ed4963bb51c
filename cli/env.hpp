#pragma once
// Everything desk takes from the process: environment variables, terminal facts, streams, the
// editor and pager. env_from_process() is the one place that reads them; tests build an Env by hand.
#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/store/desk.hpp"
#include "core/model/id.hpp"

namespace desk::cli {

struct Env {
  std::string cwd;
  std::optional<std::string> desk_now;  // DESK_NOW
  std::optional<std::string> json_format;  // DESK_JSON_FORMAT
  IdentityOverrides identity;           // GIT_AUTHOR_*, GIT_COMMITTER_*
  std::optional<std::string> editor;    // DESK_EDITOR, VISUAL or EDITOR
  std::optional<std::string> pager;     // DESK_PAGER or PAGER
  bool no_color = false;                // NO_COLOR set and non-empty
  std::string test_crash;               // DESK_TEST_CRASH=POINT: SIGKILL itself there (crash tests)
  bool no_index = false;                // DESK_INDEX=off: read every file, never the derived index
  std::optional<std::string> sendmail;  // DESK_SENDMAIL: the sendmail-compatible program desk mail send runs
  bool stdin_tty = false, stdout_tty = false, stderr_tty = false;
  int columns = 80;
  int lines = 0;                        // the terminal's rows (LINES without one); 0: unknown
  RandomSource rng;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  /// Runs the editor on a file; returns its exit status.
  std::function<int(const std::string& editor, const std::string& file)> run_editor;
  /// Sends text through the pager; returns false when no pager could run (the caller prints).
  std::function<bool(const std::string& pager, const std::string& text)> run_pager;
  /// The system clock, used when DESK_NOW is unset.
  std::function<Timestamp()> clock;
  /// The absolute path of the running desk binary (registered as git's merge driver).
  std::string exe;
  /// Runs a program (argv[0] looked up in PATH) in dir with extra environment variables, with
  /// no standard input; returns its exit status and what it printed.
  struct ProcessResult {
    int code = 0;
    std::string out, err;
  };
  std::function<ProcessResult(const std::vector<std::string>& argv, const std::string& dir,
                              const std::vector<std::pair<std::string, std::string>>& env)>
      run_process;
  /// Runs shell text with arguments (as git runs its programs: sh -c 'TEXT "$@"' TEXT ARGS...),
  /// input on its standard input, for at most timeout; returns its exit status (124 when it
  /// was stopped for taking too long) and what it printed.
  std::function<ProcessResult(const std::string& command, const std::vector<std::string>& args, const std::string& input,
                              std::chrono::seconds timeout)>
      run_shell;
  /// Starts a program (argv[0] looked up in PATH) in dir and does not wait for it: it runs on
  /// after desk exits, with no terminal. Unset: nothing is started (tests).
  std::function<void(const std::vector<std::string>& argv, const std::string& dir)> spawn_background;
};

/// Runs a program as Env::run_process does for the real process (fork/exec, captured output).
Env::ProcessResult run_system_process(const std::vector<std::string>& argv, const std::string& dir,
                                      const std::vector<std::pair<std::string, std::string>>& env);

/// Runs shell text as Env::run_shell does for the real process.
Env::ProcessResult run_system_shell(const std::string& command, const std::vector<std::string>& args, const std::string& input,
                                    std::chrono::seconds timeout);

/// The Env of this process: getenv, isatty, the terminal width, std streams, fork/exec.
Env env_from_process(std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace desk::cli
