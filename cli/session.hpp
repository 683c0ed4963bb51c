#pragma once
// The state one desk invocation shares between its global options and its command: the Env,
// the desk (opened on first use), and helpers for texts, output, colour and committing a change.
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/env.hpp"
#include "cli/render.hpp"
#include "core/report/json.hpp"
#include "core/store/desk.hpp"
#include "core/model/workflow.hpp"

namespace desk::cli {

/// A text given as -m (repeatable: paragraphs) or -F FILE / -F - (stdin).
struct TextOption {
  std::vector<std::string> messages;
  std::string file;
};

/// Adds -m/--message and -F/--file to a command.
void add_text_options(CLI::App& cmd, TextOption& text, const std::string& what);

/// A table for less with its header line repeated at the top of every page of `rows` terminal
/// rows (the last row is less's prompt); unchanged when it fits one page or rows is unknown.
std::string header_every_page(const std::string& table_text, int rows);

class Session {
 public:
  explicit Session(Env& env) : env_(env) {}
  /// Housekeeping after a command that committed: packs loose objects the way git does.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Env& env() { return env_; }
  std::ostream& out() { return *env_.out; }
  std::ostream& err() { return *env_.err; }

  // Global options.
  std::string dir;          // -C
  std::string color = "auto";
  bool quiet = false;
  bool no_pager = false;
  int json_format = 0;      // --json-format; 0: DESK_JSON_FORMAT, else the newest

  /// A JSON writer in the format asked for (--json-format, DESK_JSON_FORMAT, or the newest);
  /// Error(usage) for a format desk does not print.
  JsonWriter json();

  /// The directory desk acts in (cwd, or -C resolved against it).
  std::string work_dir() const;
  /// How the desk uses its derived index: off with DESK_INDEX=off; progress on a terminal.
  IndexSettings index_settings();
  /// Now: DESK_NOW when set (Error(usage) when malformed), else the clock.
  Timestamp now() const;
  /// The desk, opened on first use.
  Desk& desk();
  /// Author and committer identities.
  std::pair<Identity, Identity> identity();
  /// A workflow context for the current actor.
  Context context();
  /// `me` (or `@me`) among people typed for a filter: replaced by the current git identity's
  /// name, email and the email's local part (an assignee is a free string; any of them matches).
  std::vector<std::string> expand_me(const std::vector<std::string>& people);
  /// The assignee to store for a typed person: `me` is the git identity (with a team, the person
  /// with its email or name: Error(usage) when there is none); with a team, one of its people
  /// (Error(usage) listing them otherwise); without one, the name as typed.
  std::string assignee(const std::string& typed);
  /// True when a typed person means the current git identity.
  static bool is_me(const std::string& who) { return who == "me" || who == "@me"; }

  /// The text of a TextOption: -m paragraphs, a file, stdin, or (on a terminal) the editor with
  /// a commented template. Returns "" when none was given and no editor could ask. `context`,
  /// asked only when the editor opens, adds comment lines below the hint (editor_context).
  std::string read_text(const TextOption& opt, const std::string& what, const std::string& template_hint,
                        const std::function<std::string()>& context = {});

  /// Opens text in the editor, returns the edited text with '#' comment lines removed.
  std::string edit_text(const std::string& initial, const std::string& instructions, const std::string& file_stem);

  /// True when colour should be used on stdout.
  bool color_out() const;
  /// Wraps s in an ANSI SGR code when colour is on.
  std::string paint(const std::string& s, const char* sgr) const;

  /// Prints data to stdout, through the pager when stdout is a terminal. A table's long lines
  /// are chopped by the pager (less -S), not by desk, so searching in the pager finds them.
  void page(const std::string& text);
  /// Prints a table fitted to the terminal: through less, long rows are left whole for less to
  /// chop (-S); on a terminal without a pager, cut to the width; piped, every cell whole.
  void page_table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows);
  /// True when page() goes through a pager.
  bool pages() const;

  /// Prints a status line to stderr unless -q.
  void status(const std::string& line);

  /// Resolves a ticket prefix, applies a transition to the ticket at HEAD, commits the result
  /// (re-running the transition if another writer got in first), reports it, and returns it.
  struct Outcome {
    CommitResult result;
    Change change;
  };
  Outcome mutate(const std::string& prefix, const std::function<Change(Ticket)>& transition);

  /// mutate, then print the change as JSON when json is set.
  void mutate_and_print(const std::string& prefix, bool json, const std::function<Change(Ticket)>& transition);

  /// Ticket ids from what was typed: ids or unique prefixes, and `-` for ids on standard input,
  /// one per line (the first word of each; blank lines and lines starting with '#' skipped).
  /// Each resolved (Error(not_found) names the first that does not), duplicates dropped, in order.
  std::vector<std::string> resolve_ids(const std::vector<std::string>& typed);

  /// The same transition applied to several tickets, all or nothing, in one commit. One id
  /// behaves exactly as mutate; several make one commit touching each file, with a Desk-Ticket
  /// trailer each, and an error for any ticket (named) changes none of them. The subject of
  /// several is "ACTION N tickets: ids", or with bulk_head "BULK_HEAD N tickets: ids".
  struct BulkOutcome {
    CommitResult result;
    std::vector<Change> changes;
  };
  BulkOutcome mutate_all(const std::vector<std::string>& typed, const std::function<Change(Ticket)>& transition,
                         const std::string& bulk_head = {});
  /// mutate_all, then print JSON when json is set: one id as mutate_and_print, several as
  /// {"desk_format", "commit", "action", "subject", "tickets": [...]}.
  BulkOutcome mutate_and_print(const std::vector<std::string>& typed, bool json, const std::function<Change(Ticket)>& transition);

  /// Warns on stderr for each changed ticket that still has checklist steps not done (a resolve
  /// or close with work left: the steps, by number and text).
  void warn_unchecked(const std::vector<Change>& changes);

  /// What every change goes through before it is committed (snap is where it started): a warning
  /// when its entries are timed before the ticket's last entry (clock skew), and mail queued
  /// (notify) on the entries the requester hears about when the desk has mail on.
  void after_transition(Change& c, const Snapshot& snap);

  /// Commits a change that was computed for ticket id; used by mutate and new.
  CommitResult commit_change(const std::function<Change(const Snapshot&)>& build, Change& last);

  /// Commits several changes built from one snapshot (each a different ticket) as one commit:
  /// the subject is `subject` (the first change's when empty), the body each change's subject
  /// and then the first change's body, the trailers the first change's action and every ticket.
  /// An error from build changes nothing. `changes` holds what was committed.
  CommitResult commit_changes(const std::function<std::vector<Change>(const Snapshot&)>& build, std::vector<Change>& changes,
                              const std::function<std::string(const std::vector<Change>&)>& subject = {});

  /// Prints changes as JSON: one as print_change_json, several as {"desk_format", "commit",
  /// "action", "subject", "tickets": [...]}.
  void print_changes_json(const std::string& commit, const std::vector<Change>& changes, const std::string& subject);

  /// Reports a committed change on stderr ("[main 1a2b3c4] escalate ...").
  void report(const CommitResult& r, const Change& c);
  /// The same for any commit subject.
  void report(const CommitResult& r, const std::string& subject);

 private:
  Env& env_;
  std::optional<Desk> desk_;
  std::string head_at_open_;  // HEAD when the desk was opened, to see whether the command committed
  bool stdin_taken_ = false;  // a text or the ids were read from standard input
  std::vector<std::string> clock_warnings_;  // from after_transition, printed with the commit
};

/// Mutation for a change to one ticket: its file, subject, body and trailers.
Mutation mutation_for(const Change& c);

}  // namespace desk::cli
