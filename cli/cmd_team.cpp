// desk team: the people who work tickets ([[team]] in .desk/config.toml), listed with their open
// work, added and removed in one commit each.
#include <fmt/format.h>

#include <map>

#include "cli/commands.hpp"
#include "core/model/team.hpp"
#include "core/store/index.hpp"
#include "core/store/query.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

// Commits .desk/config.toml as edit() makes it from the committed text; the result must parse.
void commit_config(Session& s, const std::string& action, const std::string& subject,
                   const std::function<std::string(const std::string&)>& edit, bool json) {
  auto [author, committer] = s.identity();
  CommitResult r = s.desk().commit(author, committer, s.now(), [&](const Snapshot& snap) {
    auto text = snap.read(config_path);
    if (!text) throw Error(ErrorKind::not_a_desk, fmt::format("no committed {}", config_path));
    std::string next = edit(*text);
    parse_config(next, config_path);  // the change must leave a config that reads
    Mutation m;
    m.files.push_back({std::string(config_path), next});
    m.subject = subject;
    m.trailers.emplace_back("Desk-Action", action);
    return m;
  });
  s.report(r, subject);
  if (json) {
    JsonWriter w = s.json();
    begin_change_json(w, r.commit, action, subject);
    w.end_object();
    s.out() << w.str();
  }
}

void list_team(Session& s, bool json) {
  Desk& d = s.desk();
  const Config& cfg = d.config();
  // Open work per assignee: what a lead balances.
  std::map<std::string, size_t> open;
  ListFilter filter;
  Snapshot snap = d.head();
  TicketQuery q{[&filter](std::string_view status) { return status_wanted(filter, status); }, &filter, true, std::nullopt};
  for_each_ticket(d, snap, q, [&] { open.clear(); }, [&](Ticket&& t) {
    if (!t.assignee.empty() && matches(t, filter)) ++open[t.assignee];
  });
  if (json) {
    JsonWriter w = s.json();
    w.begin_document().key("team").begin_array();
    for (const auto& p : cfg.team) {
      w.begin_object().key("name").value(p.name).key("email").value(p.email).key("tiers").begin_array();
      for (const auto& t : p.tiers) w.value(t);
      w.end_array();
      w.key("owns").begin_array();
      for (const auto& t : cfg.tiers)
        if (t.owner == p.name) w.value(t.name);
      w.end_array().key("open").value(open.count(p.name) ? open[p.name] : size_t{0}).end_object();
    }
    w.end_array().end_object();
    s.out() << w.str();
    return;
  }
  if (cfg.team.empty()) {
    s.status("no team: assignees are free names; add people with `desk team add NAME --email EMAIL --tier L1`");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : cfg.team) {
    std::vector<std::string> owns;
    for (const auto& t : cfg.tiers)
      if (t.owner == p.name) owns.push_back(t.name);
    rows.push_back({strip_controls_line(p.name), strip_controls_line(p.email), p.tiers.empty() ? "any" : strip_controls_line(join(p.tiers, ",")),
                    owns.empty() ? "" : strip_controls_line(join(owns, ",")), std::to_string(open.count(p.name) ? open[p.name] : 0)});
  }
  s.page_table({{"NAME"}, {"EMAIL", 50, 0, true, 10}, {"TIERS", 70}, {"OWNS", 60}, {"OPEN"}}, rows);
}

void define_team_add(CLI::App& cmd, Session& s) {
  struct Options {
    std::string name, email;
    std::vector<std::string> tiers;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("NAME", o->name, "the name tickets are assigned to, such as bo")->required();
  cmd.add_option("--email", o->email, "the person's email: how `me` and the git history find them")->type_name("EMAIL");
  cmd.add_option("--tier", o->tiers, "a tier the person works in (repeat, or L1,L2)")->type_name("TIER")->delimiter(',');
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    const Config& cfg = s.desk().config();
    Person p{trim(o->name), lower(trim(o->email)), o->tiers};
    if (std::string why = person_problem(p); !why.empty())
      throw Error(ErrorKind::usage, why, "desk team add NAME --email EMAIL --tier TIER");
    for (const auto& t : p.tiers) cfg.require_tier(t);
    for (const auto& q : cfg.team) {
      if (lower(q.name) == lower(p.name))
        throw Error(ErrorKind::state, fmt::format("'{}' is already on the team", strip_controls_line(p.name)),
                    "to change them: desk team remove NAME, then desk team add again");
      if (!p.email.empty() && q.email == p.email)
        throw Error(ErrorKind::state, fmt::format("{} is already the email of '{}'", strip_controls_line(p.email), q.name));
    }
    std::string subject = fmt::format("team add {}", strip_controls_line(p.name));
    commit_config(s, "team", subject, [&](const std::string& text) { return config_with_person(text, p); }, o->json);
  });
}

void define_team_remove(CLI::App& cmd, Session& s) {
  struct Options {
    std::string name;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("PERSON", o->name, "who leaves the team (their tickets keep them as assignee)")->required();
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    const Config& cfg = s.desk().config();
    const Person* p = find_person(cfg, o->name);
    if (!p)
      throw Error(ErrorKind::not_found, fmt::format("'{}' is not on the team", strip_controls_line(o->name)),
                  cfg.team.empty() ? "the desk has no team" : "the team: " + team_list(cfg));
    for (const auto& t : cfg.tiers)
      if (t.owner == p->name)
        throw Error(ErrorKind::state, fmt::format("{} owns tier {}", p->name, t.name),
                    fmt::format("give tier {} another owner in .desk/config.toml first", t.name));
    std::string name = p->name;
    commit_config(s, "team", fmt::format("team remove {}", name), [&](const std::string& text) {
      auto next = config_without_person(text, name);
      if (!next) throw Error(ErrorKind::not_found, fmt::format("'{}' is not on the committed team", name));
      return *next;
    }, o->json);
  });
}

}  // namespace

void define_team(CLI::App& cmd, Session& s) {
  auto json = std::make_shared<bool>(false), list_json = std::make_shared<bool>(false);
  cmd.require_subcommand(0, 1);
  add_json_flag(cmd, *json);
  auto* list = cmd.add_subcommand("list", "the team with the tiers each works in, the tiers each owns, and their open tickets");
  add_json_flag(*list, *list_json);
  list->callback([&s, json, list_json] { list_team(s, *json || *list_json); });
  define_team_add(*cmd.add_subcommand("add", "add a person to [[team]] in .desk/config.toml, in one commit"), s);
  define_team_remove(*cmd.add_subcommand("remove", "take a person off the team, in one commit"), s);
  cmd.callback([&s, &cmd, json] {
    if (cmd.get_subcommands().empty()) list_team(s, *json);
  });
}

}  // namespace desk::cli
