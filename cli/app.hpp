#pragma once
// desk's entry point as a function, so tests can run commands in-process with a fake Env.
#include <string>
#include <vector>

#include "cli/env.hpp"

namespace desk::cli {

/// Exit codes (documented in desk(1)).
enum ExitCode : int {
  exit_ok = 0,
  exit_error = 1,
  exit_usage = 2,
  exit_not_found = 3,
  exit_breach = 4,    // sweep --exit-code: a ticket is in breach
  exit_problems = 5,  // fsck found problems
};

/// Thrown by a command that finished its work but must exit with a particular code.
struct ExitWith {
  int code;
};

/// Runs desk with args (without the program name) and returns the exit code.
int run(const std::vector<std::string>& args, Env& env);

/// The version string.
const char* version();

}  // namespace desk::cli
