#pragma once
// The explicit, ordered table of desk's commands. Each command's file defines its options, its
// CLI11 definition and its run function; nothing registers itself.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/session.hpp"

namespace desk::cli {

struct CommandDef {
  const char* name;
  const char* summary;
  void (*define)(CLI::App& cmd, Session& s);
  bool hidden = false;  // plumbing for git or the shells, not listed in --help
};

/// Every command, in the order `desk --help` lists them.
const std::vector<CommandDef>& commands();

void define_init(CLI::App&, Session&);
void define_new(CLI::App&, Session&);
void define_show(CLI::App&, Session&);
void define_list(CLI::App&, Session&);
void define_triage(CLI::App&, Session&);
void define_assign(CLI::App&, Session&);
void define_comment(CLI::App&, Session&);
void define_escalate(CLI::App&, Session&);
void define_deescalate(CLI::App&, Session&);
void define_wait(CLI::App&, Session&);
void define_resume(CLI::App&, Session&);
void define_resolve(CLI::App&, Session&);
void define_close(CLI::App&, Session&);
void define_reopen(CLI::App&, Session&);
void define_check(CLI::App&, Session&);
void define_edit(CLI::App&, Session&);
void define_log(CLI::App&, Session&);
void define_templates(CLI::App&, Session&);
void define_sweep(CLI::App&, Session&);
void define_sync(CLI::App&, Session&);
void define_fsck(CLI::App&, Session&);
void define_merge_file(CLI::App&, Session&);
void define_completion(CLI::App&, Session&);
void define_complete(CLI::App&, Session&);
void define_export(CLI::App&, Session&);
void define_import(CLI::App&, Session&);
void define_stats(CLI::App&, Session&);
void define_report(CLI::App&, Session&);

/// Prints a changed ticket as JSON ({"desk_format", "commit", "action", "ticket"}) on stdout.
void print_change_json(Session& s, const std::string& commit, const Change& c);

/// Adds --json to a command.
inline CLI::Option* add_json_flag(CLI::App& cmd, bool& json) {
  return cmd.add_flag("--json", json, "print JSON on stdout (field names as in the ticket file)");
}

}  // namespace desk::cli
