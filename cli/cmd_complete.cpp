#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <exception>
#include <set>

#include "cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/store/git.hpp"
#include "core/model/kb.hpp"
#include "core/model/macro.hpp"
#include "core/util/text.hpp"
#include "core/model/ticket.hpp"

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
  return strip_controls_line(s);
}

// At most this many ids for one TAB: a shell asks before it shows more anyway.
constexpr size_t max_ids = 200;

// Ticket ids with titles: active tickets first, most recently updated first within each group;
// at most max_ids. From the index when it can be used, else from the files.
std::vector<Candidate> ticket_ids(const Desk& desk, const std::string& prefix) {
  Snapshot snap = desk.head();
  std::vector<TicketLine> lines;
  if (Index* index = desk_index(desk, snap)) {
    lines = index->lines(prefix, max_ids);
  } else {
    std::vector<std::string> ids = snap.ids_with_prefix(prefix);
    for (const auto& id : ids) {
      TicketLine l;
      l.id = id;
      try {
        Ticket t = snap.ticket(id);
        l.title = t.title, l.status = t.status, l.tier = t.tier, l.updated = t.updated;
      } catch (const Error&) {
        l.readable = false;  // still a valid id to complete
      }
      lines.push_back(std::move(l));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const TicketLine& a, const TicketLine& b) {
      bool aa = is_active_status(a.status), ba = is_active_status(b.status);
      if (aa != ba) return aa;
      if (a.updated != b.updated) return a.updated > b.updated;
      return a.id < b.id;
    });
    if (lines.size() > max_ids) lines.resize(max_ids);
  }
  std::vector<Candidate> out;
  for (const auto& l : lines)
    out.push_back({l.id, !l.readable || l.title.empty() ? l.status : fmt::format("{} [{} {}]", l.title, l.status, l.tier)});
  return out;
}

// The distinct values of a ticket field ("assignee", "requester", "tag").
std::vector<Candidate> field_values(const Desk& desk, const std::string& field) {
  Snapshot snap = desk.head();
  std::vector<std::string> values;
  if (Index* index = desk_index(desk, snap)) {
    values = index->values(field);
  } else {
    std::set<std::string> seen;
    for (const auto& t : snap.all_tickets().first) {
      if (field == "tag") seen.insert(t.tags.begin(), t.tags.end());
      else seen.insert(field == "assignee" ? t.assignee : t.requester);
    }
    seen.erase("");
    values.assign(seen.begin(), seen.end());
  }
  std::vector<Candidate> out;
  for (auto& v : values) out.push_back({std::move(v), ""});
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
  } else if (kind == "macros") {
    for (const auto& m : all_macros(desk.head(), c).first) out.push_back({m.name, m.title});
  } else if (kind == "slugs" || kind == "articles") {
    // articles: the targets of `desk link ID kb/SLUG`.
    for (const auto& a : all_articles(desk.head()).first) out.push_back({(kind == "articles" ? "kb/" : "") + a.slug, a.title});
  } else if (kind == "remotes") {
    return remotes(desk);
  } else if (kind == "team" || kind == "assignees") {
    // The team first (what an assignment takes), then anyone else who holds a ticket.
    std::set<std::string> seen;
    for (const auto& p : c.team) {
      std::string what = p.email;
      if (!p.tiers.empty()) what += (what.empty() ? "" : ", ") + join(p.tiers, ",");
      out.push_back({p.name, what});
      seen.insert(p.name);
    }
    if (kind == "assignees")
      for (auto& v : field_values(desk, "assignee"))
        if (!seen.count(v.value)) out.push_back(std::move(v));
  } else if (kind == "requesters") {
    return field_values(desk, "requester");
  } else if (kind == "tags") {
    out = field_values(desk, "tag");
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
// run() passes the words after `__complete` behind a `--`, so that every one of them lands in
// ARGS verbatim, whatever command name or option it looks like. CLI11 files that `--` among the
// extras (hence allow_extras), which are therefore not read.
void define_complete(CLI::App& cmd, Session& s) {
  auto words = std::make_shared<std::vector<std::string>>();
  cmd.allow_extras();
  cmd.add_option("ARGS", *words, "KIND [PREFIX]");
  cmd.callback([&s, words] {
    const std::vector<std::string>& args = *words;
    if (args.empty() || args.size() > 2) return;
    std::string prefix = args.size() == 2 ? args[1] : "";
    std::string text;
    try {
      // Desk::open, not Session::desk: completing must not write the merge driver into .git/config.
      Desk desk = Desk::open(s.work_dir());
      IndexSettings is;
      is.enabled = !s.env().no_index;  // no progress line while the user presses TAB
      desk.set_index_settings(is);
      for (const auto& c : candidates(args[0], prefix, desk)) {
        // A value is typed into the command line as it is: one that a terminal would act on
        // (an escape, a control or a bidirectional character) is not offered at all.
        if (c.value.rfind(prefix, 0) != 0 || has_controls(c.value, false)) continue;
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
