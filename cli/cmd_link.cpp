#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/util/error.hpp"

namespace desk::cli {

namespace {

// The parent of a ticket at the snapshot ("" for none, or a ticket that cannot be read): how
// set_parent follows a chain of parents to refuse a cycle.
std::function<std::string(const std::string&)> parent_at(const Snapshot& snap) {
  return [&snap](const std::string& id) -> std::string {
    try {
      return snap.ticket(id).parent;
    } catch (const Error&) {
      return "";
    }
  };
}

}  // namespace

void define_link(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    std::vector<std::string> targets;
    std::string duplicate_of, related, parent, problem;
    bool remove = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  cmd.add_option("TARGET", o->targets, "articles to link, as kb/SLUG")->type_name("kb/SLUG");
  cmd.add_option("--duplicate-of", o->duplicate_of, "mark the ticket a duplicate of another ticket")->type_name("ID");
  cmd.add_option("--related", o->related, "relate the ticket to another (both tickets list each other)")->type_name("OTHER");
  cmd.add_option("--parent", o->parent, "make another ticket the ticket's parent")->type_name("PARENT");
  cmd.add_option("--problem", o->problem, "link the incident to the problem ticket that explains it")->type_name("PROBLEM");
  cmd.add_flag("--remove", o->remove, "unlink the articles, or clear the duplicate mark, the relation, the parent or the problem");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    int kinds = !o->targets.empty() + !o->duplicate_of.empty() + !o->related.empty() + !o->parent.empty() + !o->problem.empty();
    if (kinds == 0)
      throw Error(ErrorKind::usage,
                  "nothing to link: name articles as kb/SLUG, or another ticket with --duplicate-of, --related, --parent or --problem",
                  "desk link ID kb/vpn-reset, or desk link ID --related OTHER");
    if (kinds > 1)
      throw Error(ErrorKind::usage, "make one kind of link at a time: articles, --duplicate-of, --related, --parent or --problem",
                  "run desk link once for each");
    if (!o->targets.empty()) {
      std::vector<std::string> slugs;
      for (const auto& t : o->targets) {
        if (t.rfind("kb/", 0) != 0)
          throw Error(ErrorKind::usage, fmt::format("'{}' is not an article: name articles as kb/SLUG", t),
                      "to link another ticket use --related, --parent, --problem or --duplicate-of");
        slugs.push_back(t.substr(3));
      }
      link_ticket_to_articles(s, o->id, slugs, o->remove, o->json);
      return;
    }
    Desk& d = s.desk();
    std::string id = d.resolve(o->id);
    Context ctx = s.context();
    if (!o->related.empty()) {
      std::string other = d.resolve(o->related);
      std::vector<Change> changes;
      auto r = s.commit_changes([&](const Snapshot& snap) { return relate(snap.ticket(id), snap.ticket(other), ctx, o->remove); }, changes);
      s.report(r, changes.front());
      if (o->json) s.print_changes_json(r.commit, changes, changes.front().subject);
      return;
    }
    Change last;
    CommitResult r;
    if (!o->duplicate_of.empty()) {
      std::string other = d.resolve(o->duplicate_of);
      r = s.commit_change(
          [&](const Snapshot& snap) {
            if (!o->remove) snap.ticket(other);  // still there
            return mark_duplicate(snap.ticket(id), ctx, other, o->remove, duplicate_of_at(snap));
          },
          last);
    } else if (!o->parent.empty()) {
      std::string parent = d.resolve(o->parent);
      r = s.commit_change(
          [&](const Snapshot& snap) {
            if (!o->remove) snap.ticket(parent);  // still there
            return set_parent(snap.ticket(id), ctx, parent, o->remove, parent_at(snap));
          },
          last);
    } else {
      std::string problem = d.resolve(o->problem);
      r = s.commit_change([&](const Snapshot& snap) { return link_problem(snap.ticket(id), ctx, snap.ticket(problem), o->remove); }, last);
    }
    s.report(r, last);
    if (o->json) print_change_json(s, r.commit, last);
  });
}

}  // namespace desk::cli
