#include "cli/commands.hpp"
#include "core/error.hpp"

namespace desk::cli {

// Placeholder while the command is built; hidden from --help (see commands.cpp).
void define_import(CLI::App& cmd, Session&) {
  cmd.allow_extras();
  cmd.callback([] { throw Error(ErrorKind::usage, "desk import is not available yet"); });
}

}  // namespace desk::cli
