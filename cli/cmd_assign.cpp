#include "cli/commands.hpp"
#include "core/util/error.hpp"

namespace desk::cli {

void define_assign(CLI::App& cmd, Session& s) {
  struct Options {
    std::string id, user;
    bool unassign = false, json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->id, "the ticket")->required();
  cmd.add_option("USER", o->user, "who takes it");
  cmd.add_flag("--unassign", o->unassign, "remove the assignee");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    if (o->user.empty() == !o->unassign)
      throw Error(ErrorKind::usage, o->unassign ? "give USER or --unassign, not both" : "say who takes the ticket",
                  "desk assign ID USER, or desk assign ID --unassign");
    Context ctx = s.context();
    s.mutate_and_print(o->id, o->json, [&](Ticket t) { return assign(std::move(t), ctx, o->user); });
  });
}

}  // namespace desk::cli
