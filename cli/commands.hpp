#pragma once
// The explicit, ordered table of desk's commands. Each command's file defines its options, its
// CLI11 definition and its run function; nothing registers itself.
#include <CLI/CLI.hpp>

#include "core/util/error.hpp"

#include <functional>
#include <string>
#include <vector>

#include "cli/session.hpp"
#include "core/report/json.hpp"
#include "core/model/kb.hpp"
#include "core/store/suggest.hpp"

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
void define_macros(CLI::App&, Session&);
void define_team(CLI::App&, Session&);
void define_apply(CLI::App&, Session&);
void define_sweep(CLI::App&, Session&);
void define_migrate(CLI::App&, Session&);
void define_sync(CLI::App&, Session&);
void define_fsck(CLI::App&, Session&);
void define_merge_file(CLI::App&, Session&);
void define_completion(CLI::App&, Session&);
void define_complete(CLI::App&, Session&);
void define_export(CLI::App&, Session&);
void define_import(CLI::App&, Session&);
void define_stats(CLI::App&, Session&);
void define_report(CLI::App&, Session&);
void define_kb(CLI::App&, Session&);
void define_link(CLI::App&, Session&);
void define_search(CLI::App&, Session&);
void define_mail(CLI::App&, Session&);
void define_mail_send(CLI::App&, Session&);

/// Writes an article's front matter fields (and with body, its text) into an open JSON object.
void write_article_fields(JsonWriter& w, const Article& a, bool body);

/// Prints a knowledge-base change as JSON ({"desk_format", "commit", "action", "subject",
/// "article", and "ticket" when one changed}) on stdout.
void print_kb_change_json(Session& s, const std::string& commit, const KbChange& c);

/// Links a ticket to articles (with remove, unlinks them) in one commit: `desk link`, `desk kb link`.
void link_ticket_to_articles(Session& s, const std::string& prefix, const std::vector<std::string>& slugs, bool remove, bool json);

/// The suggestions for a ticket at a snapshot.
Suggestions suggestions_at(const Desk& d, const Snapshot& snap, const Ticket& t);

/// Writes suggestions as {"articles": [...], "tickets": [...]}.
void write_suggestions_json(JsonWriter& w, const Suggestions& sg);

/// Suggestions as text lines for a terminal (already sanitized); "" when there are none.
std::string render_suggestions(const Suggestions& sg);

/// What a history entry records, in a few words for a person ("public reply", "escalated L1 -> L2",
/// "triaged: priority P3 -> P2"); not sanitized.
std::string describe_entry(const HistoryEntry& e);

/// Prints a changed ticket as JSON ({"desk_format", "commit", "action", "ticket"}) on stdout.
void print_change_json(Session& s, const std::string& commit, const Change& c);

/// Opens a change object with its head ({"desk_format", "commit" (null when nothing was
/// committed), "action", "subject"); the caller adds the rest and closes it.
void begin_change_json(JsonWriter& w, const std::string& commit, const std::string& action, const std::string& subject);

/// Whom a ticket at the snapshot duplicates ("" for none, or a ticket that cannot be read): how
/// the duplicate transitions follow a chain of duplicates.
std::function<std::string(const std::string&)> duplicate_of_at(const Snapshot& snap);

/// Adds --json to a command.
inline CLI::Option* add_json_flag(CLI::App& cmd, bool& json) {
  return cmd.add_flag("--json", json, "print JSON on stdout (field names as in the ticket file)");
}

/// Adds --dry-run. -n is --limit across desk (list, log, search, kb search); here it is refused
/// with a pointer to --dry-run, which it meant before, rather than read as something else.
inline CLI::Option* add_dry_run_flag(CLI::App& cmd, bool& dry_run, const char* help) {
  cmd.add_flag_callback("-n", [] {
       throw Error(ErrorKind::usage, "-n is --limit in desk; this command has no limit",
                   "for a dry run, say --dry-run");
     })
      ->group("");
  return cmd.add_flag("--dry-run", dry_run, help);
}

}  // namespace desk::cli
