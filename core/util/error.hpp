#pragma once
// The one exception type that aborts a command. Expected outcomes (a miss, a list of problems)
// are values; an Error is caught once, at the top of the CLI, where its kind picks the exit code.
#include <stdexcept>
#include <string>

namespace desk {

enum class ErrorKind {
  usage,         // the command line is wrong (exit 2)
  not_found,     // a ticket, template or article does not exist (exit 3)
  ambiguous,     // an id prefix matches several tickets
  invalid,       // a value or file content is invalid
  state,         // the transition is not allowed in the ticket's current state
  dirty,         // the user has uncommitted changes desk must not overwrite
  not_a_desk,    // not inside a desk
  identity,      // no git identity
  git,           // libgit2 failed
  io,            // the file system failed
  conflict,      // a concurrent writer won too often
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::string hint = {})
      : std::runtime_error(std::move(message)), kind_(kind), hint_(std::move(hint)) {}
  ErrorKind kind() const noexcept { return kind_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  ErrorKind kind_;
  std::string hint_;
};

}  // namespace desk
