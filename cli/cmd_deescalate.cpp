#include "cli/commands.hpp"
#include "cli/editor_context.hpp"

namespace desk::cli {

void define_deescalate(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    std::optional<std::string> to, assign;
    TextOption note;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  cmd.add_option("--to", o->to, "the tier to hand it back to (default: the next one down)")->type_name("TIER");
  cmd.add_option("--assign", o->assign, "who takes it in the lower tier (default: the tier's owner, else nobody unless the tier keeps the assignee; me: you)")->type_name("USER");
  add_text_options(cmd, o->note, "the note: the fix, so the lower tier can close with the customer");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    std::string note = s.read_text(o->note, "the de-escalation note", "# Document the fix so the lower tier can close with the customer.\n",
                                   editor_context_for(s, o->ids, Audience::team));
    Context ctx = s.context();
    const Config& cfg = s.desk().config();
    if (o->assign) o->assign = s.assignee(*o->assign);
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return deescalate(std::move(t), cfg, ctx, o->to, note, o->assign); });
  });
}

}  // namespace desk::cli
