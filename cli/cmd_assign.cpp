#include "cli/commands.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

namespace desk::cli {

void define_assign(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    std::string user;
    bool unassign = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  cmd.add_option("USER", o->user, "who takes it (after the ids): one of the team, by name, email or unique prefix; me: you");
  cmd.add_flag("--unassign", o->unassign, "remove the assignee");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    // `desk assign A B bo`: the ids take every word, so the last one is the user.
    if (o->user.empty() && !o->unassign && o->ids.size() > 1) {
      o->user = o->ids.back();
      o->ids.pop_back();
    }
    // With --unassign every word is a ticket: a last word that is none was meant as the user.
    if (o->unassign && o->ids.size() > 1) {
      try {
        s.desk().resolve(o->ids.back());
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        throw Error(ErrorKind::usage, "give USER or --unassign, not both",
                    fmt::format("'{}' is no ticket; with --unassign every word is a ticket id", strip_controls_line(o->ids.back())));
      }
    }
    if (o->user.empty() == !o->unassign)
      throw Error(ErrorKind::usage, o->unassign ? "give USER or --unassign, not both" : "say who takes the ticket",
                  "desk assign ID USER, or desk assign ID --unassign");
    if (!o->unassign) o->user = s.assignee(o->user);  // me, or one of the team
    Context ctx = s.context();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return assign(std::move(t), ctx, o->user); });
  });
}

}  // namespace desk::cli
