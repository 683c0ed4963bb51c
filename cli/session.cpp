#include "cli/session.hpp"

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "core/mail/outbox.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "core/util/error.hpp"
#include "core/store/git.hpp"
#include "core/model/id.hpp"
#include "core/model/limits.hpp"
#include "core/util/text.hpp"

namespace fs = std::filesystem;

namespace desk::cli {

void add_text_options(CLI::App& cmd, TextOption& text, const std::string& what) {
  cmd.add_option("-m,--message", text.messages, what + " (repeat for paragraphs)")->type_name("TEXT");
  cmd.add_option("-F,--file", text.file, "read the text from FILE (- for standard input)")->type_name("FILE");
}

std::string Session::work_dir() const {
  if (dir.empty()) return env_.cwd;
  fs::path p(dir);
  return (p.is_absolute() ? p : fs::path(env_.cwd) / p).lexically_normal().string();
}

JsonWriter Session::json() {
  int format = json_format;
  if (format == 0 && env_.json_format) {
    const std::string& v = *env_.json_format;
    format = v == "1" ? 1 : v == "2" ? 2 : -1;
    if (format < 0)
      throw Error(ErrorKind::usage, fmt::format("DESK_JSON_FORMAT='{}' is not a JSON format desk prints", strip_controls_line(v)),
                  fmt::format("use {} (the newest) or {}", desk::json_format, json_format_oldest));
  }
  return JsonWriter(format == 0 ? desk::json_format : format);
}

Timestamp Session::now() const {
  if (env_.desk_now) {
    auto t = parse_time(*env_.desk_now);
    if (!t)
      throw Error(ErrorKind::usage, fmt::format("DESK_NOW='{}' is not an RFC 3339 time", *env_.desk_now),
                  "use a time such as 2026-11-22T09:00:00Z or 2026-11-22T10:00:00+01:00");
    // git stores commit times as seconds since 1970; git and its tools read them as unsigned
    // 32-bit in places, so a time outside 1970-2106 would land as another date.
    auto secs = t->time_since_epoch().count();
    if (secs < 0 || secs > 4294967295LL)
      throw Error(ErrorKind::usage, fmt::format("DESK_NOW='{}' is outside 1970-2106, which git cannot record", *env_.desk_now),
                  "use a time between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z");
    return *t;
  }
  return env_.clock();
}

Desk& Session::desk() {
  if (!desk_) {
    std::string wd = work_dir();
    if (!fs::is_directory(wd))
      throw Error(ErrorKind::usage, fmt::format("cannot change to '{}': no such directory", dir));
    desk_.emplace(Desk::open(wd));
    // A desk killed mid-change left a journal: finish its change before anything reads or
    // writes (never while another desk is mid-change; a write finishes it under its own lock).
    try {
      for (const auto& note : desk_->finish_interrupted(false)) *env_.err << "desk: " << note << "\n";
    } catch (const Error& e) {
      *env_.err << "desk: warning: could not finish an interrupted change: " << e.what() << "\n";
    }
    head_at_open_ = desk_->head().commit() ? git::oid_hex(*desk_->head().commit()) : "";
    desk_->ensure_merge_driver(env_.exe);
    desk_->set_index_settings(index_settings());
    desk_->set_crash_point(env_.test_crash);
  }
  return *desk_;
}

Session::~Session() {
  // libgit2 never packs: loose objects would pile up, one tree per shard and per tickets/ for
  // every change. `git gc --auto` is git's own check (cheap when there is nothing to do) and
  // packs in the background when the loose objects pass gc.auto; desk does not wait for it.
  if (!desk_ || !env_.spawn_background) return;
  try {
    auto head = desk_->head().commit();
    std::string now = head ? git::oid_hex(*head) : "";
    if (now != head_at_open_) env_.spawn_background({"git", "gc", "--auto", "--quiet"}, desk_->root());
  } catch (const std::exception&) {
    // Housekeeping never turns a finished command into a failure.
  }
}

IndexSettings Session::index_settings() {
  IndexSettings is;
  is.enabled = !env_.no_index;
  // The first command after a clone of a large desk builds the index: say so on a terminal.
  if (env_.stderr_tty && !quiet)
    is.progress = [this](size_t done, size_t total) {
      *env_.err << fmt::format("\rdesk: indexing tickets: {}/{}", done, total) << (done == total ? "\n" : "") << std::flush;
    };
  return is;
}

std::pair<Identity, Identity> Session::identity() { return desk().identity(env_.identity); }

Context Session::context() {
  auto [author, committer] = identity();
  return Context{now(), author.display(), env_.rng};
}

std::vector<std::string> Session::expand_me(const std::vector<std::string>& people) {
  std::vector<std::string> out;
  auto add = [&](const std::string& v) {
    if (!v.empty() && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  };
  // A person of the team matches by the name desk stores, and by the names a ticket assigned
  // before the team was written down may hold (the email, its local part).
  auto add_person = [&](const Person& p) {
    add(p.name);
    add(p.email);
    if (!p.email.empty()) add(p.email.substr(0, p.email.find('@')));
  };
  const Config& cfg = desk().config();
  for (const auto& p : people) {
    if (!is_me(p)) {
      // A filter may name someone who has left the team: unknown names are kept as typed.
      const Person* person = p == "none" ? nullptr : find_person(cfg, p);
      add(p);
      if (person) add_person(*person);
      continue;
    }
    Identity me = identity().first;
    add(me.name);
    add(me.email);
    add(me.email.substr(0, me.email.find('@')));
    if (const Person* person = person_of_identity(cfg, me.name, me.email)) add_person(*person);
  }
  return out;
}

std::string Session::assignee(const std::string& typed) {
  const Config& cfg = desk().config();
  if (!is_me(typed)) return resolve_assignee(cfg, typed);
  Identity me = identity().first;
  if (cfg.team.empty()) return me.name;
  if (const Person* p = person_of_identity(cfg, me.name, me.email)) return p->name;
  throw Error(ErrorKind::usage, fmt::format("you ({} <{}>) are not on the team", strip_controls_line(me.name), strip_controls_line(me.email)),
              fmt::format("add yourself: desk team add NAME --email {}", strip_controls_line(me.email)));
}

std::string Session::edit_text(const std::string& initial, const std::string& instructions, const std::string& file_stem) {
  if (!env_.editor) throw Error(ErrorKind::usage, "no editor: set EDITOR, or pass the text with -m or -F");
  std::string path = std::string(git_repository_path(desk().repo())) + "DESK_" + file_stem;
  {
    std::ofstream f(path, std::ios::trunc);
    f << initial;
    if (!instructions.empty()) f << "\n" << instructions;
  }
  int rc = env_.run_editor(*env_.editor, path);
  if (rc != 0) throw Error(ErrorKind::io, fmt::format("the editor '{}' exited with status {}", *env_.editor, rc), "the text was not used");
  // What the editor left, read no further than the longest text desk takes plus the comments.
  std::string raw = read_file(path, max_text_bytes + initial.size() + instructions.size() + 1);
  fs::remove(path);
  if (raw.size() > max_text_bytes + initial.size() + instructions.size() + 1) check_text_size(raw, "the text");
  std::istringstream f(raw);
  std::string line, text;
  while (std::getline(f, line))
    if (line.rfind("#", 0) != 0) text += line + "\n";
  return text;
}

std::string Session::read_text(const TextOption& opt, const std::string& what, const std::string& template_hint,
                               const std::function<std::string()>& context) {
  if (!opt.messages.empty() && !opt.file.empty())
    throw Error(ErrorKind::usage, "-m and -F cannot be used together", "give the text one way");
  // A text is read no further than one byte past the limit: -F /dev/zero fails fast.
  if (!opt.messages.empty()) {
    std::string text = join(opt.messages, "\n\n");
    check_text_size(text, what);
    return text;
  }
  if (opt.file == "-") {
    stdin_taken_ = true;
    std::string text = read_at_most(*env_.in, max_text_bytes);
    check_text_size(text, what);
    return text;
  }
  if (!opt.file.empty()) {
    fs::path p(opt.file);
    if (!p.is_absolute()) p = fs::path(env_.cwd) / p;
    std::ifstream f(p, std::ios::binary);
    if (!f) throw Error(ErrorKind::usage, fmt::format("cannot read '{}'", opt.file), "check the path given to -F");
    std::string text = read_at_most(f, max_text_bytes);
    check_text_size(text, what);
    return text;
  }
  if (env_.stdin_tty && env_.stdout_tty && env_.editor) {
    std::string instructions = fmt::format(
        "# Write {} above. Lines starting with '#' are ignored;\n# an empty text aborts.\n{}{}", what, template_hint,
        context ? context() : std::string());
    return edit_text("", instructions, "TEXT");
  }
  return "";
}

bool Session::color_out() const {
  if (color == "always") return true;
  if (color == "never") return false;
  return env_.stdout_tty && !env_.no_color;
}

std::string Session::paint(const std::string& s, const char* sgr) const {
  if (!color_out() || s.empty()) return s;
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, s);
}

bool Session::pages() const {
  if (!env_.stdout_tty || no_pager) return false;
  std::string pager = env_.pager.value_or("less");
  return !pager.empty() && pager != "cat";
}

// less 590 (Debian 12) cannot pin a header line (--header came in less 600), so the header is
// repeated where each page of less starts: a page is the terminal's rows less the prompt line,
// and SPACE or f shows the next page with its header on top. A table of one page is unchanged.
// Repeated headers are what a pager without a pinned line can do: a search or a line-by-line
// scroll still moves them off the top.
std::string header_every_page(const std::string& table_text, int rows) {
  if (rows < 4) return table_text;
  size_t page = static_cast<size_t>(rows) - 1;
  size_t eol = table_text.find('\n');
  if (eol == std::string::npos) return table_text;
  std::string header = table_text.substr(0, eol + 1);
  std::string out = header;
  size_t on_page = 1;
  for (size_t at = eol + 1; at < table_text.size();) {
    size_t end = table_text.find('\n', at);
    end = end == std::string::npos ? table_text.size() : end + 1;
    if (on_page == page) {
      out += header;
      on_page = 1;
    }
    out.append(table_text, at, end - at);
    ++on_page;
    at = end;
  }
  // less shows the last page as the last screenful (it does not scroll past the end), which
  // would put the last header mid-screen: the last page is filled with empty lines.
  if (out.size() > table_text.size()) {
    if (out.back() != '\n') out += '\n';
    for (; on_page < page; ++on_page) out += '\n';
  }
  return out;
}

void Session::page_table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows) {
  TableLayout l;
  l.width = env_.stdout_tty ? static_cast<size_t>(env_.columns) : 0;
  l.bold_header = color_out();
  if (pages()) {
    std::string pager = env_.pager.value_or("less -FRX");
    bool less = pager == "less" || pager.rfind("less ", 0) == 0;
    l.chop_by_pager = less;
    std::string text = table(columns, rows, l);
    if (less) text = header_every_page(text, env_.lines);
    if (env_.run_pager(less ? pager + " -S" : pager, text)) return;
    l.chop_by_pager = false;
  }
  out() << table(columns, rows, l);
}

void Session::page(const std::string& text) {
  if (pages()) {
    std::string pager = env_.pager.value_or("less -FRX");
    if (env_.run_pager(pager, text)) return;
  }
  out() << text;
}

void Session::status(const std::string& line) {
  // Status lines quote what was typed and read (ids, paths, titles): shown as a terminal may.
  if (!quiet) err() << strip_controls_line(line) << "\n";
}

Mutation mutation_for(const Change& c) {
  Mutation m;
  m.files.push_back({ticket_path(c.ticket.id), emit_ticket(c.ticket)});
  check_file_size(m.files.back().path, m.files.back().content->size());
  m.subject = c.subject;
  m.body = c.body;
  m.trailers = {{"Desk-Ticket", c.ticket.id}, {"Desk-Action", c.action}};
  if (!c.ticket.history.empty()) m.trailers.emplace_back("Desk-Entry", c.ticket.history.back().id);
  return m;
}

CommitResult Session::commit_change(const std::function<Change(const Snapshot&)>& build, Change& last) {
  auto [author, committer] = identity();
  Timestamp when = now();
  return desk().commit(author, committer, when, [&](const Snapshot& snap) {
    clock_warnings_.clear();
    last = build(snap);
    after_transition(last, snap);
    return mutation_for(last);
  });
}

CommitResult Session::commit_changes(const std::function<std::vector<Change>(const Snapshot&)>& build, std::vector<Change>& changes,
                                     const std::function<std::string(const std::vector<Change>&)>& subject) {
  auto [author, committer] = identity();
  return desk().commit(author, committer, now(), [&](const Snapshot& snap) {
    clock_warnings_.clear();
    changes = build(snap);
    if (changes.empty()) throw Error(ErrorKind::state, "nothing to change");
    if (changes.size() == 1) {
      after_transition(changes.front(), snap);
      return mutation_for(changes.front());
    }
    Mutation m;
    for (auto& c : changes) {
      after_transition(c, snap);
      Mutation one = mutation_for(c);
      m.files.push_back(std::move(one.files.front()));
    }
    m.subject = subject ? subject(changes) : changes.front().subject;
    for (const auto& c : changes) m.body += c.subject + "\n";
    if (!changes.front().body.empty()) m.body += "\n" + changes.front().body;
    m.trailers.emplace_back("Desk-Action", changes.front().action);
    for (const auto& c : changes) m.trailers.emplace_back("Desk-Ticket", c.ticket.id);
    return m;
  });
}

void Session::print_changes_json(const std::string& commit, const std::vector<Change>& changes, const std::string& subject) {
  if (changes.size() == 1) {
    print_change_json(*this, commit, changes.front());
    return;
  }
  JsonWriter w = json();
  begin_change_json(w, commit, changes.front().action, subject);
  w.key("tickets").begin_array();
  for (const auto& c : changes) write_ticket_json(w, c.ticket);
  w.end_array().end_object();
  out() << w.str();
}

void Session::report(const CommitResult& r, const Change& c) { report(r, c.subject); }

void Session::report(const CommitResult& r, const std::string& subject) {
  for (const auto& w : r.warnings) err() << "desk: warning: " << strip_controls_line(w) << "\n";
  if (!r.commit.empty())
    for (const auto& w : clock_warnings_) err() << "desk: warning: " << w << "\n";
  clock_warnings_.clear();
  if (r.commit.empty()) {
    status("nothing to change");
    return;
  }
  git_reference* head = nullptr;
  std::string branch = "HEAD";
  if (git_repository_head(&head, desk().repo()) == 0) {
    branch = git_reference_shorthand(head);
    git_reference_free(head);
  } else {
    git_error_clear();
  }
  status(fmt::format("[{} {}] {}", branch, r.commit.substr(0, 7), strip_controls_line(subject)));
}

void Session::after_transition(Change& c, const Snapshot& snap) {
  std::optional<Ticket> old;
  if (snap.read(ticket_path(c.ticket.id))) old = snap.ticket(c.ticket.id);
  size_t first_new = old ? old->history.size() : 0;
  // A clock behind the ticket's last entry (another clone's, or this machine's, is wrong): said,
  // not refused, and the new entries are recorded at the last entry's time, so that the history
  // stays in time order (the clocks and stats read it in order) and nothing is dated before what
  // it answers.
  if (old && !old->history.empty() && first_new <= c.ticket.history.size()) {
    const HistoryEntry* latest = &old->history.front();
    for (const auto& e : old->history)
      if (e.at > latest->at) latest = &e;
    bool warned = false;
    for (size_t i = first_new; i < c.ticket.history.size(); ++i) {
      HistoryEntry& e = c.ticket.history[i];
      if (e.at >= latest->at) continue;
      if (!warned)
        clock_warnings_.push_back(fmt::format(
            "the clock ({}) is behind ticket {}'s last entry ({}, by {}): the change is recorded at {} to keep the history in "
            "time order; check this machine's clock (and DESK_NOW)",
            format_time(e.at), short_id(c.ticket.id), format_time(latest->at), strip_controls_line(latest->by), format_time(latest->at)));
      warned = true;
      e.at = latest->at;
    }
    if (warned && c.ticket.updated < latest->at) c.ticket.updated = latest->at;
  }
  const MailConfig& cfg = desk().config().mail;
  if (cfg.enabled()) mail::queue_notices(c.ticket, first_new, cfg);
}

Session::Outcome Session::mutate(const std::string& prefix, const std::function<Change(Ticket)>& transition) {
  std::string id = desk().resolve(prefix);
  Change last;
  auto r = commit_change([&](const Snapshot& snap) { return transition(snap.ticket(id)); }, last);
  report(r, last);
  return {r, last};
}

void Session::mutate_and_print(const std::string& prefix, bool json, const std::function<Change(Ticket)>& transition) {
  auto o = mutate(prefix, transition);
  if (json) print_change_json(*this, o.result.commit, o.change);
}

std::vector<std::string> Session::resolve_ids(const std::vector<std::string>& typed) {
  std::vector<std::string> words;
  for (const auto& w : typed) {
    if (w != "-") {
      words.push_back(w);
      continue;
    }
    if (stdin_taken_)
      throw Error(ErrorKind::usage, "standard input can give the ticket ids or the text, not both", "give the text with -m or -F FILE");
    stdin_taken_ = true;
    // Bounded like a text: a runaway pipe fails fast instead of filling memory.
    std::istringstream lines(read_at_most(*env_.in, max_text_bytes));
    size_t before = words.size();
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string first;
      if (fields >> first && first[0] != '#') words.push_back(first);
    }
    if (words.size() == before)
      throw Error(ErrorKind::usage, "no ticket ids on standard input", "give one id per line, e.g. desk list --json | jq -r '.tickets[].id'");
  }
  if (words.empty()) throw Error(ErrorKind::usage, "no ticket given", "name one or more tickets by id or unique prefix, or - to read them from standard input");
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& w : words) {
    std::string id = desk().resolve(w);
    if (seen.insert(id).second) ids.push_back(id);
  }
  return ids;
}

Session::BulkOutcome Session::mutate_all(const std::vector<std::string>& typed, const std::function<Change(Ticket)>& transition,
                                         const std::string& bulk_head) {
  std::vector<std::string> ids = resolve_ids(typed);
  if (ids.size() == 1) {
    auto o = mutate(ids.front(), transition);
    return {o.result, {o.change}};
  }
  std::vector<Change> changes;
  std::string subject;
  auto [author, committer] = identity();
  auto r = desk().commit(author, committer, now(), [&](const Snapshot& snap) {
    changes.clear();
    clock_warnings_.clear();
    Mutation m;
    for (const auto& id : ids) {
      try {
        changes.push_back(transition(snap.ticket(id)));
        after_transition(changes.back(), snap);
      } catch (const Error& e) {
        throw Error(e.kind(), fmt::format("{}: {}", short_id(id), e.what()),
                    (e.hint().empty() ? std::string() : e.hint() + "; ") + "no ticket was changed (all or nothing)");
      }
      Mutation one = mutation_for(changes.back());
      m.files.push_back(std::move(one.files.front()));
    }
    const std::string& action = changes.front().action;
    std::vector<std::string> shorts;
    for (size_t i = 0; i < ids.size() && i < 5; ++i) shorts.push_back(short_id(ids[i]));
    subject = fmt::format("{} {} tickets: {}{}", bulk_head.empty() ? action : bulk_head, ids.size(), join(shorts, ", "), ids.size() > 5 ? ", ..." : "");
    m.subject = subject;
    for (const auto& c : changes) m.body += c.subject + "\n";
    if (!changes.front().body.empty()) m.body += "\n" + changes.front().body;
    m.trailers.emplace_back("Desk-Action", action);
    for (const auto& c : changes) m.trailers.emplace_back("Desk-Ticket", c.ticket.id);
    return m;
  });
  report(r, subject);
  return {r, changes};
}

void Session::warn_unchecked(const std::vector<Change>& changes) {
  for (const auto& c : changes) {
    std::vector<std::string> open;
    for (size_t i = 0; i < c.ticket.checklist.size(); ++i)
      if (!c.ticket.checklist[i].done) open.push_back(fmt::format("{} {}", i + 1, strip_controls_line(c.ticket.checklist[i].text)));
    if (open.empty()) continue;
    err() << fmt::format("desk: warning: {} was {} with {} of {} checklist step{} not done: {}\n", short_id(c.ticket.id),
                         c.ticket.status, open.size(), c.ticket.checklist.size(), c.ticket.checklist.size() == 1 ? "" : "s",
                         join(open, "; "));
  }
}

Session::BulkOutcome Session::mutate_and_print(const std::vector<std::string>& typed, bool json, const std::function<Change(Ticket)>& transition) {
  auto o = mutate_all(typed, transition);
  if (!json) return o;
  if (o.changes.size() == 1) {
    print_change_json(*this, o.result.commit, o.changes.front());
    return o;
  }
  JsonWriter w = Session::json();
  begin_change_json(w, o.result.commit, o.changes.front().action, fmt::format("{} {} tickets", o.changes.front().action, o.changes.size()));
  w.key("tickets").begin_array();
  for (const auto& c : o.changes) write_ticket_json(w, c.ticket);
  w.end_array().end_object();
  out() << w.str();
  return o;
}

}  // namespace desk::cli
