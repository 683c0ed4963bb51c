#include "cli/app.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/session.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

const char* version() { return "0.1.0"; }

namespace {

int exit_code_for(ErrorKind k) {
  switch (k) {
    case ErrorKind::usage: return exit_usage;
    case ErrorKind::not_found: return exit_not_found;
    default: return exit_error;
  }
}

void print_error(std::ostream& err, const std::string& message, const std::string& hint) {
  err << "desk: error: " << strip_controls(message) << "\n";
  if (!hint.empty()) err << "hint: " << strip_controls(hint) << "\n";
}

// Where the first argument that names a command is, skipping global options and their values.
std::optional<size_t> command_at(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-C" || a == "--color" || a == "--json-format") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] == '-') continue;
    return i;
  }
  return std::nullopt;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

int run(const std::vector<std::string>& args, Env& env) {
  std::ostream& err = *env.err;
  Session s(env);
  CLI::App app{"desk: a tiered help desk whose tickets live in git", "desk"};
  app.set_help_all_flag("--help-all", "help for every command");
  app.fallthrough();  // global options may follow the command: desk comment -q ...
  app.add_option("-C", s.dir, "run as if desk was started in DIR")->type_name("DIR");
  app.add_option("--color", s.color, "colour output: auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.add_flag("-q,--quiet", s.quiet, "print no status messages on stderr");
  app.add_flag("--no-pager", s.no_pager, "never send output through the pager");
  app.add_option("--json-format", s.json_format, "JSON shape to print: 2 (the default) or 1 (the older one, for one release)")
      ->check(CLI::IsMember({1, 2}))
      ->type_name("N");
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version");
  app.footer(
      "Exit codes: 0 success, 1 error, 2 usage error, 3 not found, 4 breach (sweep --exit-code), 5 problems (fsck).\n"
      "Environment: DESK_NOW (RFC 3339) pins the clock; GIT_AUTHOR_NAME/EMAIL set the actor; EDITOR, PAGER, NO_COLOR.\n"
      "See desk COMMAND --help, or man desk.");
  for (const auto& def : commands()) {
    CLI::App* sub = app.add_subcommand(def.name, def.summary);
    if (def.hidden) sub->group("");
    def.define(*sub, s);
  }

  std::vector<std::string> words = args;
  if (auto at = command_at(args)) {
    const std::string& word = args[*at];
    bool known = false;
    std::vector<std::string> close;
    for (const auto& def : commands()) {
      if (word == def.name) known = true;
      if (edit_distance(word, def.name) <= 2 || std::string(def.name).rfind(word, 0) == 0) close.push_back(def.name);
    }
    if (!known) {
      print_error(err, fmt::format("'{}' is not a desk command", word),
                  close.empty() ? "see `desk --help` for the commands" : "did you mean: " + join(close, ", ") + "?");
      return exit_usage;
    }
    // `desk __complete KIND [PREFIX]` takes its words verbatim: CLI11 would run `desk __complete
    // templates` as the command templates, `tags show` as show, and take a PREFIX like -C for an
    // option. After `--` it takes every word as a positional of __complete.
    if (word == "__complete") words.insert(words.begin() + static_cast<std::ptrdiff_t>(*at) + 1, "--");
  }

  try {
    s.json();  // a bad DESK_JSON_FORMAT is refused before any command runs, not after it committed
    std::vector<std::string> reversed(words.rbegin(), words.rend());
    app.parse(reversed);
    if (show_version) {
      *env.out << "desk " << version() << "\n";
      return exit_ok;
    }
    if (app.get_subcommands().empty()) {
      err << app.help();
      return exit_usage;
    }
    return exit_ok;
  } catch (const ExitWith& e) {
    return e.code;
  } catch (const CLI::CallForHelp&) {
    *env.out << app.help();
    return exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    *env.out << app.help("", CLI::AppFormatMode::All);
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    // The innermost command that was parsed: `desk kb search` as well as `desk escalate`.
    std::string sub;
    for (CLI::App* at = &app; !at->get_subcommands().empty();) {
      at = at->get_subcommands().front();
      sub += (sub.empty() ? "" : " ") + at->get_name();
    }
    print_error(err, e.what(), sub.empty() ? "see `desk --help`" : fmt::format("see `desk {} --help`", sub));
    return exit_usage;
  } catch (const Error& e) {
    print_error(err, e.what(), e.hint());
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    print_error(err, e.what(), "");
    return exit_error;
  }
}

}  // namespace desk::cli
