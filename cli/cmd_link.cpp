#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/util/error.hpp"

namespace desk::cli {

void define_link(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id;
    std::vector<std::string> targets;
    std::string duplicate_of;
    bool remove = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  cmd.add_option("TARGET", o->targets, "articles to link, as kb/SLUG")->type_name("kb/SLUG");
  cmd.add_option("--duplicate-of", o->duplicate_of, "mark the ticket a duplicate of another ticket")->type_name("ID");
  cmd.add_flag("--remove", o->remove, "unlink the articles, or clear the duplicate mark");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    bool dup = !o->duplicate_of.empty();
    if (o->targets.empty() && !dup)
      throw Error(ErrorKind::usage, "nothing to link: name articles as kb/SLUG, or another ticket with --duplicate-of",
                  "desk link ID kb/vpn-reset, or desk link ID --duplicate-of OTHER");
    if (!o->targets.empty() && dup)
      throw Error(ErrorKind::usage, "link articles and mark a duplicate in two commands", "desk link ID kb/SLUG; desk link ID --duplicate-of OTHER");
    if (!dup) {
      std::vector<std::string> slugs;
      for (const auto& t : o->targets) {
        if (t.rfind("kb/", 0) != 0)
          throw Error(ErrorKind::usage, fmt::format("'{}' is not an article: name articles as kb/SLUG", t),
                      "to mark a duplicate ticket use --duplicate-of OTHER");
        slugs.push_back(t.substr(3));
      }
      link_ticket_to_articles(s, o->id, slugs, o->remove, o->json);
      return;
    }
    Desk& d = s.desk();
    std::string id = d.resolve(o->id);
    std::string other = d.resolve(o->duplicate_of);
    Context ctx = s.context();
    Change last;
    auto r = s.commit_change(
        [&](const Snapshot& snap) {
          if (!o->remove) snap.ticket(other);  // still there
          return mark_duplicate(snap.ticket(id), ctx, other, o->remove, duplicate_of_at(snap));
        },
        last);
    s.report(r, last);
    if (o->json) print_change_json(s, r.commit, last);
  });
}

}  // namespace desk::cli
