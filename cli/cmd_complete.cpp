#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <exception>
#include <set>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/git.hpp"
#include "core/kb.hpp"
#include "core/text.hpp"
#include "core/ticket.hpp"

namespace desk::cli {

namespace {

// One candidate: the value, and a description the shells that can show one do.
struct Candidate {
  std::string value;
  std::string description;
};

// A single line of text for a description: tabs and line breaks would break the format.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return strip_controls(s);
}

std::vector<Candidate> distinct(const std::vector<Ticket>& tickets,
                                const std::function<std::vector<std::string>(const Ticket&)>& field) {
  std::set<std::string> seen;
  for (const auto& t : tickets)
    for (auto& v : field(t))
      if (!v.empty()) seen.insert(std::move(v));
  std::vector<Candidate> out;
  for (const auto& v : seen) out.push_back({v, ""});
  return out;
}

// Ticket ids with titles: active tickets first, most recently updated first within each group.
std::vector<Candidate> ticket_ids(const Desk& desk, const std::string& prefix) {
  Snapshot snap = desk.head();
  std::vector<Ticket> tickets;
  if (prefix.empty()) {
    tickets = snap.all_tickets().first;
  } else {
    for (const auto& id : snap.ids_with_prefix(prefix)) {
      try {
        tickets.push_back(snap.ticket(id));
      } catch (const Error&) {
        Ticket unreadable;  // still a valid id to complete
        unreadable.id = id;
        tickets.push_back(std::move(unreadable));
      }
    }
  }
  std::stable_sort(tickets.begin(), tickets.end(), [](const Ticket& a, const Ticket& b) {
    bool aa = is_active_status(a.status), ba = is_active_status(b.status);
    if (aa != ba) return aa;
    if (a.updated != b.updated) return a.updated > b.updated;
    return a.id < b.id;
  });
  std::vector<Candidate> out;
  for (const auto& t : tickets)
    out.push_back({t.id, t.title.empty() ? t.status : fmt::format("{} [{} {}]", t.title, t.status, t.tier)});
  return out;
}

std::vector<Candidate> remotes(const Desk& desk) {
  git_strarray names{};
  git::check(git_remote_list(&names, desk.repo()), "list remotes");
  std::vector<Candidate> out;
  for (size_t i = 0; i < names.count; ++i) {
    std::string url;
    git_remote* remote = nullptr;
    if (git_remote_lookup(&remote, desk.repo(), names.strings[i]) == 0) {
      if (const char* u = git_remote_url(remote)) url = u;
      git_remote_free(remote);
    }
    out.push_back({names.strings[i], url});
  }
  git_strarray_dispose(&names);
  return out;
}

std::vector<Candidate> candidates(const std::string& kind, const std::string& prefix, const Desk& desk) {
  const Config& c = desk.config();
  std::vector<Candidate> out;
  if (kind == "ids") return ticket_ids(desk, prefix);
  if (kind == "tiers") {
    for (const auto& t : c.tiers) out.push_back({t.name, t.title});
  } else if (kind == "priorities") {
    for (const auto& p : c.priorities) out.push_back({p.name, p.title});
  } else if (kind == "statuses") {
    for (const auto& st : all_statuses) out.push_back({st, ""});
  } else if (kind == "impacts") {
    for (const auto& v : c.impacts) out.push_back({v, ""});
  } else if (kind == "urgencies") {
    for (const auto& v : c.urgencies) out.push_back({v, ""});
  } else if (kind == "types") {
    for (const auto& v : c.types) out.push_back({v, ""});
  } else if (kind == "vendors") {
    for (const auto& v : c.vendors) out.push_back({v.name, v.title});
  } else if (kind == "templates") {
    for (const auto& t : desk.templates()) out.push_back({t.name, t.title});
  } else if (kind == "slugs" || kind == "articles") {
    // articles: the targets of `desk link ID kb/SLUG`.
    for (const auto& a : all_articles(desk.head()).first) out.push_back({(kind == "articles" ? "kb/" : "") + a.slug, a.title});
  } else if (kind == "remotes") {
    return remotes(desk);
  } else if (kind == "assignees" || kind == "requesters" || kind == "tags") {
    auto tickets = desk.head().all_tickets().first;
    if (kind == "assignees") return distinct(tickets, [](const Ticket& t) { return std::vector{t.assignee}; });
    if (kind == "requesters") return distinct(tickets, [](const Ticket& t) { return std::vector{t.requester}; });
    out = distinct(tickets, [](const Ticket& t) { return t.tags; });
    std::set<std::string> seen;
    for (const auto& cand : out) seen.insert(cand.value);
    for (const auto& t : desk.templates())
      for (const auto& tag : t.tags)
        if (seen.insert(tag).second) out.push_back({tag, ""});
  }
  return out;
}

}  // namespace

// Plumbing for the completion scripts: `desk __complete KIND [PREFIX]` prints one value a line,
// with a TAB and a description where there is one. A shell must never show an error while the
// user presses TAB, so every failure (outside a desk, a bad config, an unknown KIND) prints
// nothing and exits 0; nothing is printed until every value has been read.
void define_complete(CLI::App& cmd, Session& s) {
  auto words = std::make_shared<std::vector<std::string>>();
  cmd.allow_extras();
  cmd.add_option("ARGS", *words, "KIND [PREFIX]");
  cmd.callback([&s, &cmd, words] {
    std::vector<std::string> args = *words;
    for (const auto& extra : cmd.remaining()) args.push_back(extra);
    if (args.empty() || args.size() > 2) return;
    std::string prefix = args.size() == 2 ? args[1] : "";
    std::string text;
    try {
      // Desk::open, not Session::desk: completing must not write the merge driver into .git/config.
      Desk desk = Desk::open(s.work_dir());
      for (const auto& c : candidates(args[0], prefix, desk)) {
        if (c.value.rfind(prefix, 0) != 0 || c.value.find_first_of("\t\n\r") != std::string::npos) continue;
        text += c.value;
        if (!c.description.empty()) text += "\t" + one_line(c.description);
        text += "\n";
      }
    } catch (const std::exception&) {
      return;
    }
    s.out() << text;
  });
}

}  // namespace desk::cli
