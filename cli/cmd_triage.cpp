#include "cli/commands.hpp"

namespace desk::cli {

namespace {
struct TriageOptions {
  std::vector<std::string> ids;
  TriageArgs args;
  bool json = false;
};
}  // namespace

void define_triage(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<TriageOptions>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  cmd.add_option("--title", o->args.title, "a new title (the old one stays in the history)")->type_name("TITLE");
  cmd.add_option("-p,--priority", o->args.priority, "set the priority directly")->type_name("P");
  cmd.add_option("--impact", o->args.impact, "impact; with urgency, derives the priority")->type_name("IMPACT");
  cmd.add_option("--urgency", o->args.urgency, "urgency; with impact, derives the priority")->type_name("URGENCY");
  cmd.add_option("--type", o->args.type, "ticket type")->type_name("TYPE");
  cmd.add_option("--category", o->args.category, "category")->type_name("CATEGORY");
  cmd.add_option("--tag", o->args.add_tags, "add a tag (repeatable)")->type_name("TAG");
  cmd.add_option("--untag", o->args.remove_tags, "remove a tag (repeatable)")->type_name("TAG");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    Context ctx = s.context();
    const Config& cfg = s.desk().config();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return triage(std::move(t), cfg, ctx, o->args); });
  });
}

}  // namespace desk::cli
