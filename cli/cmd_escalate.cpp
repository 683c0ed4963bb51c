#include "cli/commands.hpp"
#include "cli/editor_context.hpp"

namespace desk::cli {

void define_escalate(CLI::App& cmd, Session& s) {
  struct Options {
    std::vector<std::string> ids;
    std::optional<std::string> to, vendor, vendor_case, assign;
    TextOption note;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("ID", o->ids, "the ticket(s): ids or unique prefixes; - reads ids from standard input, one per line")->required();
  cmd.add_option("--to", o->to, "the tier to escalate to (default: the next one up)")->type_name("TIER");
  add_text_options(cmd, o->note, "the hand-off note: what was tried, why it goes up");
  cmd.add_option("--vendor", o->vendor, "the vendor (escalation to a vendor tier)")->type_name("VENDOR");
  cmd.add_option("--assign", o->assign, "who takes it in the new tier (default: the tier's owner, else nobody unless the tier keeps the assignee; me: you)")->type_name("USER");
  cmd.add_option("--case", o->vendor_case, "the vendor's case reference (escalation to a vendor tier)")->type_name("REF");
  add_json_flag(cmd, o->json);
  cmd.callback([&s, o] {
    EscalateArgs args;
    args.to = o->to;
    args.vendor = o->vendor;
    args.vendor_case = o->vendor_case;
    args.assignee = o->assign;
    if (args.assignee) args.assignee = s.assignee(*args.assignee);
    args.note = s.read_text(o->note, "the hand-off note", "# What was tried, and why does it go up?\n",
                            editor_context_for(s, o->ids, Audience::team));
    Context ctx = s.context();
    const Config& cfg = s.desk().config();
    s.mutate_and_print(o->ids, o->json, [&](Ticket t) { return escalate(std::move(t), cfg, ctx, args); });
  });
}

}  // namespace desk::cli
