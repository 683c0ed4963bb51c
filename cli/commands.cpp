#include "cli/commands.hpp"

#include "core/util/error.hpp"
#include "core/report/json.hpp"

namespace desk::cli {

const std::vector<CommandDef>& commands() {
  static const std::vector<CommandDef> table = {
      {"init", "create a desk in a new or existing git repository", define_init},
      {"new", "file a new ticket and print its id", define_new},
      {"show", "show a ticket with its checklist and history", define_show},
      {"list", "list tickets (open work by default)", define_list},
      {"triage", "set priority, impact, urgency, type, category, tags", define_triage},
      {"assign", "assign a ticket to someone, or unassign it", define_assign},
      {"comment", "add a public reply, or an internal note", define_comment},
      {"escalate", "move a ticket up a tier with a hand-off note", define_escalate},
      {"deescalate", "move a ticket down a tier with the fix documented", define_deescalate},
      {"wait", "pause a ticket waiting on the customer or a vendor", define_wait},
      {"resume", "end a wait", define_resume},
      {"resolve", "resolve a ticket with its resolution", define_resolve},
      {"close", "close a resolved ticket, optionally with satisfaction 1-5", define_close},
      {"reopen", "reopen a resolved or closed ticket", define_reopen},
      {"check", "tick off a checklist step", define_check},
      {"apply", "apply a macro (a canned reply and its steps) to tickets, one change each", define_apply},
      {"edit", "edit a ticket file in $EDITOR, validated before it is committed", define_edit},
      {"sweep", "escalate overdue tickets and record SLA breaches (for CI)", define_sweep},
      {"log", "the audit trail from git: who did what, when and why", define_log},
      {"templates", "list the desk's ticket templates", define_templates},
      {"team", "the people who work tickets: list them with their open work, add, remove", define_team},
      {"macros", "list the desk's macros (canned replies) with their titles", define_macros},
      {"sync", "fetch, merge losslessly, and push: share the desk with the team", define_sync},
      {"fsck", "check every ticket, the config, templates and macros; report problems with path and line", define_fsck},
      {"stats", "what a desk lead reads: FCR, response and resolution times, SLA compliance, CSAT", define_stats},
      {"report", "write the metrics with charts as one self-contained HTML file", define_report},
      {"export", "export tickets as JSON or CSV", define_export},
      {"import", "import tickets from JSON, CSV or a GitHub issues export, in one commit", define_import},
      {"search", "find tickets and articles by their words, best match first, with the passage", define_search},
      {"link", "link a ticket to articles, related tickets, a parent or a problem, or mark it a duplicate", define_link},
      {"mail", "mail with customers: receive messages as tickets and replies, send the queued ones", define_mail},
      {"kb", "the knowledge base: new, edit, show, list, search and link articles", define_kb},
      {"migrate", "bring a desk written by an older desk to the current format, in one commit", define_migrate},
      {"completion", "print the shell completion script for bash, zsh or fish", define_completion},
      {"__complete", "dynamic values for shell completion (prints nothing on error)", define_complete, true},
      {"merge-file", "git's merge driver for ticket files (registered in .git/config)", define_merge_file, true},
  };
  return table;
}

void begin_change_json(JsonWriter& w, const std::string& commit, const std::string& action, const std::string& subject) {
  w.begin_object();
  w.key("desk_format").value(w.format());
  if (commit.empty()) w.key("commit").null(); else w.key("commit").value(commit);
  w.key("action").value(action);
  w.key("subject").value(subject);
}

std::function<std::string(const std::string&)> duplicate_of_at(const Snapshot& snap) {
  return [&snap](const std::string& id) {
    try {
      return snap.ticket(id).duplicate_of;
    } catch (const Error&) {
      return std::string();
    }
  };
}

void print_change_json(Session& s, const std::string& commit, const Change& c) {
  JsonWriter w = s.json();
  begin_change_json(w, commit, c.action, c.subject);
  w.key("ticket");
  write_ticket_json(w, c.ticket);
  w.end_object();
  s.out() << w.str();
}

}  // namespace desk::cli
